"""Benchmark: MRP fit of all nine channels on 5,000 synthetic respondents, timed, with diagnostics.

    .venv/bin/python bench/evidence_fit.py [--n 5000] [--year 2019] [--seed 0]

Prints the compile time, then per channel the sampling time, R-hat, bulk/tail ESS, divergences,
the estimate with its 90 % interval and the known truth; then the total. The reference timing
(15.5 s for one channel, nutpie on aggregated cells, 5,000 respondents, compile included) was
recorded on a 2-core machine with a simpler model; the ratio is printed beside ours.
"""

from __future__ import annotations

import argparse
import time

REFERENCE_ONE_CHANNEL_S = 15.5


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--year", type=int, default=2019)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    t_start = time.perf_counter()
    from corridor.evidence import mrp
    from corridor.evidence.estimate import estimate_exposure, model_columns
    from corridor.evidence.synth import draw_sample, draw_truth

    truth = draw_truth(args.seed)
    sample = draw_sample(truth, args.n, seed=args.seed)
    sample["urban"] = sample["urban"] == "urban"
    t0 = time.perf_counter()
    compiled = mrp.compile_model(mrp.aggregate_cells(model_columns(sample)).covariates)
    t_compile = time.perf_counter() - t0
    t0 = time.perf_counter()
    est = estimate_exposure(sample, args.year, seed=args.seed, compiled=compiled, raking=False)
    t_fit = time.perf_counter() - t0
    true = truth.shares(args.year)
    print(f"SYNTHETIC survey: {args.n} respondents, year {args.year}, seed {args.seed}")
    print(f"compile (once per process): {t_compile:.1f} s")
    print(f"{'channel':14s} {'time s':>7s} {'R-hat':>6s} {'ESS b/t':>11s} {'div':>4s}  {'MRP [90 %]':>22s} {'truth':>6s} {'raw':>6s}")
    for ch, e in est.channels.items():
        d = e.diagnostics
        shown = f"{e.share:.3f} [{e.lower90:.3f}, {e.upper90:.3f}]" if e.share is not None else "withheld"
        print(f"{ch:14s} {e.seconds:7.1f} {d['rhat_max']:6.3f} {d['ess_bulk_min']:5d}/{d['ess_tail_min']:<5d} "
              f"{d['divergences']:4d}  {shown:>22s} {true[ch]['national']:6.3f} {e.raw_share:6.3f}")
    total = t_compile + t_fit
    print(f"nine channels: sampling {t_fit:.1f} s, with compile {total:.1f} s "
          f"(wall from start {time.perf_counter() - t_start:.1f} s)")
    print(f"per channel incl. a ninth of the compile: {total / len(est.channels):.1f} s; "
          f"reference one channel {REFERENCE_ONE_CHANNEL_S} s; ratio {total / len(est.channels) / REFERENCE_ONE_CHANNEL_S:.2f}")
    print(f"shown: {sum(e.share is not None for e in est.channels.values())}/9 channels passed the gate")


if __name__ == "__main__":
    main()
