"""The post-stratification frame, the synthetic generator and the raking baseline."""

from __future__ import annotations

import numpy as np
import pytest

from corridor.evidence.estimate import model_columns
from corridor.evidence.frame import age_shares_by_sex, poststrat_frame
from corridor.evidence.raking import kish_deff, raked_share, rake_weights
from corridor.geo.names import PROVINCES
from corridor.geo.population import CENSUS_2008_TOTAL, total_population
from corridor.geo.sources import census_2008


def test_frame_keeps_census_cells_and_scales_to_un_total():
    f08, f19 = poststrat_frame(2008), poststrat_frame(2019)
    assert len(f08) == 10 * 2 * 2 * 6
    census = census_2008()
    # adults are the census minus children 0-14 (23.19 %), cell by cell in proportion
    assert f08["population"].sum() == pytest.approx(census["pop_total"].sum() * (1 - 0.2319), rel=1e-3)
    share08 = f08.groupby("province")["population"].sum() / f08["population"].sum()
    census_share = census.groupby("province_2008")["pop_total"].sum() / census["pop_total"].sum()
    for p in PROVINCES:
        assert share08[p] == pytest.approx(census_share[p], rel=0.01)
    assert f19["population"].sum() / f08["population"].sum() == pytest.approx(
        total_population(2019) / CENSUS_2008_TOTAL)


def test_age_split_reproduces_census_sex_ratio():
    a = age_shares_by_sex()
    assert np.all(a > 0) and np.all(a.sum(axis=1) < 1)
    men65, women65 = a[0, -1] * 0.95, a[1, -1]          # per woman overall
    assert men65 / women65 == pytest.approx(0.51, rel=1e-6)


def test_synthetic_sample_is_biased_like_arrivals(survey, truth):
    share_border = survey["province"].isin(["North Hamgyong", "Ryanggang"]).mean()
    assert share_border > 0.7 and (survey["sex"] == "female").mean() > 0.7
    assert survey["study"].str.contains("SYNTHETIC").all()
    assert survey["respondent_id"].str.startswith("synthetic-").all()
    shares = truth.shares(2019)
    for ch, v in shares.items():
        assert 0 < v["national"] < 1
        assert min(v["provinces"].values()) <= v["national"] <= max(v["provinces"].values())


def test_raking_matches_margins(survey):
    df = model_columns(survey.assign(urban=survey["urban"] == "urban"))
    frame = poststrat_frame(2019)
    w = rake_weights(df, frame)
    got = np.bincount(df["province_index"], w, minlength=10) / w.sum()
    want = frame.groupby("province_index")["population"].sum() / frame["population"].sum()
    np.testing.assert_allclose(got, want.to_numpy(), atol=1e-4)
    assert kish_deff(w) > 2          # border-heavy samples need very unequal weights
    assert kish_deff(np.ones(10)) == pytest.approx(1.0)
    r = raked_share(df, frame, "dvd", 2019)
    assert 0 <= r["lower90"] <= r["share"] <= r["upper90"] <= 1
