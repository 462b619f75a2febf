"""Benchmark: 1,000 Monte Carlo draws of a 90-day border-media spread over all 179 counties.

Run: ``.venv/bin/python bench/border_spread.py``. Prints the wall time of the simulator alone
(best of three), of the whole channel (parameter draws, trade network, coverage over the grid),
and the people reached. No reference program exists for this model, so there is no ratio.
"""

from __future__ import annotations

import time
from datetime import datetime

import numpy as np

from corridor.channels.base import Activity
from corridor.channels.border import parameters, spread
from corridor.channels.border.channel import BorderChannel, county_population, entry_county
from corridor.channels.border.network import trade_network
from corridor.geo import load_grid

DRAWS, DAYS = 1_000, 90


def main() -> None:
    grid = load_grid(5.0, 2026)
    activity = Activity.create("border", {"crossing": "hyesan", "devices": 1000, "content_gb": 16,
                                          "days": DAYS}, id="bench", start=datetime(2026, 3, 1))
    t0 = time.perf_counter()
    net = trade_network(grid, parameters.GRAVITY_LEVELS)
    t_net = time.perf_counter() - t0
    theta = parameters.draw(DRAWS, np.random.default_rng(0))
    pop = county_population(grid)
    entry = entry_county(grid, "hyesan")
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        result = spread.simulate(theta, shipped=1000, entry=entry, population=pop, network=net, days=DAYS,
                                 rng=np.random.default_rng(1))
        times.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    cov = BorderChannel().coverage(activity, grid, draws=DRAWS, seed=0)
    t_cov = time.perf_counter() - t0
    s = cov.summary(grid)
    steps = DRAWS * DAYS * len(grid.county_ids)
    print(f"border spread: {DRAWS:,} draws × {DAYS} days × {len(grid.county_ids)} counties "
          f"({steps / 1e6:.1f} M county-days)")
    print(f"  trade network (rail + 5 gravity levels): {t_net:.2f} s")
    print(f"  simulator alone, best of 3:              {min(times):.2f} s "
          f"({steps / min(times) / 1e6:.1f} M county-days/s)")
    print(f"  whole channel → Coverage ({grid.n_cells:,} cells): {t_cov:.2f} s")
    print(f"  reached by day {DAYS}: {s['reached_median']:,.0f} "
          f"(90% interval {s['reached_lower90']:,.0f}–{s['reached_upper90']:,.0f})")
    print(f"  copies conserved: max |shipped + copied − held − intercepted − removed| = "
          f"{np.abs(result.shipped + result.copied - result.held.sum(1) - result.intercepted - result.removed).max():.2e}")
    print("  reference program: none (no published simulator for this model); no ratio")


if __name__ == "__main__":
    main()
