"""Time the real landscape (Korean broadcasts into North Korea) for one season file and day.

Run from the repository root: ``.venv/bin/python bench/radio_landscape.py [SKED] [DATE] [DRAWS]``
(default: the A26 EiBi file of the development set beside the repository, ``../shared``,
2026-07-01, 200 draws, the 5 km grid). Prints the wall time of :func:`landscape.build` (the grid
is loaded before the clock starts; the first run of the process, so it includes loading the
ionospheric maps), the number of unique transmitters computed, and the headline: silent KST
hours, the peak hour with its 90 % interval, and the stations reaching most people.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from corridor.channels.radio import landscape
from corridor.geo.grid import load_grid

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CORRIDOR_SHARED_DIR") or ROOT.parent / "shared")
SKED = SHARED / "data" / "radio" / "eibi" / "sked-a26.csv"


def main(argv: list[str]) -> None:
    sked = Path(argv[0]) if argv else SKED
    date = argv[1] if len(argv) > 1 else "2026-07-01"
    draws = int(argv[2]) if len(argv) > 2 else 200
    if not sked.exists():
        sys.exit(f"needs an EiBi season file ({sked.name}); pass its path")
    grid = load_grid(5.0, int(date[:4]))
    transmitters = []
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    land = landscape.build(sked, date, grid=grid, draws=draws,
                           progress=lambda m: transmitters.append(m) if m.startswith("transmitter") else None)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    out = land.to_json()
    outside = [b for b in out["broadcasts"] if b["outside"]]
    print(f"season {land.season}, {land.date}: {len(out['broadcasts'])} broadcasts with known sites "
          f"({len(outside)} outside, {sum(b['power_assumed'] for b in outside)} at the default power), "
          f"{len({b['station'] for b in out['broadcasts']})} stations")
    print(f"unknown sites: {', '.join(u['site'] + ' (' + u['station'] + ')' for u in out['unknown_sites'])}")
    print(f"grid {grid.n_cells} cells, {draws} draws, {len(transmitters)} unique transmitters")
    print(f"wall time {wall:.1f} s, CPU time {cpu:.1f} s")
    print(f"silent hours KST (no outside station on air): {out['silent_hours_kst']}")
    print(f"unheard hours KST (on air, median < {landscape.UNHEARD_SHARE:.1%} of people): "
          f"{out['unheard_hours_kst']}")
    for k in range(24):
        h = out["hours_kst"][str(k)]
        print(f"  KST {k:02d}  {len(h['stations']):2d} stations  {h['reached_median']:>10,} "
              f"({h['reached_lower90']:,}–{h['reached_upper90']:,})")
    peak = land.peak_hour_kst()
    h = out["hours_kst"][str(peak)]
    print(f"peak KST {peak:02d}: {h['reached_median']:,} people could hear an outside station "
          f"(90 % {h['reached_lower90']:,}–{h['reached_upper90']:,}) of {out['population']:,}")
    print("stations by people reached on a typical day (median, 90 %):")
    for s in out["per_station"][:8]:
        print(f"  {s['station']:<28} {s['reached_median']:>10,} ({s['reached_lower90']:,}–"
              f"{s['reached_upper90']:,}){'  power assumed' if s['power_assumed'] else ''}")


if __name__ == "__main__":
    main(sys.argv[1:])
