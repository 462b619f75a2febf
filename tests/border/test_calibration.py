"""Calibration of the national model: its input tables, bad input, the shipped posterior, and a
small honest run of the inference."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from corridor.channels.border import calibration as cal
from corridor.channels.border import national
from corridor.errors import CorridorError
from corridor.evidence.published import published_figures
from tests.border.tables import DATA, edited_table


def published_studies() -> set[str]:
    return {row["study"] for row in published_figures()}


def test_every_target_is_a_published_study():
    studies = published_studies()
    targets = cal.read_targets()
    assert len(targets) >= 6
    for t in targets:
        assert t.study in studies, f"{t.study!r} is not in evidence/data/published_figures.yaml"


def test_targets_carry_their_sampling_error_years_and_sample():
    for t in cal.read_targets():
        assert t.se == pytest.approx(np.sqrt(t.share * (1 - t.share) / t.n), abs=6e-4)   # binomial
        assert national.FIRST_YEAR <= t.exposure_from <= t.exposure_to <= national.LAST_YEAR
        assert t.sampled in cal.SAMPLED and t.frame in cal.FRAMES and t.source
    with (DATA / "exposure_targets.csv").open(encoding="utf-8") as f:
        assert all(row["n_basis"] and row["measure"] for row in csv.DictReader(f))


def test_every_prior_and_period_has_a_source():
    priors = cal.read_priors()
    assert set(cal.REQUIRED) <= set(priors) and set(cal.FROM_SHIPMENT_TABLE) <= set(priors)
    assert all(p.source for p in priors.values())
    periods = cal.read_periods()
    assert {p["parameter"] for p in periods} <= set(priors) and all(p["source"] for p in periods)
    with (DATA / "national_years.csv").open(encoding="utf-8") as f:
        assert all(row["source"] for row in csv.DictReader(f))


@pytest.mark.parametrize("column,value", [("share", "1.2"), ("share", "-0.1"), ("exposure_from", "1995"),
                                          ("exposure_to", "2031"), ("n", "0"), ("se", "abc")])
def test_bad_target_names_file_row_and_field(tmp_path, column, value):
    path = edited_table(tmp_path, "exposure_targets.csv", 2, column, value)
    with pytest.raises(CorridorError) as err:
        cal.read_targets(path)
    text = str(err.value)
    assert f"exposure_targets.csv:4: {column}={value!r}" in text


@pytest.mark.parametrize("name,column,value", [("inflow_2010", "low", "5000000"),   # low above high
                                               ("law_factor", "low", "0"),          # log-uniform from 0
                                               ("bias_left", "high", "0"),          # normal with sd 0
                                               ("exposed_2000", "distribution", "beta")])
def test_a_prior_with_no_mass_is_refused(tmp_path, name, column, value):
    with (DATA / "national_priors.csv").open(encoding="utf-8", newline="") as f:
        line = [r["name"] for r in csv.DictReader(f)].index(name)
    path = edited_table(tmp_path, "national_priors.csv", line, column, value)
    with pytest.raises(CorridorError, match=f"{column}="):
        cal.read_priors(path)


def test_origins_follow_the_settlement_statistics(grid2008):
    inputs = cal.national_inputs(grid2008)
    w = dict(zip(inputs.provinces, inputs.origins))
    assert w["North Hamgyong"] == pytest.approx(0.618) and w["Ryanggang"] == pytest.approx(0.148)
    assert sum(w.values()) == pytest.approx(1.0)


def test_shipped_posterior_reruns_exactly_from_the_file():
    post = cal.shipped_posterior()
    assert set(post.theta) == set(cal.read_priors()) == set(post.prior)
    assert post.exposed.shape == (post.draws, national.YEARS.size, len(post.provinces))
    # the stored shares are what the model gives for the stored draws, from the file alone
    few = {k: v[:8] for k, v in post.theta.items()}
    np.testing.assert_allclose(cal.run_model(few, post.inputs()), post.exposed[:8], atol=2e-5)


def test_posterior_is_within_its_priors_and_narrower_where_the_data_speak():
    post = cal.shipped_posterior()
    priors = cal.read_priors()
    for name, p in priors.items():
        if p.distribution != "normal":
            assert p.low <= post.theta[name].min() and post.theta[name].max() <= p.high
    # the inflow is informed by the published shares: its 90 % interval (log) shrinks
    s = cal.parameter_summary(post)["inflow_2010"]
    assert np.log(s["upper90"] / s["lower90"]) < 0.8 * np.log(s["prior_upper90"] / s["prior_lower90"])


def test_landscape_json_shape_and_fit():
    data = cal.landscape()
    assert set(data["years"]) == {str(y) for y in national.YEARS}
    for v in data["years"].values():
        assert 0 <= v["exposed_lower90"] <= v["exposed_median"] <= v["exposed_upper90"] <= 1
    medians = [data["years"][str(y)]["exposed_median"] for y in range(2000, 2020)]
    assert medians[-1] > medians[0]
    for row in data["published"]:
        assert {"study", "year", "figure", "model_median", "inside90"} <= set(row)
        assert row["predictive_lower90"] <= row["model_median"] <= row["predictive_upper90"]
        assert row["inside90"] == (row["predictive_lower90"] <= row["figure"] <= row["predictive_upper90"])
    assert sum(r["inside90"] for r in data["published"]) >= len(data["published"]) - 2
    with pytest.raises(CorridorError, match="--year"):
        cal.landscape(year=1999)


def _known(**changes: float) -> dict[str, np.ndarray]:
    """One draw of every calibrated parameter, at plausible values (the log-odds terms at 0)."""
    values = {"copy_rate": 0.008, "pass_rate": 0.08, "crackdown_rate": 0.02, "inflow_2010": 8e4,
              "inflow_growth": 0.25, "exposed_2000": 0.08, "closure_factor": 0.3, "law_factor": 2.0,
              "bias_left": 0.0, "bias_inside": 0.0, "broad_measure": 0.0, "survey_spread": 0.3}
    return {name: np.array([v]) for name, v in {**values, **changes}.items()}


def test_a_small_inference_recovers_a_known_series(grid2008):
    """ABC-SMC with few particles on shares simulated from known parameters: the posterior
    predicts the simulated shares and narrows the inflow."""
    inputs = cal.national_inputs(grid2008)
    targets = cal.read_targets()
    truth = _known(bias_inside=0.5, broad_measure=0.8)
    shares = cal.predict_targets(truth, cal.run_model(truth, inputs), inputs, targets)[0]
    post = cal.calibrate(inputs, targets=targets, draws=150, chains=1, cores=1, seed=3, observed_shares=shares)
    fitted = cal.predict_targets(post.theta, post.exposed.astype(float), inputs, targets)
    assert np.abs(np.median(fitted, axis=0) - shares).max() < 0.08
    lo, hi = np.percentile(np.log(post.theta["inflow_2010"]), [5, 95])
    prior = cal.read_priors()["inflow_2010"]
    assert hi - lo < 0.8 * (np.log(prior.high) - np.log(prior.low))


def test_each_kind_of_sample_has_its_own_selection_term(grid2008):
    """People who left and residents reached by phone are chosen in unlike ways: moving one term
    moves only its own samples' predicted shares."""
    inputs = cal.national_inputs(grid2008)
    targets = cal.read_targets()
    assert all("bias_left" in t.terms and "bias_inside" not in t.terms for t in targets if t.sampled == "left")
    assert all("bias_inside" in t.terms and "bias_left" not in t.terms for t in targets if t.sampled == "inside")
    theta = _known()
    exposed = cal.run_model(theta, inputs)
    base = cal.predict_targets(theta, exposed, inputs, targets)[0]
    raised = cal.predict_targets({**theta, "bias_inside": np.array([1.0])}, exposed, inputs, targets)[0]
    inside = np.array([t.sampled == "inside" for t in targets])
    assert np.all(raised[inside] > base[inside]) and np.array_equal(raised[~inside], base[~inside])


