"""Validate the HF model: VOACAP development cases over North Korea, and CCIR Data Bank D1.

Run from the repository root: ``.venv/bin/python bench/radio_validate.py``. Prints the tables of
``docs/radio-validation.md``. Reads the reference data beside the repository (``../shared``).
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from corridor.channels.radio import cases, d1, hf
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


def d1_table() -> pd.DataFrame:
    paths, months, r12 = d1.read_d1(REF / "d1" / "dbank_d1_other.txt")
    paths = paths.set_index("id")
    out = []
    iso = lambda off, elev: np.zeros(np.broadcast(off, elev).shape)
    for _, row in months.iterrows():
        p = paths.loc[row["id"]]
        if p["dist_km"] > hf.MAX_PATH_KM or p["tx"].endswith("LP") or not (1.6 <= p["freq_mhz"] <= 30):
            continue
        meas = row[[f"h{k:02d}" for k in range(1, 25)]].to_numpy(dtype=float)
        if np.all(np.isnan(meas)):
            continue
        ssn = r12.get((int(row["year"]), int(row["month"])), 50.0)
        pred = hf.predict(p["tx_lat"], p["tx_lon"], [p["rx_lat"]], [p["rx_lon"]], freq_mhz=p["freq_mhz"],
                          month=int(row["month"]), utc_hours=np.arange(1, 25) % 24, ssn=ssn, power_kw=1.0,
                          gain=iso, year=int(row["year"]))
        diff = pred.field_dbuv[:, 0] - meas
        ok = ~np.isnan(meas)
        ratio = p["freq_mhz"] / pred.muf_mhz[:, 0]
        for d, r in zip(diff[ok], ratio[ok]):
            out.append({"id": row["id"], "dist_km": p["dist_km"], "f_over_muf": r, "diff": d})
    return pd.DataFrame(out)


def main() -> int:
    t0 = time.perf_counter()
    table = voacap_table()
    pd.set_option("display.width", 200)
    print("## VOACAP development cases, grid cells inside North Korea (model − VOACAP)")
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
    dd = d1_table()
    print("\n## CCIR Data Bank D1, development part, paths up to 7000 km (model − measured field strength, dB)")
    print("| distance | hourly medians | paths | bias (mean) | spread (sd) | median abs |")
    print("|---|---|---|---|---|---|")
    bins = [(0, 1000), (1000, 2000), (2000, 4000), (4000, 7000), (0, 7000)]
    for lo, hi in bins:
        s = dd[(dd.dist_km > lo) & (dd.dist_km <= hi)]
        if len(s):
            print(f"| {lo}–{hi} km | {len(s)} | {s['id'].nunique()} | {s['diff'].mean():+.1f} | "
                  f"{s['diff'].std():.1f} | {s['diff'].abs().median():.1f} |")
    print("\n### by the ratio of frequency to the predicted path basic MUF, 0–7000 km")
    print("| f / basic MUF | hourly medians | bias (mean) | spread (sd) |")
    print("|---|---|---|---|")
    edges = [0.0, 0.5, 0.8, 0.9, 1.0, 1.1, 1.3, 1.6, np.inf]
    for lo, hi in itertools.pairwise(edges):
        s = dd[(dd.f_over_muf > lo) & (dd.f_over_muf <= hi)]
        label = f"{lo:.1f}–{hi:.1f}" if np.isfinite(hi) else f"above {lo:.1f}"
        print(f"| {label} | {len(s)} | {s['diff'].mean():+.1f} | {s['diff'].std():.1f} |")
    print(f"\n(done in {time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
