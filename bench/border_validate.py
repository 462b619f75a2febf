"""Validation of the calibrated national model: simulation-based calibration and leave-one-out.

Run: ``.venv/bin/python bench/border_validate.py [--series 100] [--sbc-draws 1000] [--docs]``
(about an hour on a 2-core machine at the shipped 1,000 particles × 2 chains; ``--sbc-draws 300``
takes a quarter of that). Prints:

* **simulation-based calibration** (Talts et al. 2018, *Validating Bayesian inference algorithms
  with simulation-based calibration*, arXiv:1804.06788): for each series, parameters θ* drawn
  from the prior, the published targets simulated from them (model share plus the observation
  error the likelihood assumes), the inference rerun; per parameter, the rank of θ* among the
  posterior draws (10 bins, χ² and Kolmogorov–Smirnov tests of uniformity) and how often the
  90 % interval holds θ*, with the Clopper–Pearson 90 % interval of that coverage, and the
  coverage pooled over every parameter;
* **leave one published figure out**: the inference rerun without each target (1,000 particles
  × 2 chains) and whether the held-out figure lies in the 90 % predictive interval;
* the timings.

``--docs`` also writes the pair plot of the shipped posterior and the landscape chart to
``docs/img/``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
from scipy import stats

from corridor.channels.border import calibration as cal
from corridor.geo import load_grid

ROOT = Path(__file__).resolve().parents[1]


def sbc(inputs, targets, priors, *, series: int, draws: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    names = list(priors)
    ranks = {n: [] for n in names}
    covered = {n: 0 for n in names}
    times = []
    done = 0
    while done < series:
        truth = {n: priors[n].draw(1, rng) for n in names}
        pred = cal.predict_targets(truth, cal.run_model(truth, inputs), inputs, targets)[0]
        sd = cal.figure_sd(np.array([t.se for t in targets]), truth[cal.SPREAD][0], pred)
        # exactly the likelihood's model, unclipped: a share past 0 or 1 is a possible draw of it,
        # and clipping would make the data differ from what the inference assumes
        observed = pred + rng.normal(0.0, sd)
        t0 = time.perf_counter()
        post = cal.calibrate(inputs, targets=targets, priors=priors, draws=draws, chains=2, cores=2,
                             seed=int(rng.integers(1 << 30)), observed_shares=observed)
        times.append(time.perf_counter() - t0)
        for n in names:
            values = post.theta[n]
            ranks[n].append(float(np.mean(values < truth[n][0])))
            lo, hi = np.percentile(values, [5, 95])
            covered[n] += int(lo <= truth[n][0] <= hi)
        done += 1
        print(f"  series {done}/{series}: {times[-1]:.1f} s", flush=True)
    out = {}
    for n in names:
        r = np.asarray(ranks[n])
        counts = np.histogram(r, bins=10, range=(0, 1))[0]
        ci = stats.binomtest(covered[n], series).proportion_ci(0.90)
        out[n] = {"coverage90": covered[n] / series, "coverage_ci90": [ci.low, ci.high],
                  "chi2_p": float(stats.chisquare(counts).pvalue),
                  "ks_p": float(stats.kstest(r, "uniform").pvalue), "bins": counts.tolist()}
    pooled = sum(covered.values())
    ci = stats.binomtest(pooled, series * len(names)).proportion_ci(0.90)
    return {"series": series, "draws_per_chain": draws, "seconds_per_fit": float(np.mean(times)), "parameters": out,
            "pooled_coverage90": pooled / (series * len(names)), "pooled_ci90": [ci.low, ci.high]}


def leave_one_out(inputs, targets, priors, *, draws: int, seed: int) -> list[dict]:
    rows = []
    for i, held in enumerate(targets):
        kept = [t for j, t in enumerate(targets) if j != i]
        t0 = time.perf_counter()
        post = cal.calibrate(inputs, targets=kept, priors=priors, draws=draws, chains=2, cores=2, seed=seed + i)
        fit = cal.published_fit(post, targets)[i]
        rows.append({"study": held.study, "figure": held.share, "model_median": fit["model_median"],
                     "lower90": fit["predictive_lower90"], "upper90": fit["predictive_upper90"],
                     "inside90": fit["inside90"], "seconds": round(time.perf_counter() - t0, 1)})
        print(f"  without {held.study[:60]}: {held.share:.3f} in ({fit['predictive_lower90']:.3f}, "
              f"{fit['predictive_upper90']:.3f})? {fit['inside90']}", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=100)
    parser.add_argument("--sbc-draws", type=int, default=1000)
    parser.add_argument("--loo-draws", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-sbc", action="store_true")
    parser.add_argument("--skip-loo", action="store_true")
    parser.add_argument("--docs", action="store_true")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    inputs = cal.national_inputs(load_grid(5.0, 2008))
    targets, priors = cal.read_targets(), cal.read_priors()
    result = {}
    if args.docs:
        from corridor.presentation.border import exposure_chart, pair_plot

        post = cal.shipped_posterior()
        logs = tuple(n for n, p in priors.items() if p.distribution == "loguniform")
        pair_plot(post.theta, ROOT / "docs/img/border-posterior-pairs.png", log=logs)
        exposure_chart(cal.landscape(post), ROOT / "docs/img/border-landscape.png")
        corr = np.corrcoef(np.array([np.log(post.theta[n]) if n in logs else post.theta[n] for n in priors]))
        names = list(priors)
        pairs = sorted(((abs(corr[i, j]), names[i], names[j], corr[i, j]) for i in range(len(names))
                        for j in range(i + 1, len(names))), reverse=True)[:5]
        print("strongest posterior correlations (log scale for log-uniform):")
        for _, a, b, c in pairs:
            print(f"  {a} ~ {b}: {c:+.2f}")
    if not args.skip_loo:
        print("leave one out:")
        t0 = time.perf_counter()
        result["leave_one_out"] = leave_one_out(inputs, targets, priors, draws=args.loo_draws, seed=args.seed)
        print(f"  {time.perf_counter() - t0:.0f} s")
    if not args.skip_sbc:
        print("simulation-based calibration:")
        t0 = time.perf_counter()
        result["sbc"] = sbc(inputs, targets, priors, series=args.series, draws=args.sbc_draws, seed=args.seed)
        print(f"  {time.perf_counter() - t0:.0f} s")
        for n, s in result["sbc"]["parameters"].items():
            lo, hi = s["coverage_ci90"]
            print(f"  {n:16} coverage90 {s['coverage90']:.2f} ({lo:.2f}-{hi:.2f})  chi2 p {s['chi2_p']:.2f}  "
                  f"KS p {s['ks_p']:.2f}  bins {s['bins']}")
        lo, hi = result["sbc"]["pooled_ci90"]
        print(f"  pooled over parameters: coverage90 {result['sbc']['pooled_coverage90']:.3f} ({lo:.3f}-{hi:.3f})")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
