"""Validate the HF model: CCIR Data Bank D1 measurements, and VOACAP development cases over North Korea.

Run from the repository root: ``.venv/bin/python bench/radio_validate.py [--skip-voacap] [--skip-d1]``.
Prints the tables of ``docs/radio-validation.md``: D1 per distance × day/night cell for every
absorption method of ``hf.predict`` (plain P.533-14 first), then VOACAP like with like (our strongest
single mode and our power sum against VOACAP's one listed mode) and the earlier VOACAP tables.
Reads the reference data beside the repository (``../shared``).
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from corridor.channels.radio import cases, hf, measured, voacap
from corridor.geo import sources

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT.parent / "shared" / "data" / "reference" / "radio"
QUANTITIES = [("snr_db", "SNR (dB)"), ("field_dbuv_per_m", "field strength (dB)"), ("rel", "reliability"),
              ("muf_mhz", "MUF (MHz)")]


def north_korea_mask(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    land = shapely.union_all(sources.provinces().geometry.values)
    return shapely.contains_xy(land, lon, lat)


def voacap_table() -> pd.DataFrame:
    rows = []
    for meta in sorted((REF / "voacapl").glob("case*.json")):
        case = cases.read_case(meta)
        pred = cases.predict_case(case)
        ref = pd.read_csv(meta.with_suffix(".csv.gz"))
        m = ref.merge(pred, on=["lat", "lon", "utc_hour"], suffixes=("_ref", "_model"))
        m = m[north_korea_mask(m["lat"].to_numpy(), m["lon"].to_numpy())]
        # VOACAP's README: below 0 dB(µV/m) or MUFday < 0.01 there is no sky wave to compare
        prop = (m["field_dbuv_per_m_ref"] > 0) & (m["mufday_ref"] >= 0.01)
        for subset, sel in (("all", slice(None)), ("propagating", prop)):
            row = {"case": meta.stem, "subset": subset, "point_hours": int(m[sel].shape[0])}
            for col, _ in QUANTITIES:
                d = (m.loc[sel, f"{col}_model"] - m.loc[sel, f"{col}_ref"]).to_numpy()
                row[f"{col}_bias"] = float(np.median(d))
                row[f"{col}_med"] = float(np.median(np.abs(d)))
                row[f"{col}_p90"] = float(np.percentile(np.abs(d), 90))
            rows.append(row)
    return pd.DataFrame(rows)


def d1_comparisons() -> dict[str, measured.Comparison]:
    path = REF / "d1" / "dbank_d1_other.txt"
    return {name: measured.compare_d1(path, absorption=name) for name in hf.ABSORPTION_OPTIONS}


def print_d1(comps: dict[str, measured.Comparison]) -> None:
    names = list(comps)
    sums = {k: measured.summary(c) for k, c in comps.items()}
    print("## CCIR Data Bank D1, development part: model − measured field strength (dB), per absorption method")
    print("Command per method: corridor radio validate d1 FILE --json (method p533); "
          "measured.compare_d1(FILE, absorption=NAME) for the others\n")
    print("| cell | n | " + " | ".join(f"{k} bias / sd" for k in names) + " |")
    print("|---|---|" + "---|" * len(names))

    def fmt(s):
        return f"{s['bias_db']:+.2f} / {s['sd_db']:.2f}" if s["n"] else "–"

    print(f"| hourly-weighted | {sums[names[0]]['hourly']['n']} | " + " | ".join(fmt(sums[k]["hourly"]) for k in names) + " |")
    print(f"| path-weighted | {sums[names[0]]['paths']['n']} paths | " + " | ".join(fmt(sums[k]["paths"]) for k in names) + " |")
    for idx, cell in enumerate(sums[names[0]]["cells"]):
        print(f"| {cell['distance']} {cell['daynight']} | {cell['n']} | "
              + " | ".join(fmt(sums[k]["cells"][idx]) for k in names) + " |")
    rms = {k: float(np.sqrt(np.mean(c.error_db ** 2))) for k, c in comps.items()}
    print("| rms of all hourly errors | | " + " | ".join(f"{rms[k]:.3f}" for k in names) + " |")

    c = comps[hf.DEFAULT_ABSORPTION]
    dd = pd.DataFrame({"id": c.path_id, "dist_km": c.distance_km, "f_over_muf": c.f_over_muf, "diff": c.error_db})
    print(f"\n### by distance, method {hf.DEFAULT_ABSORPTION}")
    print("| distance | hourly medians | paths | bias (mean) | spread (sd) | median abs |")
    print("|---|---|---|---|---|---|")
    for lo, hi in [(0, 1000), (1000, 2000), (2000, 4000), (4000, 7000), (0, 7000)]:
        s_ = dd[(dd.dist_km > lo) & (dd.dist_km <= hi)]
        if len(s_):
            print(f"| {lo}–{hi} km | {len(s_)} | {s_['id'].nunique()} | {s_['diff'].mean():+.1f} | "
                  f"{s_['diff'].std():.1f} | {s_['diff'].abs().median():.1f} |")
    print(f"\n### by the ratio of frequency to the predicted path basic MUF, method {hf.DEFAULT_ABSORPTION}")
    print("| f / basic MUF | hourly medians | bias (mean) | spread (sd) |")
    print("|---|---|---|---|")
    edges = [0.0, 0.5, 0.8, 0.9, 1.0, 1.1, 1.3, 1.6, np.inf]
    for lo, hi in itertools.pairwise(edges):
        s_ = dd[(dd.f_over_muf > lo) & (dd.f_over_muf <= hi)]
        label = f"{lo:.1f}–{hi:.1f}" if np.isfinite(hi) else f"above {lo:.1f}"
        print(f"| {label} | {len(s_)} | {s_['diff'].mean():+.1f} | {s_['diff'].std():.1f} |")


def print_like_with_like() -> None:
    print("## VOACAP like with like: model − VOACAP, propagating point-hours inside North Korea, medians of |Δ|")
    print("(strongest mode: our strongest single mode against VOACAP's listed mode; sum: our power sum over modes)\n")
    lim = voacap.SANITY_LIMITS
    print(f"| case | point-hours | field, strongest mode (limit {lim['field_strongest_db']:g} dB) | signed | "
          f"field, power sum | field, strongest mode, d1_e_layer | reliability (limit {lim['rel']:g}) | "
          f"MUF MHz (limit {lim['muf_mhz']:g}) | noise dB (limit {lim['noise_db']:g}) | same layer |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    rows = []
    for meta in sorted((REF / "voacapl").glob("case*.json")):
        m = voacap.predict_against(meta)
        m_opt = voacap.predict_against(meta, absorption="d1_e_layer")
        inside = north_korea_mask(m["lat"].to_numpy(), m["lon"].to_numpy())
        sel = inside & m["propagating"].to_numpy()
        r = voacap.like_with_like(m[sel])
        r_opt = voacap.like_with_like(m_opt[sel])
        rows.append(r)

        def flag(key, value):
            return f"{value:.2f}" + (" ✗" if value > lim[key] else "")

        print(f"| {meta.stem} | {r['point_hours']} | {flag('field_strongest_db', r['field_strongest_db'])} | "
              f"{r['field_strongest_bias_db']:+.2f} | {r['field_sum_db']:.2f} | {r_opt['field_strongest_db']:.2f} | "
              f"{flag('rel', r['rel'])} | {flag('muf_mhz', r['muf_mhz'])} | {flag('noise_db', r['noise_db'])} | "
              f"{r['same_layer']:.2f} |")
    med = {k: float(np.median([r[k] for r in rows])) for k in rows[0] if k != "point_hours"}
    print(f"| median over cases | | {med['field_strongest_db']:.2f} | {med['field_strongest_bias_db']:+.2f} | "
          f"{med['field_sum_db']:.2f} | | {med['rel']:.2f} | {med['muf_mhz']:.2f} | {med['noise_db']:.2f} | "
          f"{med['same_layer']:.2f} |")


def main() -> int:
    t0 = time.perf_counter()
    pd.set_option("display.width", 200)
    if "--skip-d1" not in sys.argv:
        print_d1(d1_comparisons())
        print()
    if "--skip-voacap" not in sys.argv:
        print_like_with_like()
        table = voacap_table()
        print("\n## VOACAP development cases, grid cells inside North Korea (model − VOACAP, power sum)")
        for subset in ("all", "propagating"):
            sub = table[table.subset == subset]
            print(f"\n### {subset} point-hours")
            print("| case | point-hours | " + " | ".join(f"{name} bias / median abs / p90 abs" for _, name in QUANTITIES) + " |")
            print("|---|---|" + "---|" * len(QUANTITIES))
            for _, r in sub.iterrows():
                cells = [f"{r[f'{c}_bias']:+.2f} / {r[f'{c}_med']:.2f} / {r[f'{c}_p90']:.2f}" for c, _ in QUANTITIES]
                print(f"| {r['case']} | {r['point_hours']} | " + " | ".join(cells) + " |")
            med = {c: float(np.median(sub[f"{c}_med"])) for c, _ in QUANTITIES}
            print("| median over cases | | " + " | ".join(f"{med[c]:.2f}" for c, _ in QUANTITIES) + " |")
    print(f"\n(done in {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
