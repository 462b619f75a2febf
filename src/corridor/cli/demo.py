"""``corridor demo``: the main job on the embedded default data.

Today it builds the population grid, writes the population map (English and Korean), a
summary table and a loudspeaker coverage example. Later it grows into the coalition dashboard,
behind the same command.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from corridor.cli import app
from corridor.cli.console import console
from corridor.errors import CorridorError


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the demo outputs.")] = Path("out"),
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build the outputs and exit.")] = True,
) -> None:
    """Build the demo outputs from the shipped data (no network needed)."""
    from corridor.demo import run_demo

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CorridorError(f"cannot create the folder ({exc.strerror})", field="--out", value=str(out)) from None
    with console.status("Running the demo") as st:
        written = run_demo(out, progress=lambda msg: st.update(f"Running the demo: {msg}"))
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    console.print(f"[bold]North Korea {summary['year']}[/]: {summary['total']:,} people "
                  f"({summary['civilian']:,} civilians, {summary['military']:,} in military camps) "
                  f"on {summary['cells']:,} cells of {summary['resolution_km']:g} km")
    for path in written:
        console.print(f"  wrote {path}")
