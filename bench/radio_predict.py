"""Time ``corridor radio predict`` on the VOACAP development cases against VOACAP's recorded runtime.

Run from the repository root: ``.venv/bin/python bench/radio_predict.py [--runs 5] [--case case01 ...]``.
VOACAP's time (median of 3 whole runs, 841 points × 24 h, single-threaded, idle machine) is read
from each case file. Two tables:

1. **The whole command as a new process** (what a user waits for: Python start-up, imports,
   reading the case, the prediction, writing the CSV), median of ``--runs`` runs, wall and CPU
   time of the child process. Twice: with the modules' bytecode cached, as after ``pip install``
   (which compiles it) or any earlier run; and with no bytecode, every module compiled from
   source on every run (what a run sees with ``PYTHONDONTWRITEBYTECODE`` set and no cache).
   Both use a private, temporary bytecode folder (``PYTHONPYCACHEPREFIX``), so the figures do not
   depend on what earlier runs left in the source tree and nothing is written there.
2. **The computation in process** (median of 5 after one warm-up that loads the coefficient
   files), on the case's 667 points and on VOACAP's 841: voacapl's area mode only makes square
   grids, so it computed 29 × 29 points (lat 37.5–44.5 N) of which the case keeps the 23 × 29
   south of 43 N.

Without the reference cases (they are a development set kept beside the repository, or where
``CORRIDOR_SHARED_DIR`` points) the script says so and stops.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CORRIDOR_SHARED_DIR") or ROOT.parent / "shared")
REF = SHARED / "data" / "reference" / "radio" / "voacapl"


def _command() -> list[str]:
    """The ``corridor`` script installed beside this Python, else ``python -m corridor``."""
    script = Path(sys.executable).with_name("corridor")
    return [str(script)] if script.exists() else [sys.executable, "-m", "corridor"]


def _child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _run_command(meta: Path, env: dict, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one ``corridor radio predict`` as a new process."""
    cpu0, t0 = _child_cpu(), time.perf_counter()
    r = subprocess.run([*_command(), "radio", "predict", str(meta), "--out", str(out)], check=False, env=env,
                       capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t0, _child_cpu() - cpu0
    if r.returncode != 0:
        raise SystemExit(f"corridor radio predict {meta.name} failed:\n{r.stderr}")
    return wall, cpu


def _command_times(meta: Path, runs: int) -> dict[str, tuple[float, float]]:
    """Median wall and CPU seconds of the command, with cached bytecode and with none."""
    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "prediction.csv"
        for mode in ("cached", "none"):
            env = dict(os.environ, PYTHONPYCACHEPREFIX=str(Path(tmp) / f"bytecode-{mode}"))
            if mode == "cached":
                env.pop("PYTHONDONTWRITEBYTECODE", None)
                _run_command(meta, env, out)             # compiles the modules once, as pip install does
            else:
                env["PYTHONDONTWRITEBYTECODE"] = "1"
            walls, cpus = zip(*(_run_command(meta, env, out) for _ in range(runs)))
            result[mode] = (statistics.median(walls), statistics.median(cpus))
    return result


def _model_time(cases, case: dict) -> tuple[float, float]:
    """Median wall and CPU seconds of five predictions of a parsed case, after a warm-up."""
    cases.predict_table(case)
    times, cpu = [], []
    for _ in range(5):
        t, c = time.perf_counter(), time.process_time()
        cases.predict_table(case)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(times), statistics.median(cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="new-process runs per case and mode (median)")
    parser.add_argument("--case", action="append", help="case name, e.g. case01 (default: every case)")
    args = parser.parse_args(argv)
    metas = sorted(REF.glob("case*.json")) if REF.is_dir() else []
    if args.case:
        metas = [m for m in metas if m.stem in args.case]
    if not metas:
        print(f"skipped: no VOACAP reference cases in {REF} (the development set beside the repository; "
              "set CORRIDOR_SHARED_DIR to its folder)")
        return 0

    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"command: {' '.join(Path(c).name for c in _command())} radio predict CASE.json --out OUT.csv")
    print(f"\nWhole command as a new process (median of {args.runs} runs; ratio = VOACAP s / ours, above 1 = faster)")
    print("| case | VOACAP s (whole run) | ours s, bytecode cached | ratio | CPU s | ours s, no bytecode | ratio "
          "| CPU s |")
    print("|---|---|---|---|---|---|---|---|")
    for meta in metas:
        ref_s = json.loads(meta.read_text())["runtime"]["wall_s_median_of_3"]
        t = _command_times(meta, args.runs)
        (cw, cc), (nw, nc) = t["cached"], t["none"]
        print(f"| {meta.stem} | {ref_s:.2f} | {cw:.2f} | {ref_s / cw:.2f}× | {cc:.2f} | {nw:.2f} | {ref_s / nw:.2f}× "
              f"| {nc:.2f} |", flush=True)

    from corridor.channels.radio import cases

    print("\nComputation in process (median of 5 after a warm-up)")
    print("| case | VOACAP s (841 pts × 24 h) | model wall s (667 pts × 24 h) | ratio | model CPU s | ratio "
          "| model wall s (VOACAP's 841 pts) | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for meta in metas:
        ref_s = json.loads(meta.read_text())["runtime"]["wall_s_median_of_3"]
        case = cases.read_case(meta)
        model_s, cpu_s = _model_time(cases, case)
        square = dict(case, grid=dict(case["grid"], lat_max=case["grid"]["lat_min"] + 28 * case["grid"]["step_deg"]))
        assert cases.grid_points(square["grid"])[0].size == 841
        square_s, _ = _model_time(cases, square)
        print(f"| {meta.stem} | {ref_s:.2f} | {model_s:.3f} | {ref_s / model_s:.1f}× | {cpu_s:.3f} | "
              f"{ref_s / cpu_s:.1f}× | {square_s:.3f} | {ref_s / square_s:.1f}× |", flush=True)
    print(f"\nload average at end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
