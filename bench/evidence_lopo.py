"""Leave-one-province-out check of the MRP model (feeds docs/evidence-validation.md).

For each of the ten provinces in turn, the model is fitted without that province's
respondents, and two things are compared:

- **held-out raw share**: the model's prediction of the share answering ``yes`` among the
  held-out respondents (their own sex, urban/rural, age group and year left; the province
  effect drawn from its fitted distribution, as for a province never surveyed), with a 90 %
  predictive interval that includes the binomial noise of that many answers, against the share
  they actually gave;
- **province truth** (synthetic data only): the post-stratified share of the held-out province
  by ``--year`` against the known truth.

    .venv/bin/python bench/evidence_lopo.py --synthetic --n 2000 --seed 3
    .venv/bin/python bench/evidence_lopo.py --csv examples/evidence/synthetic-survey.csv

By default three channels are checked (``--channels dvd,usb_sd,radio``; ``all`` for nine).
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np


def run(sample, channels, year: int, truth=None, seed: int = 0, draws: int = 500, tune: int = 400) -> list[dict]:
    from corridor.evidence import mrp
    from corridor.evidence.diagnostics import diagnose
    from corridor.evidence.estimate import model_columns
    from corridor.evidence.frame import poststrat_frame
    from corridor.geo.names import PROVINCES

    df = model_columns(sample)
    frame = poststrat_frame(year)
    compiled = mrp.compile_model(mrp.aggregate_cells(df, channels))
    true = truth.shares(year) if truth is not None else None
    rng = np.random.default_rng(seed)
    rows = []
    for p_index, province in enumerate(PROVINCES):
        held = df[df["province_index"] == p_index]
        kept = df[df["province_index"] != p_index]
        if len(held) == 0:
            continue
        cells = mrp.aggregate_cells(kept, channels)
        for ch in channels:
            answers = held[f"{ch}_ever"]
            valid = held[answers.isin(["yes", "no"])]
            if len(valid) == 0:
                continue
            idata = mrp.sample(compiled, cells, ch, draws=draws, tune=tune, seed=seed + p_index)
            diag = diagnose(idata, mrp.PARAMETERS)
            if not diag.passed:  # the estimator's second attempt
                idata = mrp.sample(compiled, cells, ch, draws=1000, tune=1000, seed=seed + 100 + p_index,
                                   target_accept=0.98, low_rank=False)
                diag = diagnose(idata, mrp.PARAMETERS)
            post = mrp.posterior_draws(idata)
            prob = mrp.cell_probability(post, valid["province_index"].to_numpy(), valid["female"].to_numpy(),
                                        valid["urban"].to_numpy(), valid["age_index"].to_numpy(),
                                        valid["year_left"].to_numpy())
            predicted = (rng.random(prob.shape) < prob).mean(axis=1)      # posterior predictive share
            observed = float((valid[f"{ch}_ever"] == "yes").mean())
            lo, hi = np.percentile(predicted, [5, 95])
            row = {"province": province, "channel": ch, "held_out": len(valid), "observed": observed,
                   "predicted": float(np.median(predicted)), "lower90": float(lo), "upper90": float(hi),
                   "covered": bool(lo <= observed <= hi), "passed_gate": diag.passed}
            if true is not None:
                ps = mrp.poststratify(post, frame, year)["provinces"][province]
                t = true[ch]["provinces"][province]
                plo, phi = np.percentile(ps, [5, 95])
                row.update({"truth": t, "province_share": float(np.median(ps)), "province_lower90": float(plo),
                            "province_upper90": float(phi), "truth_covered": bool(plo <= t <= phi)})
            rows.append(row)
            print(json.dumps(row), flush=True)
    return rows


def summarize(rows: list[dict]) -> None:
    print("| Province | Channel | Held out | Observed | Predicted [90 %] | Covered |" +
          (" Truth | MRP province share [90 %] |" if "truth" in rows[0] else ""))
    print("|---|---|---:|---:|---:|:-:|" + ("---:|---:|" if "truth" in rows[0] else ""))
    for r in rows:
        line = (f"| {r['province']} | {r['channel']} | {r['held_out']} | {r['observed']:.3f} | "
                f"{r['predicted']:.3f} [{r['lower90']:.3f}, {r['upper90']:.3f}] | {'yes' if r['covered'] else 'no'} |")
        if "truth" in r:
            line += (f" {r['truth']:.3f} | {r['province_share']:.3f} [{r['province_lower90']:.3f}, "
                     f"{r['province_upper90']:.3f}]{'' if r['truth_covered'] else ' (missed)'} |")
        print(line)
    print(f"held-out raw share inside the 90 % predictive interval: {sum(r['covered'] for r in rows)}/{len(rows)}; "
          f"mean |predicted - observed| {np.mean([abs(r['predicted'] - r['observed']) for r in rows]):.3f}; "
          f"fits passing the gate {sum(r['passed_gate'] for r in rows)}/{len(rows)}")
    if "truth" in rows[0]:
        print(f"province truth inside the 90 % interval: {sum(r['truth_covered'] for r in rows)}/{len(rows)}; "
              f"mean |MRP - truth| {np.mean([abs(r['province_share'] - r['truth']) for r in rows]):.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--synthetic", action="store_true", help="draw a SYNTHETIC survey with a known truth")
    src.add_argument("--csv", type=Path, help="canonical respondent CSV")
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--year", type=int, default=2019)
    ap.add_argument("--channels", default="dvd,usb_sd,radio")
    args = ap.parse_args()
    from corridor.evidence.vocabulary import CHANNELS

    channels = CHANNELS if args.channels == "all" else tuple(args.channels.split(","))
    t0 = time.perf_counter()
    truth = None
    if args.synthetic:
        from corridor.evidence.synth import draw_sample, draw_truth

        truth = draw_truth(args.seed)
        sample = draw_sample(truth, args.n, seed=args.seed)
        sample["urban"] = sample["urban"] == "urban"
        print(f"SYNTHETIC survey: {args.n} respondents, seed {args.seed}")
    else:
        from corridor.evidence.canonical import read_canonical

        data = read_canonical(args.csv)
        sample = data.respondents
        channels = tuple(c for c in channels if c in data.channels)
        print(f"{args.csv}: {len(sample)} respondents")
    rows = run(sample, channels, args.year, truth=truth, seed=args.seed)
    summarize(rows)
    print(f"wall time {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
