"""Simulation-based check of the evidence estimators (feeds docs/evidence-validation.md).

Draws ``--surveys`` synthetic populations (each with its own exposure model), samples
``--n`` respondents from each with defector-like bias (border provinces, women), estimates the
share exposed by ``--year`` for all nine channels with MRP, the raw share and the raking
baseline, and compares each with the known truth. Prints the coverage of the 90 % intervals
and the mean absolute errors; one JSON line per survey goes to ``--out`` so that a long run can
be summarised at any time (``--summarize FILE``).

    .venv/bin/python bench/evidence_validation.py --surveys 50 --n 2000 --out validation.jsonl
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

import synthetic_surveys


def run(surveys: int, n: int, year: int, out: Path, first_seed: int, draws: int, tune: int) -> None:
    from corridor.evidence.estimate import estimate_exposure

    compiled = None
    for i, (seed, truth, sample) in enumerate(synthetic_surveys.surveys(surveys, n, first_seed)):
        compiled = synthetic_surveys.compiled_model(sample, compiled)
        t0 = time.perf_counter()
        est = estimate_exposure(sample, year, seed=seed, draws=draws, tune=tune, compiled=compiled)
        true = truth.shares(year)
        recent = sample[(sample["year_left"] > year - 5) & (sample["year_left"] <= year)]
        row = {"seed": seed, "n": n, "year": year, "channels": {}}
        for ch, e in est.channels.items():
            col = recent[f"{ch}_ever"]
            raw_recent = float((col == "yes").sum() / max(1, col.isin(["yes", "no"]).sum()))
            row["channels"][ch] = {
                "truth": true[ch]["national"], "raw": e.raw_share, "raw_recent": raw_recent,
                "mrp": e.share, "lower90": e.lower90, "upper90": e.upper90,
                "raking": e.raking["share"], "raking_deff": e.raking["deff"],
                **e.diagnostics, "refused": e.refused_because, "attempts": e.attempts,
            }
        synthetic_surveys.record(out, row, t0, i + 1, surveys)
    summarize(out)


def summarize(path: Path) -> None:
    rows = synthetic_surveys.read_rows(path)
    channels = list(rows[0]["channels"])
    print(f"{len(rows)} synthetic surveys of {rows[0]['n']} respondents, year {rows[0]['year']}")
    print("| Channel | Surveys shown | 90 % coverage | MAE MRP | MAE raw (all) | MAE raw (left in last 5 y) | MAE raking | mean raking deff |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    totals = {"cov": [], "mrp": [], "raw": [], "rr": [], "rk": []}
    for ch in channels:
        c = [r["channels"][ch] for r in rows]
        shown = [x for x in c if x["mrp"] is not None]
        cover = np.mean([x["lower90"] <= x["truth"] <= x["upper90"] for x in shown])
        mae = lambda key, xs: np.mean([abs(x[key] - x["truth"]) for x in xs])  # noqa: E731
        totals["cov"] += [x["lower90"] <= x["truth"] <= x["upper90"] for x in shown]
        for k, key in (("mrp", "mrp"), ("raw", "raw"), ("rr", "raw_recent"), ("rk", "raking")):
            totals[k] += [abs(x[key] - x["truth"]) for x in (shown if k == "mrp" else c)]
        print(f"| {ch} | {len(shown)}/{len(c)} | {cover:.0%} | {mae('mrp', shown):.3f} | {mae('raw', c):.3f} "
              f"| {mae('raw_recent', c):.3f} | {mae('raking', c):.3f} | {np.mean([x['raking_deff'] for x in c]):.1f} |")
    print(f"| all | {len(totals['mrp'])} | {np.mean(totals['cov']):.0%} | {np.mean(totals['mrp']):.3f} "
          f"| {np.mean(totals['raw']):.3f} | {np.mean(totals['rr']):.3f} | {np.mean(totals['rk']):.3f} | |")
    print(f"mean time per survey (9 channels): {np.mean([r['seconds'] for r in rows]):.0f} s")


if __name__ == "__main__":
    synthetic_surveys.main(__doc__, run, summarize, surveys=50, seed=1000, out="evidence_validation.jsonl")
