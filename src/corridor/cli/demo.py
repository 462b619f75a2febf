"""``corridor demo``: the main job on the embedded default data (no network needed).

Builds a FICTIONAL demo coalition with activities on every channel, a SYNTHETIC survey, runs the
assessment, writes its maps and serves the dashboard. ``--no-serve`` builds the same and exits.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from corridor.cli import app
from corridor.cli.console import console, err_console


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="Folder for the demo outputs.")] = Path("out"),
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Build the demo and exit (for scripts and tests).")] = False,
    host: Annotated[str, typer.Option("--host", help="Address the dashboard listens on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port of the dashboard.")] = 8000,
    draws: Annotated[int, typer.Option("--draws", help="Monte Carlo draws per activity.")] = 200,
) -> None:
    """Build the demo coalition, assess it, and serve the dashboard."""
    from corridor.cli.assess import print_table
    from corridor.demo import check_out, run_demo
    from corridor.errors import CorridorError

    check_out(out)
    if not 1 <= port <= 65535:
        raise CorridorError("must be between 1 and 65535", field="--port", value=port)
    if not 20 <= draws <= 2000:
        raise CorridorError("must be between 20 and 2,000", field="--draws", value=draws)
    with err_console.status("Building the demo") as st:
        result = run_demo(out, draws=draws, progress=lambda msg: st.update(f"Building the demo: {msg}"))
    for path in result.written:
        console.print(f"  wrote {path}")
    print_table(result.assessment.as_dict(), demo=True)
    console.print("[bold]The organisations are fictional, the costs illustrative and the survey SYNTHETIC.[/]")
    if no_serve:
        return
    import uvicorn

    from corridor.web.app import create_app

    console.print(f"\n[bold]Dashboard:[/] http://{host}:{port}/dashboard  "
                  f"(sign in as [bold]{result.username}[/] with password [bold]{result.password}[/]; "
                  f"also in {out / 'demo-login.txt'}). Ctrl+C stops it.")
    from corridor.demo import demo_evidence_path

    uvicorn.run(create_app(result.database_url, evidence=demo_evidence_path(), draws=draws), host=host, port=port,
                log_level="warning")
