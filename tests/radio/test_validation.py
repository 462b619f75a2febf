"""The HF model against VOACAP (development cases) and LF/MF against its reference table.

The reference outputs are shipped in ``data/`` (see its README): the VOACAP CSVs hold only the
four hours the test compares.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from corridor.channels.radio import cases, groundwave

REF = Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["case04", "case06"])
def test_voacap_case_agreement(name, tmp_path):
    case = cases.read_case(REF / "voacapl" / f"{name}.json")
    case["utc_hours"] = [0, 6, 12, 18]
    pred = cases.predict_case(case)
    assert list(pred.columns) == cases.COLUMNS
    ref = pd.read_csv(REF / "voacapl" / f"{name}.csv.gz")
    m = ref.merge(pred, on=["lat", "lon", "utc_hour"], suffixes=("_ref", "_model"))
    assert len(m) == 667 * 4
    prop = m["field_dbuv_per_m_ref"] > 0
    d_snr = (m["snr_db_model"] - m["snr_db_ref"])[prop].abs()
    d_rel = (m["rel_model"] - m["rel_ref"])[prop].abs()
    assert d_snr.median() < 6.0 and d_rel.median() < 0.1
    assert (m["muf_mhz_model"] - m["muf_mhz_ref"]).abs().median() < 3.0


def test_lfmf_reference_table():
    ref = pd.read_csv(REF / "lfmf" / "lfmf_groundwave_100kw.csv")
    got = [groundwave.field_dbuv(r.freq_khz / 1000, 100.0, r.dist_km, (r.epsilon_r, r.sigma_s_per_m))
           for r in ref.itertuples()]
    assert np.max(np.abs(np.array(got) - ref["field_dbuv_per_m"].to_numpy())) < 0.01


def test_millington_is_reciprocal_and_between_grounds():
    sea_land = groundwave.millington_dbuv(0.972, 100, [(50, groundwave.SEA), (50, groundwave.LAND)])
    land_sea = groundwave.millington_dbuv(0.972, 100, [(50, groundwave.LAND), (50, groundwave.SEA)])
    assert sea_land == pytest.approx(land_sea)
    assert groundwave.field_dbuv(0.972, 100, 100, groundwave.LAND) < sea_land < \
        groundwave.field_dbuv(0.972, 100, 100, groundwave.SEA)
