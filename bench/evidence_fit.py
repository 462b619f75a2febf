"""Benchmark: MRP fit of all nine channels on 5,000 synthetic respondents, timed, with diagnostics.

    .venv/bin/python bench/evidence_fit.py [--n 5000] [--year 2019] [--seed 0] [--raking]

Prints where the time goes: importing PyMC, compiling the model (once per process; the first
run on a machine also fills PyTensor's Numba cache, later runs read it), then per channel the
sampling time (first and, if the diagnostics gate failed, second attempt), diagnostics,
post-stratification, R-hat, bulk/tail ESS, divergences, the estimate with its 90 % interval and
the known truth; then the totals, wall and processor time, and the load average (timings on
a shared machine depend on it).
"""

from __future__ import annotations

import argparse
import os
import resource
import time


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--year", type=int, default=2019)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--raking", action="store_true", help="also compute the raking baseline")
    args = ap.parse_args()
    t_start, c_start = time.perf_counter(), _cpu()
    import pymc  # noqa: F401  (timed: importing PyMC is part of every fit's cost)

    from corridor.evidence import mrp
    from corridor.evidence.estimate import estimate_exposure, model_columns
    from corridor.evidence.synth import draw_sample, draw_truth

    t_import = time.perf_counter() - t_start
    truth = draw_truth(args.seed)
    sample = draw_sample(truth, args.n, seed=args.seed)
    sample["urban"] = sample["urban"] == "urban"
    t0 = time.perf_counter()
    cells = mrp.aggregate_cells(model_columns(sample))
    compiled = mrp.compile_model(cells)
    t_compile = time.perf_counter() - t0
    t0, c0 = time.perf_counter(), _cpu()
    est = estimate_exposure(sample, args.year, seed=args.seed, compiled=compiled, raking=args.raking)
    t_fit, c_fit = time.perf_counter() - t0, _cpu() - c0
    true = truth.shares(args.year)
    print(f"SYNTHETIC survey: {args.n} respondents in {len(cells.covariates)} cells, year {args.year}, seed {args.seed}")
    print(f"import PyMC and corridor: {t_import:.1f} s; compile (once per process): {t_compile:.1f} s")
    print(f"{'channel':14s} {'sample':>6s} {'retry':>6s} {'diag':>5s} {'post':>5s} {'R-hat':>6s} {'ESS b/t':>11s} "
          f"{'div':>4s}  {'MRP [90 %]':>22s} {'truth':>6s} {'raw':>6s}")
    phase = {"sampling": 0.0, "second_attempt": 0.0, "diagnostics": 0.0, "poststratification": 0.0, "raking": 0.0}
    for ch, e in est.channels.items():
        d, tm = e.diagnostics, e.timings
        for k in phase:
            phase[k] += tm.get(k, 0.0)
        shown = f"{e.share:.3f} [{e.lower90:.3f}, {e.upper90:.3f}]" if e.share is not None else "withheld"
        print(f"{ch:14s} {tm.get('sampling', 0):6.1f} {tm.get('second_attempt', 0):6.1f} {tm.get('diagnostics', 0):5.1f} "
              f"{tm.get('poststratification', 0):5.1f} {d['rhat_max']:6.3f} {d['ess_bulk_min']:5d}/{d['ess_tail_min']:<5d} "
              f"{d['divergences']:4d}  {shown:>22s} {true[ch]['national']:6.3f} {e.raw_share:6.3f}")
    wall = time.perf_counter() - t_start
    print("phases: " + ", ".join(f"{k} {v:.1f} s" for k, v in phase.items() if v or k != "raking"))
    print(f"nine channels: fit {t_fit:.1f} s wall ({c_fit:.1f} s processor), with compile "
          f"{t_compile + t_fit:.1f} s; whole run {wall:.1f} s wall, {_cpu() - c_start:.1f} s processor")
    print(f"second attempts: {sum(e.attempts > 1 for e in est.channels.values())}; "
          f"shown: {sum(e.share is not None for e in est.channels.values())}/9 channels passed the gate")
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
