"""MRP on a synthetic survey: it recovers the known truth better than the raw share, and the
diagnostics gate withholds a fit that has not converged."""

from __future__ import annotations

import json

import numpy as np
import pytest

from corridor.evidence import mrp
from corridor.evidence.diagnostics import diagnose
from corridor.evidence.estimate import estimate_exposure, model_columns

CHANNELS = ("dvd", "phone")


@pytest.fixture(scope="module")
def estimate(survey):
    return estimate_exposure(survey.assign(urban=survey["urban"] == "urban"), 2019,
                             channels=CHANNELS, seed=3)


def test_intervals_contain_the_truth_and_beat_the_raw_share(estimate, truth):
    true = truth.shares(2019)
    for ch in CHANNELS:
        e = estimate.channels[ch]
        assert e.share is not None, e.refused_because
        assert e.lower90 < true[ch]["national"] < e.upper90
        assert abs(e.share - true[ch]["national"]) < abs(e.raw_share - true[ch]["national"])
        assert e.upper90 - e.lower90 < 0.15


def test_diagnostics_and_json_shape(estimate):
    out = json.loads(json.dumps(estimate.as_dict()))
    assert out["year"] == 2019 and out["respondents"] == 2000 and out.get("synthetic") is True
    for ch in CHANNELS:
        c = out["channels"][ch]
        assert {"raw_share", "share", "lower90", "upper90", "rhat_max", "ess_bulk_min",
                "divergences"} <= set(c)
        assert c["rhat_max"] <= 1.01 and c["ess_bulk_min"] >= 400 and c["divergences"] == 0
    assert "more likely to leave" in out["assumptions"]["selection"]


def test_province_estimates_are_ordered_and_complete(estimate):
    prov = estimate.channels["dvd"].provinces
    assert len(prov) == 10
    for v in prov.values():
        assert 0 <= v["lower90"] <= v["share"] <= v["upper90"] <= 1


def test_gate_withholds_an_unconverged_fit(survey):
    est = estimate_exposure(survey.assign(urban=survey["urban"] == "urban"), 2019, channels=("radio",),
                            draws=15, tune=10, retry=False, raking=False)
    e = est.channels["radio"]
    assert e.share is None and e.lower90 is None and e.refused_because
    assert "not_shown_because" in e.as_dict() and e.raw_share is not None


def test_poststratification_weights_cells_by_population():
    """With known parameters the post-stratified share equals the frame-weighted mean."""
    from corridor.evidence.frame import poststrat_frame

    frame = poststrat_frame(2019)
    draws = {"alpha": np.array([0.0]), "beta_border": np.array([0.0]), "beta_female": np.array([0.0]),
             "beta_urban": np.array([2.0]), "beta_trend": np.array([0.0]), "beta_trend2": np.array([0.0]),
             "beta_age": np.zeros((1, 5)), "sigma_province": np.array([1.0]), "a_province": np.zeros((1, 10))}
    theta = mrp.poststratify(draws, frame, 2019)["national"][0]
    urban = frame.loc[frame["urban"] == 1, "population"].sum() / frame["population"].sum()
    p_urban = 1 / (1 + np.exp(-2.0))
    assert theta == pytest.approx(urban * p_urban + (1 - urban) * 0.5)


def test_diagnose_flags_problems(survey):
    cells = mrp.aggregate_cells(model_columns(survey.assign(urban=survey["urban"] == "urban")), ("tv",))
    idata = mrp.sample(mrp.compile_model(cells), cells, "tv", draws=10, tune=10)
    d = diagnose(idata, mrp.PARAMETERS)
    assert not d.passed and any("ESS" in p for p in d.problems)


def test_html_report_shows_intervals_caveat_and_synthetic_banner(estimate, tmp_path):
    from corridor.evidence.report import write_report

    out = write_report(estimate, tmp_path / "r.html", source="survey.csv")
    page = out.read_text(encoding="utf-8")
    assert "SYNTHETIC DATA" in page and "Selection caveat" in page
    assert page.count("data:image/png;base64,") == 2
    e = estimate.channels["dvd"]
    assert f"{e.share:.1%} [{e.lower90:.1%}, {e.upper90:.1%}]" in page
    assert "Published figures" in page and "A Quiet Opening" in page


def test_partial_centring_follows_the_information_of_each_province(survey):
    """Dense provinces are sampled (nearly) centred, sparse ones non-centred, a missing one fully so."""
    from corridor.geo.names import PROVINCES

    df = model_columns(survey.assign(urban=survey["urban"] == "urban"))
    kept = df[df["province"] != "Kangwon"]
    w = mrp.centring_weights(mrp.aggregate_cells(kept, ("dvd",)), "dvd")
    assert w.shape == (10,) and np.all((w >= 0) & (w < 1))
    assert w[PROVINCES.index("Kangwon")] == 0.0
    assert w[PROVINCES.index("North Hamgyong")] > 0.95 > w[PROVINCES.index("Pyongyang")]
