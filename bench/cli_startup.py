"""Time how fast ``corridor`` answers when it has nothing to compute: help and input errors.

Run from the repository root: ``.venv/bin/python bench/cli_startup.py [--runs 5] [--modes cached,tree]``.

Every figure is a new process (what a person waits for: Python start-up, imports, the answer),
median wall time of ``--runs`` runs, against these aims:

* ``corridor --help``: at most 0.5 s;
* each command group's ``--help`` (and ``assess``, ``report``, ``demo``): at most 1 s;
* one input error per channel command (a missing file, a bad field of an activity file, a bad
  option): at most 1 s, and it must exit with code 2 (a user's mistake).

Bytecode modes (``--modes``):

* ``cached``: a private, warm bytecode folder (``PYTHONPYCACHEPREFIX``; one run compiles, then
  the timed runs), as after an installation that compiles bytecode or any earlier run;
* ``tree``: the bytecode already beside the modules (``make setup`` compiles it), with
  ``PYTHONDONTWRITEBYTECODE=1`` so that nothing is written: a stale or missing file is compiled
  from source on every run;
* ``none``: no bytecode at all (an empty private folder, nothing written): every module, the
  standard library's included, compiled on every run. Slow; for comparison only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
HELP_TOP_S = 0.5
HELP_GROUP_S = 1.0
INPUT_ERROR_S = 1.0


def _command() -> list[str]:
    """The ``corridor`` script installed beside this Python, else ``python -m corridor``."""
    script = Path(sys.executable).with_name("corridor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "corridor"]


def _bad_copy(src: Path, dst: Path, old: str, new: str) -> Path:
    text = src.read_text(encoding="utf-8")
    if old not in text:
        raise SystemExit(f"{src.name} no longer holds {old!r}: update the benchmark")
    dst.write_text(text.replace(old, new, 1), encoding="utf-8")
    return dst


def cases(tmp: Path) -> list[tuple[str, list[str], float, int]]:
    """(label, arguments, aim in s, expected exit code) of every timed command."""
    from corridor.cli import LAZY_COMMANDS

    out: list[tuple[str, list[str], float, int]] = [("corridor --help", ["--help"], HELP_TOP_S, 0)]
    for name, (_module, _attr, is_group, _line) in LAZY_COMMANDS.items():
        if is_group or name in ("assess", "report"):
            out.append((f"corridor {name} --help", [name, "--help"], HELP_GROUP_S, 0))
    out.append(("corridor demo --help", ["demo", "--help"], HELP_GROUP_S, 0))
    missing = tmp / "missing.yaml"
    speaker = _bad_copy(EXAMPLES / "loudspeaker" / "paju-night.yaml", tmp / "speaker.yaml",
                        "sound_power_db: 165", "sound_power_db: -5")
    beam = _bad_copy(EXAMPLES / "satellite" / "koreasat-116e.yaml", tmp / "beam.yaml", "dish_cm: 60", "dish_cm: -60")
    shipment = _bad_copy(EXAMPLES / "border" / "hyesan-usb.yaml", tmp / "shipment.yaml",
                         "devices: 1000", "devices: -1000")
    schedule = _bad_copy(EXAMPLES / "radio" / "nkrr-2010-tashkent.yaml", tmp / "schedule.yaml",
                         "frequency_khz: 7590", "frequency_khz: -7590")
    launch = _bad_copy(EXAMPLES / "balloon" / "paju-january.yaml", tmp / "launch.yaml", "balloons: 20",
                       "balloons: -3")
    errors = [
        ("radio predict: missing file", ["radio", "predict", str(missing), "--out", str(tmp / "p.csv")]),
        ("radio coverage: bad field", ["radio", "coverage", str(schedule)]),
        ("radio landscape: missing file", ["radio", "landscape", str(missing)]),
        ("radio validate d1: missing file", ["radio", "validate", "d1", str(missing)]),
        ("loudspeaker coverage: bad field", ["loudspeaker", "coverage", str(speaker)]),
        ("loudspeaker coverage: missing file", ["loudspeaker", "coverage", str(missing)]),
        ("border spread: bad field", ["border", "spread", str(shipment)]),
        ("satellite coverage: bad field", ["satellite", "coverage", str(beam)]),
        ("satellite coverage: bad --resolution-km", ["satellite", "coverage", str(beam), "--resolution-km", "0"]),
        ("balloon launch: bad field", ["balloon", "launch", str(launch)]),
        ("balloon windows: unknown --site", ["balloon", "windows", "--site", "seoul", "--wind", "gfs-2011-01-15"]),
        ("balloon predict: missing file", ["balloon", "predict", str(missing), "--wind", "gfs-2011-01-15",
                                           "--out", str(tmp / "t.csv")]),
        ("assess: bad --draws", ["assess", "--draws", "5"]),
        ("geo summary: bad --resolution-km", ["geo", "summary", "--resolution-km", "0"]),
    ]
    out += [(label, args, INPUT_ERROR_S, 2) for label, args in errors]
    return out


def _once(args: list[str], env: dict, code: int) -> float:
    t0 = time.perf_counter()
    r = subprocess.run([*_command(), *args], env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if r.returncode != code or "Traceback" in r.stderr:
        raise SystemExit(f"corridor {' '.join(args)}: exit {r.returncode}, expected {code}\n{r.stderr[-2000:]}")
    return wall


def _env(mode: str, tmp: Path) -> dict:
    env = dict(os.environ)
    if mode == "tree":
        env.pop("PYTHONPYCACHEPREFIX", None)
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    elif mode == "cached":
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "bytecode-cached")
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    elif mode == "none":
        env["PYTHONPYCACHEPREFIX"] = str(tmp / "bytecode-none")
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    else:
        raise SystemExit(f"unknown mode {mode!r}: use cached, tree or none")
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--modes", default="cached,tree", help="comma-separated: cached, tree, none")
    opts = parser.parse_args(argv)
    modes = [m.strip() for m in opts.modes.split(",") if m.strip()]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        todo = cases(tmp)
        rows = {}
        for mode in modes:
            env = _env(mode, tmp)
            for label, args, _aim, code in todo:
                if mode == "cached":
                    _once(args, env, code)           # compiles into the private folder once
                rows.setdefault(label, {})[mode] = statistics.median(_once(args, env, code)
                                                                     for _ in range(opts.runs))
    width = max(len(label) for label, *_ in todo)
    print(f"corridor start-up, new processes, median of {opts.runs} (s)")
    print(f"{'command':<{width}}  " + "  ".join(f"{m:>7}" for m in modes) + "      aim")
    failed = 0
    for label, _args, aim, _code in todo:
        times = rows[label]
        ok = all(t <= aim for t in times.values())
        failed += not ok
        print(f"{label:<{width}}  " + "  ".join(f"{times[m]:7.2f}" for m in modes)
              + f"  ≤ {aim:.1f}  {'ok' if ok else 'OVER'}")
    print(f"{len(todo) - failed} of {len(todo)} within their aim")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
