"""The model beside VOACAP like with like: VOACAP's signal is its one listed mode's, so our strongest
single mode is compared with it, as well as our power sum (shipped case 04, four hours)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REF = Path(__file__).parent / "data" / "voacapl"


def test_voacap_signal_is_its_listed_modes():
    # the premise of the comparison, read from the reference rows: S = P_t - LOSS of the listed mode
    case = json.loads((REF / "case04.json").read_text())
    ref = pd.read_csv(REF / "case04.csv.gz")
    pt_dbw = 10 * np.log10(case["transmitter"]["power_kw"] * 1000.0)
    assert np.max(np.abs(pt_dbw - ref["loss_db"] - ref["s_dbw"])) <= 0.11
    field = ref["s_dbw"] + 20 * np.log10(case["frequency_mhz"]) + 107.2
    assert np.max(np.abs(field - ref["field_dbuv_per_m"])) <= 0.11


@pytest.fixture(scope="module")
def merged():
    from corridor.channels.radio import voacap

    return voacap.predict_against(REF / "case04.json")


def test_every_reference_row_is_compared_with_both_fields(merged):
    assert len(merged) == 667 * 4 and sorted(merged["utc_hour"].unique()) == [0, 6, 12, 18]
    assert np.all(merged["field_strongest_model"] <= merged["field_sum_model"] + 1e-9)
    assert merged["propagating"].dtype == bool and merged["propagating"].any()


def test_like_with_like_within_the_sanity_limits(merged):
    from corridor.channels.radio import voacap

    r = voacap.like_with_like(merged[merged["propagating"]])
    assert set(r) == {"point_hours", "field_strongest_db", "field_strongest_bias_db", "field_sum_db", "rel",
                      "muf_mhz", "noise_db", "same_layer"}
    assert r["point_hours"] == int(merged["propagating"].sum())
    # the strongest mode is nearer VOACAP's one mode than the sum of up to nine modes
    assert r["field_strongest_db"] < r["field_sum_db"]
    lim = voacap.SANITY_LIMITS
    assert r["field_strongest_db"] < lim["field_strongest_db"] and r["rel"] < lim["rel"]
    assert r["muf_mhz"] < lim["muf_mhz"] and r["noise_db"] < lim["noise_db"]
