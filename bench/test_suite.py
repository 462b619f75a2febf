"""Time the test tiers as a contributor runs them: ``make check`` and (with ``--full``) ``make test``.

Run from the repository root: ``.venv/bin/python bench/test_suite.py [--full] [--workers auto]``.

Aims, wall time on a 2-core machine:

* ``make check`` (every test but model fits, live servers, browsers and the demo): at most 90 s;
* ``make test`` (the whole suite): at most 5 min.

Each tier runs once, in a new process, as ``make`` runs it (``PYTEST_WORKERS`` test processes,
pytest-xdist). The first run after a change of the tests also compiles their assertion-rewritten
bytecode; the figures are noisy when other work shares the CPU. A tier whose tests fail is
reported as failed, whatever its time.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AIMS_S = {"check": 90.0, "test": 300.0}
SUMMARY = re.compile(r"^=*\s*(\d+ (passed|failed|error).*?)\s*=*$")


def run_tier(target: str, workers: str) -> tuple[float, int, str]:
    """Wall time, exit code and pytest's closing line of ``make <target>``."""
    cmd = ["make", "--no-print-directory", target, f"PYTEST_WORKERS={workers}",
           "PYTEST_ARGS=-q -p no:cacheprovider"]
    start = time.perf_counter()
    proc = subprocess.run(cmd, check=False, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - start
    lines = [m.group(1) for line in proc.stdout.splitlines() if (m := SUMMARY.match(line.strip()))]
    if proc.returncode not in (0, 1):   # 1: some test failed; anything else: make or pytest broke
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
    return wall, proc.returncode, lines[-1] if lines else "(no pytest summary)"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="also time `make test`, the whole suite (minutes)")
    ap.add_argument("--workers", default="auto", help="test processes (PYTEST_WORKERS), default: one per core")
    opts = ap.parse_args(argv)
    tiers = ["check", "test"] if opts.full else ["check"]
    print(f"test tiers, wall time (s), PYTEST_WORKERS={opts.workers}")
    print(f"{'tier':<12}{'wall':>8}{'aim':>8}  verdict  pytest")
    bad = 0
    for tier in tiers:
        wall, code, summary = run_tier(tier, opts.workers)
        aim = AIMS_S[tier]
        verdict = "FAILED" if code != 0 else ("ok" if wall <= aim else "OVER")
        bad += verdict != "ok"
        print(f"{'make ' + tier:<12}{wall:8.1f}{aim:8.0f}  {verdict:<7}  {summary}", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
