"""Balloon validation: Tawhiri reference flights on the same wind fields, and ensemble convergence.

    .venv/bin/python bench/balloon_validate.py                    # development set, both checks
    .venv/bin/python bench/balloon_validate.py --flights DIR      # another set of reference flights

Part 1 predicts every reference flight from its inputs alone and prints, per flight, the distance
between our end point and Tawhiri's, and the largest distance between the two tracks at equal
times. Part 2 evaluates two launches with ensembles of 64, 128, 256, 512 and 1,024 repetitions
(independent seeds) and prints the mean share of leaflets landing in the South, the North and
the sea, and how far each share moved when the ensemble doubled.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd

from corridor.channels.balloon.channel import LaunchSpec, evaluate
from corridor.channels.balloon.interpolation import WindArrays
from corridor.channels.balloon.samples import open_sample
from corridor.channels.balloon.validation import validate_folder

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def reference(folder: Path, wind_folder: Path) -> bool:
    t = time.perf_counter()
    results = validate_folder(folder, wind_folder)
    print(f"## Same-field comparison with Tawhiri ({len(results)} flights from {folder.name}/)\n")
    print("| flight | profile | range km | landing distance m | max track deviation m | end altitude diff m | rows (ours/Tawhiri) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in results:
        print(f"| {r.flight_id} | {r.profile} | {r.range_km:.1f} | {r.landing_distance_m:.6f} | "
              f"{r.max_track_deviation_m:.6f} | {r.final_altitude_difference_m:+.6f} | {r.rows}/{r.reference_rows} |")
    worst = max(max(r.landing_distance_m, r.max_track_deviation_m) for r in results)
    ok = worst < 100.0
    print(f"\nLargest landing distance or track deviation: {worst:.6f} m "
          f"({'all under' if ok else 'NOT all under'} 100 m); {time.perf_counter() - t:.1f} s\n")
    return ok


CASES = {
    "Paju, real GFS 2011-01-15 12Z (north-westerlies)": ("gfs-2011-01-15", "2011-01-15T12:00Z"),
    "Paju, constructed field 2011-10-12 00Z (winds turning)": ("rotating-2011-10-11", "2011-10-12T00:00Z"),
}


def convergence(sizes=(64, 128, 256, 512, 1024)) -> bool:
    print("## Ensemble convergence (mean share of leaflets, percentage points)\n")
    spec = LaunchSpec(site="paju", balloons=10, leaflets_per_balloon=10000, float_altitude_m=4000,
                      timers_h=[2, 3, 4])
    stable_all = True
    for label, (sample, start) in CASES.items():
        W = WindArrays.from_dataset(open_sample(sample))
        print(f"### {label}\n")
        print("| draws | South | North | sea | largest change from half the draws |")
        print("| --- | --- | --- | --- | --- |")
        prev = None
        for i, n in enumerate(sizes):
            out = evaluate(spec, pd.Timestamp(start), W, draws=n, parcels_per_release=24, seed=1000 + i)
            cur = np.array([100 * out.leaflet_shares[c].mean() for c in ("south", "north", "sea")])
            change = "" if prev is None else f"{np.max(np.abs(cur - prev)):.2f}"
            print(f"| {n} | {cur[0]:.2f} | {cur[1]:.2f} | {cur[2]:.2f} | {change} |")
            last_change = None if prev is None else float(np.max(np.abs(cur - prev)))
            prev = cur
        stable = last_change is not None and last_change <= 1.0
        stable_all &= stable
        print(f"\nDoubling {sizes[-2]} → {sizes[-1]} draws moved the shares by at most {last_change:.2f} points "
              f"({'within' if stable else 'OUTSIDE'} ±1).\n")
    return stable_all


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--flights", type=Path, default=SHARED / "data" / "reference" / "balloon" / "tawhiri")
    ap.add_argument("--wind-dir", type=Path, default=SHARED / "data" / "wind")
    ap.add_argument("--skip-convergence", action="store_true")
    args = ap.parse_args()
    ok = reference(args.flights, args.wind_dir)
    if not args.skip_convergence:
        ok &= convergence()
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
