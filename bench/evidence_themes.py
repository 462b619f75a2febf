"""Coverage of the content-theme estimates on synthetic surveys with a known truth.

For ``--surveys`` seeds, draws a synthetic population (channel exposure and the content of each
channel), samples ``--n`` respondents with defector-like bias (border provinces, women) and
their answers to the content question, estimates the share exposed to each theme by ``--year``
(overall, MRP with the channels' frame and diagnostics gate) and checks whether each 90 %
interval holds the truth. Prints the coverage per theme and overall, with the mean absolute
error of MRP and of the raw share. One JSON line per survey goes to ``--out``
(``--summarize FILE`` prints the table of a finished or interrupted run).

    .venv/bin/python bench/evidence_themes.py --surveys 30 --n 2000 --out themes.jsonl
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

import synthetic_surveys


def run(surveys: int, n: int, year: int, out: Path, first_seed: int, draws: int, tune: int) -> None:
    from corridor.evidence.synth import add_themes, draw_theme_truth
    from corridor.evidence.theme_estimate import estimate_themes

    compiled = None
    for i, (seed, truth, sample) in enumerate(synthetic_surveys.surveys(surveys, n, first_seed)):
        theme_truth = draw_theme_truth(truth)
        sample = add_themes(sample, theme_truth, seed=seed)
        compiled = synthetic_surveys.compiled_model(sample, compiled)
        t0 = time.perf_counter()
        est = estimate_themes(sample, year, seed=seed, draws=draws, tune=tune, by_channel=False,
                              compiled=compiled)
        true = theme_truth.shares(year)["overall"]
        row = {"seed": seed, "n": n, "year": year, "themes": {}}
        for code, e in est.overall.items():
            row["themes"][code] = {"truth": true[code]["national"], "raw": e.raw_share, "mrp": e.share,
                                   "lower90": e.lower90, "upper90": e.upper90,
                                   "raking": e.raking["share"] if e.raking else None,
                                   "valid": e.respondents_valid, **e.diagnostics,
                                   "refused": e.refused_because, "attempts": e.attempts}
        synthetic_surveys.record(out, row, t0, i + 1, surveys)
    summarize(out)


def summarize(path: Path) -> None:
    rows = synthetic_surveys.read_rows(path)
    themes = list(rows[0]["themes"])
    print(f"{len(rows)} synthetic surveys of {rows[0]['n']} respondents, year {rows[0]['year']}, "
          f"seeds {rows[0]['seed']}–{rows[-1]['seed']}")
    print("| Theme | Surveys shown | 90 % coverage | mean truth | MAE MRP | MAE raw | MAE raking | mean valid answers |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    hits, err_mrp, err_raw = [], [], []
    for code in themes:
        c = [r["themes"][code] for r in rows]
        shown = [x for x in c if x["mrp"] is not None]
        cover = [x["lower90"] <= x["truth"] <= x["upper90"] for x in shown]
        hits += cover
        e_m = [abs(x["mrp"] - x["truth"]) for x in shown]
        e_r = [abs(x["raw"] - x["truth"]) for x in c]
        e_k = [abs(x["raking"] - x["truth"]) for x in c if x["raking"] is not None]
        err_mrp += e_m
        err_raw += e_r
        print(f"| {code} | {len(shown)}/{len(c)} | {np.mean(cover):.0%} | {np.mean([x['truth'] for x in c]):.3f} "
              f"| {np.mean(e_m):.3f} | {np.mean(e_r):.3f} | {np.mean(e_k) if e_k else float('nan'):.3f} "
              f"| {np.mean([x['valid'] for x in c]):.0f} |")
    se = np.sqrt(0.9 * 0.1 / max(1, len(hits)))
    print(f"| all | {len(hits)} | {np.mean(hits):.1%} | | {np.mean(err_mrp):.3f} | {np.mean(err_raw):.3f} | | |")
    print(f"overall coverage {np.mean(hits):.1%} of {len(hits)} intervals (binomial s.e. at 90 %: {se:.1%}); "
          f"target 85-95 %")
    print(f"mean time per survey ({len(themes)} themes): {np.mean([r['seconds'] for r in rows]):.0f} s")


if __name__ == "__main__":
    synthetic_surveys.main(__doc__, run, summarize, surveys=30, seed=3000, out="evidence_themes.jsonl")
