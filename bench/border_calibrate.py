"""Benchmark: calibrating the national model of foreign video (PyMC ABC-SMC) on the published figures.

Run: ``.venv/bin/python bench/border_calibrate.py [--draws 1000] [--ship] [--assess-only]``. Prints the wall
time of the inference (two chains on two cores), each parameter's posterior beside its prior, the
fit to every published figure, and the time to load the shipped posterior and compute the
marginal reach of one shipment (what ``assess`` adds). ``--ship`` writes the result over the
shipped posterior ``src/corridor/channels/border/data/national_posterior.npz``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from corridor.channels.border import calibration as cal
from corridor.geo import load_grid

SHIPPED = Path(__file__).resolve().parents[1] / "src/corridor/channels/border/data" / cal.POSTERIOR_FILE


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--ship", action="store_true")
    parser.add_argument("--assess-only", action="store_true", help="only time what assess adds")
    args = parser.parse_args()
    if args.assess_only:
        assess_overhead()
        return
    grid = load_grid(5.0, 2008)
    inputs = cal.national_inputs(grid)
    t0 = time.perf_counter()
    post = cal.calibrate(inputs, draws=args.draws, chains=2, cores=2, seed=args.seed)
    seconds = time.perf_counter() - t0
    print(f"calibration: {args.draws} particles x 2 chains in {seconds:.1f} s")
    print(f"{'parameter':16} {'posterior median (90%)':>34} {'prior 90%':>26}")
    for name, s in cal.parameter_summary(post).items():
        print(f"{name:16} {s['median']:12.4g} ({s['lower90']:.4g}-{s['upper90']:.4g})"
              f"   {s['prior_lower90']:.4g}-{s['prior_upper90']:.4g}")
    for r in cal.published_fit(post):
        print(f"{r['study'][:62]:62} {r['figure']:.3f}  model {r['model_median']:.3f} "
              f"({r['predictive_lower90']:.3f}-{r['predictive_upper90']:.3f}) inside={r['inside90']}")
    if args.ship:
        cal.save_posterior(post, SHIPPED)
        print(f"wrote {SHIPPED.name}, {SHIPPED.stat().st_size / 1e3:.0f} kB")


def assess_overhead() -> None:
    """What the calibrated reach adds to one border coverage in ``assess`` (200 draws, 5 km grid,
    a fresh process): reading the shipped posterior and pairing its draws, against the
    uncalibrated one-shipment coverage of the same shipment."""
    from datetime import datetime

    from corridor.channels.base import Activity
    from corridor.channels.border.channel import BorderChannel

    grid = load_grid(5.0, 2026)
    spec = {"crossing": "hyesan", "devices": 1000, "content_gb": 16, "days": 90}
    make = lambda reach: Activity.create("border", {**spec, "reach": reach}, id="b",
                                         start=datetime(2026, 3, 1))
    BorderChannel().coverage(make("one_shipment"), grid, draws=200, seed=0)   # trade network, caches
    t0 = time.perf_counter()
    post = cal.shipped_posterior()
    t_load = time.perf_counter() - t0
    times = {}
    for reach in ("one_shipment", "new_content", "one_shipment", "new_content"):
        t0 = time.perf_counter()
        BorderChannel().coverage(make(reach), grid, draws=200, seed=0)
        times.setdefault(reach, []).append(time.perf_counter() - t0)
    print(f"shipped posterior: {post.draws} draws read in {t_load * 1e3:.0f} ms")
    for reach, ts in times.items():
        print(f"coverage, reach={reach}: best {min(ts):.3f} s")
    print(f"added by the calibrated reach: {min(times['new_content']) - min(times['one_shipment']) + t_load:.3f} s")


if __name__ == "__main__":
    main()
