"""Sensitivity of the satellite reach (examples/satellite/koreasat-116e.yaml) to its inputs.

Run: ``.venv/bin/python bench/satellite_sensitivity.py``. Changes one input at a time from the
example and prints a Markdown table (the one in ``docs/satellite-model.md``): people living where
the link closes at the target availability, people who could watch (median and 90 % interval),
and the wall time of the first and of a repeated coverage run.
"""

from __future__ import annotations

import time
from pathlib import Path

from corridor.channels.base import Activity
from corridor.channels.files import read_activity
from corridor.channels.satellite.channel import SatelliteChannel
from corridor.channels.satellite import ownership
from corridor.geo import load_grid
from corridor.geo.names import PROVINCES

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "satellite" / "koreasat-116e.yaml"
DRAWS = 500


def main() -> None:
    grid = load_grid(5.0, 2026)
    base = read_activity(EXAMPLE, channel="satellite")
    spec0 = base.spec.model_dump()
    table = ownership.table()
    cases = [
        ("example (60 cm, 52 dBW, QPSK 3/4, 99.5 %)", {}),
        ("dish 45 cm", {"dish_cm": 45}), ("dish 35 cm", {"dish_cm": 35}), ("dish 25 cm", {"dish_cm": 25}),
        ("dish 90 cm", {"dish_cm": 90}),
        ("peak EIRP 49 dBW", {"peak_eirp_dbw": 49.0}), ("peak EIRP 45 dBW", {"peak_eirp_dbw": 45.0}), ("peak EIRP 45 dBW, 45 cm dish", {"peak_eirp_dbw": 45.0, "dish_cm": 45}),
        ("mode 8PSK 3/4", {"modcod": "8PSK 3/4"}), ("mode 16APSK 3/4", {"modcod": "16APSK 3/4"}),
        ("availability 99.9 %", {"availability_target": 99.9}),
        ("beamwidth 1.2°", {"beamwidth_deg": 1.2}), ("beamwidth 1.2°, 45 cm dish", {"beamwidth_deg": 1.2, "dish_cm": 45}),
        ("ownership at every province's low end", {"ownership": {p: float(table.loc[p, "low"]) for p in PROVINCES}}),
        ("ownership at every province's high end", {"ownership": {p: float(table.loc[p, "high"]) for p in PROVINCES}}),
    ]
    print("| case | people where the link closes | people who could watch, median (90 % interval) |")
    print("|---|---:|---:|")
    timings = []
    for label, change in cases:
        act = Activity.create("satellite", {**spec0, **change}, id="s", start=base.start)
        t0 = time.perf_counter()
        cov = SatelliteChannel().coverage(act, grid, draws=DRAWS, seed=0)
        timings.append(time.perf_counter() - t0)
        s = cov.summary(grid)
        print(f"| {label} | {cov.extras['link_closes_population_median']:,.0f} | "
              f"{s['reached_median']:,.0f} ({s['reached_lower90']:,.0f}–{s['reached_upper90']:,.0f}) |")
    print(f"\nfirst coverage run (loads the ITU-R maps): {timings[0]:.1f} s; "
          f"a run with a new dish or beam: {min(timings[1:]):.1f}–{max(timings[1:]):.1f} s ({DRAWS} draws, {grid.n_cells:,} cells)")


if __name__ == "__main__":
    main()
