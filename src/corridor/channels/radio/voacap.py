"""The HF model beside VOACAP's area predictions, like with like.

VOACAP (voacapl 16.1207W) lists for every point and hour one mode, its "most reliable" (MODE), and
its signal power ``s_dbw`` is that one mode's: the transmitter power minus the LOSS of the listed
mode (every row of the development cases satisfies ``s_dbw = 10 log P_t − loss_db`` to the printed
0.1 dB), and ``field_dbuv_per_m`` follows from it. P.533-14 §5.2.2 (eq. 28) instead adds up to
three E and six F2 modes in power. So the model's field is compared twice: its strongest single
mode (:attr:`~corridor.channels.radio.hf.HFPrediction.field_strongest_dbuv`) against VOACAP's,
which is the like-with-like comparison, and its power sum, which is what the model predicts.

Only validation code uses this module (``bench/radio_validate.py``); the reference cases are not
shipped with the package.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

#: Where VOACAP reports no sky wave (case README): field below 0 dB(µV/m) or MUFday below 0.01.
NO_SKYWAVE_FIELD_DBUV = 0.0
NO_SKYWAVE_MUFDAY = 0.01
#: Sanity limits for the like-with-like medians of |Δ| (model − VOACAP) on propagating point-hours:
#: field strength (dB), reliability (0–1), basic MUF (MHz), noise (dB).
SANITY_LIMITS = {"field_strongest_db": 6.0, "rel": 0.1, "muf_mhz": 2.5, "noise_db": 1.0}


def predict_against(case_json: Path | str, *, absorption: str | None = None):
    """Predict a VOACAP reference case (``caseNN.json`` beside ``caseNN.csv.gz``) on its grid with
    :func:`corridor.channels.radio.hf.predict` and return one frame, a row per point and hour, with
    the reference's columns (suffix ``_ref``) and the model's: ``field_sum`` (all modes, power sum),
    ``field_strongest`` (strongest single mode), ``rel``, ``muf_mhz``, ``noise_dbw``, ``mode`` (suffix
    ``_model``), and ``propagating`` (VOACAP reports a sky wave)."""
    import pandas as pd

    from corridor.channels.radio import cases, hf

    case_json = Path(case_json)
    case = cases.read_case(case_json)
    lat, lon = cases.grid_points(case["grid"])
    gain, az = cases.gain_function(case["antenna"], case["freq_mhz"])
    if case["antenna"]["kind"] == "isotropic":
        az = 0.0
    p = hf.predict(case["tx_lat"], case["tx_lon"], lat, lon, freq_mhz=case["freq_mhz"], month=case["month"],
                   utc_hours=case["utc_hours"], ssn=case["ssn"], power_kw=case["power_kw"], gain=gain,
                   azimuth_deg=az, rx_gain_dbi=case["rx_gain_dbi"], environment=case["environment"],
                   required_snr_db_hz=case["required_snr_db_hz"], year=case["year"],
                   absorption=absorption or hf.DEFAULT_ABSORPTION)
    h = len(p.utc_hours)
    model = pd.DataFrame({
        "lat": np.round(np.tile(lat, h), 6), "lon": np.round(np.tile(lon, h), 6),
        "utc_hour": np.repeat(p.utc_hours.astype(int), lat.size),
        "field_sum_model": p.field_dbuv.ravel(), "field_strongest_model": p.field_strongest_dbuv.ravel(),
        "rel_model": p.reliability.ravel(), "muf_mhz_model": p.muf_mhz.ravel(),
        "noise_dbw_model": p.noise_dbw.ravel(), "mode_model": p.mode.ravel()})
    ref = pd.read_csv(case_json.with_suffix(".csv.gz"))
    ref = ref.rename(columns={c: f"{c}_ref" for c in ref.columns if c not in ("lat", "lon", "utc_hour")})
    ref["lat"], ref["lon"] = ref["lat"].round(6), ref["lon"].round(6)
    m = ref.merge(model, on=["lat", "lon", "utc_hour"], how="inner")
    m["propagating"] = (m["field_dbuv_per_m_ref"] > NO_SKYWAVE_FIELD_DBUV) & (m["mufday_ref"] >= NO_SKYWAVE_MUFDAY)
    return m


def like_with_like(m) -> dict:
    """Medians of |model − VOACAP| over the rows of ``m`` (a :func:`predict_against` frame, already
    selected): the strongest mode's field and the power sum against VOACAP's field (dB),
    reliability, basic MUF (MHz), noise (dB), the signed median of the strongest-mode difference
    and the share of rows where both name a mode of the same layer (E or F)."""
    def med_abs(a, b):
        return float(np.median(np.abs(m[a].to_numpy() - m[b].to_numpy()))) if len(m) else float("nan")

    layer = lambda s: s.astype(str).str.extract(r"(E|F)", expand=False)
    return {
        "point_hours": len(m),
        "field_strongest_db": med_abs("field_strongest_model", "field_dbuv_per_m_ref"),
        "field_strongest_bias_db": float(np.median(m["field_strongest_model"] - m["field_dbuv_per_m_ref"]))
        if len(m) else float("nan"),
        "field_sum_db": med_abs("field_sum_model", "field_dbuv_per_m_ref"),
        "rel": med_abs("rel_model", "rel_ref"),
        "muf_mhz": med_abs("muf_mhz_model", "muf_mhz_ref"),
        "noise_db": med_abs("noise_dbw_model", "n_dbw_ref"),
        "same_layer": float((layer(m["mode_model"]) == layer(m["mode_ref"])).mean()) if len(m) else float("nan"),
    }
