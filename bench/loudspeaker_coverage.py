"""Benchmark: the loudspeaker coverage of examples/loudspeaker/paju-night.yaml on the 5 km grid.

Run: ``.venv/bin/python bench/loudspeaker_coverage.py``. Prints

- wall times: loading the grid (from the cache; built first if absent), reading and validating
  the activity (the first validation loads the province outlines for the distance check), the
  first coverage and the best of five repeated ones, for 200 draws (the command's default) and
  1,000 draws;
- the figures: cells within the model's 40 km reach, cells where the median probability is
  at least 1/2, people who could understand the broadcast (median and 90 %
  interval), for the example at night and by day;
- the on-axis distance at which speech is understood with probability 1/2 under middle
  conditions, to set beside the published reports (docs/loudspeaker-model.md, "Agreement").

No measurement with a known sound power exists to compare with, so no reference ratio is
printed; the reports give ranges for arrays whose sound power is not published.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import numpy as np

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "loudspeaker" / "paju-night.yaml"
YEAR = 2026
REPEATS = 5


def on_axis_range_km(spec, channel, period: str) -> float:
    """Distance (km) on the main lobe's axis at which the level stands ``margin`` dB above a rural
    background, i.e. speech is understood with probability 1/2, for the median absorption of
    ISO 9613-2 Table 2 in the spec's band and C0 = 2.5 dB (the middle of its range)."""
    from corridor.channels.loudspeaker import acoustics

    d = np.linspace(100.0, 40_000.0, 39_901)
    alpha = float(np.median(acoustics.ABSORPTION_DB_PER_KM[spec.band_hz]))
    c_met = acoustics.meteorological_correction_db(d, spec.height_m, 1.5, 2.5)
    level = acoustics.sound_pressure_level_db(
        spec.sound_power_db, d, directivity_db_=spec.directivity_index_db, alpha_db_per_km=alpha,
        source_height_m=spec.height_m, receiver_height_m=1.5, c_met_db=c_met)
    background = channel.background_night_rural_db + (channel.background_day_offset_db if period == "day" else 0.0)
    audible = level >= background + channel.margin_db
    return float(d[audible][-1] / 1000.0) if audible.any() else 0.0


def cells_within(grid, spec, km: float) -> int:
    """Cells whose centre is within ``km`` of the site (geodesic on WGS 84)."""
    from pyproj import Geod

    _, _, dist_m = Geod(ellps="WGS84").inv(np.full(grid.n_cells, spec.lon), np.full(grid.n_cells, spec.lat),
                                           grid.lon, grid.lat)
    return int((dist_m <= km * 1000.0).sum())


def main() -> None:
    t0 = time.perf_counter()
    from corridor.channels import Activity, get_channel
    from corridor.channels.files import read_activity
    from corridor.channels.loudspeaker.channel import MAX_REACH_KM
    from corridor.geo import load_grid

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    grid = load_grid(5.0, YEAR)
    t_grid = time.perf_counter() - t0
    t0 = time.perf_counter()
    activity = read_activity(EXAMPLE, channel="loudspeaker")
    t_read = time.perf_counter() - t0
    channel = get_channel("loudspeaker")

    print(f"example: {EXAMPLE.relative_to(EXAMPLE.parents[2])}; grid 5 km, {grid.n_cells:,} cells, "
          f"population {YEAR}: {grid.population.sum():,.0f}")
    print(f"import {t_import:.2f} s, load grid {t_grid:.2f} s, read and validate the activity {t_read:.2f} s")
    print()
    print(f"{'draws':>6} {'first s':>8} {'best of 5 s':>12} {'median s':>9} {'ms per 100 draws':>17}")
    for draws in (200, 1000):
        t0 = time.perf_counter()
        channel.coverage(activity, grid, draws=draws, seed=0)
        first = time.perf_counter() - t0
        times = []
        for i in range(REPEATS):
            t0 = time.perf_counter()
            channel.coverage(activity, grid, draws=draws, seed=i + 1)
            times.append(time.perf_counter() - t0)
        print(f"{draws:>6} {first:>8.3f} {min(times):>12.3f} {statistics.median(times):>9.3f} "
              f"{1000 * min(times) / draws * 100:>17.2f}")
    print()
    print(f"{'period':>6} {'cells <= 40 km':>15} {'cells p50 >= 1/2':>17} {'people, median':>15} "
          f"{'90 % interval':>22} {'on-axis range km':>17}")
    for period in ("night", "day"):
        act = Activity.create("loudspeaker", {**activity.spec.model_dump(), "period": period},
                              id=f"{activity.id}-{period}", start=activity.start)
        cov = channel.coverage(act, grid, draws=200, seed=0)
        s = cov.summary(grid)
        in_reach = cells_within(grid, act.spec, MAX_REACH_KM)
        understood = int((np.median(cov.probability, axis=0) >= 0.5).sum())
        interval = f"{s['reached_lower90']:,.0f}–{s['reached_upper90']:,.0f}"
        print(f"{period:>6} {in_reach:>15,} {understood:>17,} {s['reached_median']:>15,.0f} {interval:>22} "
              f"{on_axis_range_km(act.spec, channel, period):>17.1f}")
    print()
    print("reference ratio: none. No published measurement gives the sound power of an array together "
          "with the distance at which it was understood; see docs/loudspeaker-model.md, 'Agreement'.")


if __name__ == "__main__":
    main()
