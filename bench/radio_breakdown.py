"""Where the HF model and VOACAP differ: SNR difference split into signal and noise, by case and hour.

Run from the repository root: ``.venv/bin/python bench/radio_breakdown.py [--hours]``. For every
development case (grid cells inside North Korea, model − VOACAP) it prints the median SNR, signal
power and noise differences, the signal difference of the strongest mode alone ("dS best": P.533
adds up to nine modes in power, VOACAP's ``s_dbw`` equals its transmitter power minus the LOSS of
the one mode it lists), and the share of point-hours where the two programs choose a mode of the
same layer. ``--hours`` adds one line per
UTC hour. Reads the reference data beside the repository (``../shared``), like ``radio_validate.py``.
"""

from __future__ import annotations

import sys

import pandas as pd
from radio_validate import REF, north_korea_mask

from corridor.channels.radio import cases


def merged(meta) -> pd.DataFrame:
    case = cases.read_case(meta)
    pred = cases.predict_case(case)
    ref = pd.read_csv(meta.with_suffix(".csv.gz"))
    m = ref.merge(pred, on=["lat", "lon", "utc_hour"], suffixes=("_ref", "_model"))
    m = m[north_korea_mask(m["lat"].to_numpy(), m["lon"].to_numpy())].copy()
    m["prop"] = (m["field_dbuv_per_m_ref"] > 0) & (m["mufday_ref"] >= 0.01)
    for col in ("snr_db", "s_dbw", "n_dbw", "field_dbuv_per_m", "loss_db", "muf_mhz", "rel"):
        m[f"d_{col}"] = m[f"{col}_model"] - m[f"{col}_ref"]
    layer = lambda s: s.astype(str).str.extract(r"(E|F)", expand=False)
    m["same_layer"] = layer(m["mode_ref"]) == layer(m["mode_model"])
    return m


def summary(g: pd.DataFrame) -> dict:
    return {"n": len(g), "|dSNR|": g["d_snr_db"].abs().median(), "dSNR": g["d_snr_db"].median(),
            "dS": g["d_s_dbw"].median(), "dS best": -g["d_loss_db"].median(), "dN": g["d_n_dbw"].median(), "dMUF": g["d_muf_mhz"].median(),
            "same layer": g["same_layer"].mean(), "|dRel|": g["d_rel"].abs().median(),
            "mode ref": g["mode_ref"].mode().iat[0], "mode model": g["mode_model"].mode().iat[0]}


def main() -> int:
    by_hour = "--hours" in sys.argv
    pd.set_option("display.width", 200)
    pd.set_option("display.float_format", lambda v: f"{v:.2f}")
    rows = []
    for meta in sorted((REF / "voacapl").glob("case*.json")):
        m = merged(meta)
        rows.append({"case": meta.stem, "subset": "all", **summary(m)})
        rows.append({"case": meta.stem, "subset": "propagating", **summary(m[m.prop])})
        if by_hour:
            print(f"\n## {meta.stem}, per UTC hour (medians over the cells inside North Korea)")
            print(pd.DataFrame([{"hour": h, **summary(g)} for h, g in m.groupby("utc_hour")]).to_string(index=False))
    print("\n## per case: model − VOACAP, medians (S signal power, N noise, both dBW)")
    print(pd.DataFrame(rows).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