def test_the_wider_question_adds_its_term_only_where_it_was_asked(grid2008):
    inputs = cal.national_inputs(grid2008)
    targets = cal.read_targets()
    wide = np.array(["broad_measure" in t.terms for t in targets])
    assert wide.any() and not wide.all()          # the DVD questions stay narrow
    theta = _known()
    exposed = cal.run_model(theta, inputs)
    base = cal.predict_targets(theta, exposed, inputs, targets)[0]
    wider = cal.predict_targets({**theta, "broad_measure": np.array([1.0])}, exposed, inputs, targets)[0]
    assert np.all(wider[wide] > base[wide]) and np.array_equal(wider[~wide], base[~wide])


@pytest.mark.parametrize("value", ["beta", "bias_left+bias_left", "bias_left+", "none+bias_left"])
def test_a_target_with_an_unknown_term_is_refused(tmp_path, value):
    path = edited_table(tmp_path, "exposure_targets.csv", 0, "bias", value)
    with pytest.raises(CorridorError, match="exposure_targets.csv:2: bias="):
        cal.read_targets(path)


def test_target_shares_and_sizes_agree_with_the_published_table():
    rows = {r["study"]: r for r in published_figures() if "share" in r}
    for t in cal.read_targets():
        row = rows[t.study]
        assert row["share"] == pytest.approx(t.share)
        if "n" in row:
            assert row["n"] == t.n
        assert 0 < row["share"] < 1


def test_the_simulator_distance_is_the_gaussian_log_density(grid2008):
    """With the spread between surveys inferred, the Simulator's distance must be the whole
    Gaussian log-density (the −log sd terms included), not only the squared residuals."""
    from scipy import stats

    inputs = cal.national_inputs(grid2008)
    targets = cal.read_targets()
    priors = cal.read_priors()
    names = tuple(priors)
    logs = tuple(priors[n].distribution == "loguniform" for n in names)
    theta = {"copy_rate": 0.01, "pass_rate": 0.1, "crackdown_rate": 0.02, "inflow_2010": 5e4,
             "inflow_growth": 0.1, "exposed_2000": 0.05, "closure_factor": 0.3, "law_factor": 2.0,
             "bias_left": -0.3, "bias_inside": 0.5, "broad_measure": 1.0, "survey_spread": 0.6}
    values = [np.log(theta[n]) if lg else theta[n] for n, lg in zip(names, logs)]
    simulated = cal._simulator(inputs, targets, names, logs)(None, *values)
    distance = cal._normal_log_density(len(targets))(1.0, np.zeros(2 * len(targets)), simulated)
    total = float(np.sum(distance.eval() if hasattr(distance, "eval") else distance))
    as_arrays = {k: np.array([v]) for k, v in theta.items()}
    pred = cal.predict_targets(as_arrays, cal.run_model(as_arrays, inputs), inputs, targets)[0]
    obs = np.array([t.share for t in targets])
    sd = cal.figure_sd(np.array([t.se for t in targets]), 0.6, pred)
    expected = stats.norm.logpdf(obs, pred, sd).sum() + 0.5 * len(targets) * np.log(2 * np.pi)
    assert total == pytest.approx(expected, rel=1e-9)
    # the spread is on the log-odds: at a share near 0 or 1 it adds almost nothing to the sampling error
    assert cal.figure_sd(0.01, 0.6, 0.02) < 0.016 < cal.figure_sd(0.01, 0.6, 0.5)
