"""Time ``corridor radio predict`` on each development case against VOACAP's recorded runtime.

Run from the repository root: ``.venv/bin/python bench/radio_predict.py``. VOACAP's time (median of
3 whole runs, 841 points × 24 h, single-threaded) is read from each case file: voacapl's area mode
only makes square grids, so it computed 29 × 29 points (lat 37.5–44.5 N) and the case keeps the
23 × 29 south of 43 N. We time the computation on both grids, the case's 667 points and VOACAP's
841, in process (median of 5, after one warm-up that loads the coefficient files), as wall
time and as CPU time (VOACAP is single-threaded, so on an idle machine its wall time is its CPU
time; ours is the fairer figure when the machine is shared), and, once per case, the whole command
as a new process (including Python start-up and imports).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corridor.channels.radio import cases

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT.parent / "shared" / "data" / "reference" / "radio" / "voacapl"


def _time(case: dict) -> tuple[float, float]:
    """Median wall and CPU seconds of five predictions of a parsed case, after a warm-up."""
    cases.predict_case(case)
    times, cpu = [], []
    for _ in range(5):
        t, c = time.perf_counter(), time.process_time()
        cases.predict_case(case)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(times), statistics.median(cpu)


def main() -> int:
    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print("| case | VOACAP s (841 pts × 24 h) | model wall s (667 pts × 24 h) | ratio | model CPU s | ratio "
          "| model wall s (VOACAP's 841 pts) | ratio | whole command s (667 pts) | ratio |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for meta in sorted(REF.glob("case*.json")):
        ref_s = json.loads(meta.read_text())["runtime"]["wall_s_median_of_3"]
        case = cases.read_case(meta)
        model_s, cpu_s = _time(case)
        square = dict(case, grid=dict(case["grid"], lat_max=case["grid"]["lat_min"] + 28 * case["grid"]["step_deg"]))
        assert cases.grid_points(square["grid"])[0].size == 841
        square_s, _ = _time(square)
        with tempfile.TemporaryDirectory() as tmp:
            t = time.perf_counter()
            subprocess.run([str(ROOT / ".venv" / "bin" / "corridor"), "radio", "predict", str(meta), "--out",
                            str(Path(tmp) / "p.csv")], check=True, capture_output=True)
            cmd_s = time.perf_counter() - t
        print(f"| {meta.stem} | {ref_s:.2f} | {model_s:.3f} | {ref_s / model_s:.1f}× | {cpu_s:.3f} | "
              f"{ref_s / cpu_s:.1f}× | {square_s:.3f} | {ref_s / square_s:.1f}× | {cmd_s:.1f} | {ref_s / cmd_s:.2f}× |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
