"""The national model of foreign video: its mechanics, checked against what they must do."""

from __future__ import annotations

import numpy as np
import pytest

from corridor.channels.border import calibration as cal
from corridor.channels.border import national


@pytest.fixture(scope="module")
def inputs(grid2008):
    return cal.national_inputs(grid2008)


def central_theta(n: int = 1, **changes) -> dict[str, np.ndarray]:
    """Every calibrated parameter at the middle of its prior (in log space for log-uniform)."""
    theta = {}
    for name, p in cal.read_priors().items():
        mid = p.low if p.distribution == "normal" else (
            np.sqrt(p.low * p.high) if p.distribution == "loguniform" else 0.5 * (p.low + p.high))
        theta[name] = np.full(n, float(changes.get(name, mid)))
    return theta


def test_inputs_are_shares_and_stochastic(inputs):
    assert inputs.entry.sum() == pytest.approx(1.0) and (inputs.entry >= 0).all()
    assert inputs.origins.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(inputs.trade.sum(axis=1), 1.0)
    assert np.diag(inputs.trade).max() == 0.0
    # the crossings are in the four border provinces only
    border = {"North Pyongan", "Jagang", "Ryanggang", "North Hamgyong"}
    assert {p for p, e in zip(inputs.provinces, inputs.entry) if e > 0} <= border
    assert inputs.population.shape == (national.YEARS.size, len(inputs.provinces))


def test_without_inflow_only_turnover_changes_exposure(inputs):
    # No devices: the share exposed in 2000 decays as adults are replaced, exactly.
    theta = central_theta(inflow_2010=0.0, exposed_2000=0.2)
    exposed = cal.run_model(theta, inputs)[0]
    keep = 1.0 - national.ADULT_TURNOVER_PER_YEAR * national.STEP_DAYS / 365.0
    steps = np.arange(national.YEARS.size) * national.STEPS_PER_YEAR + national.STEPS_PER_YEAR // 2 + 1
    np.testing.assert_allclose(exposed, 0.2 * keep ** steps[:, None] * np.ones_like(exposed), rtol=1e-6)


def test_more_inflow_means_more_people_exposed_everywhere(inputs):
    low = cal.run_model(central_theta(inflow_2010=3e4), inputs)[0]
    high = cal.run_model(central_theta(inflow_2010=3e5), inputs)[0]
    assert (high >= low - 1e-12).all() and (high[10:] > low[10:]).all()
    assert ((low >= 0) & (low <= 1)).all() and ((high >= 0) & (high <= 1)).all()


def test_copies_reach_provinces_without_a_crossing_only_by_trade(inputs):
    from dataclasses import replace

    closed = replace(inputs, trade=np.eye(len(inputs.provinces))[::-1] * 0.0)
    theta = central_theta(exposed_2000=0.0)
    without = cal.run_model(theta, closed)[0]
    with_trade = cal.run_model(theta, inputs)[0]
    inland = inputs.entry == 0
    assert np.abs(without[:, inland]).max() < 1e-12          # nothing arrives without trade
    assert (with_trade[-1, inland] > 0.01).all()              # with trade every province sees some


def test_border_closure_cuts_inflow_only_in_its_months(inputs):
    periods = [p for p in inputs.periods if p["effect"] == "inflow"]
    values = {"closure_factor": np.array([0.1])}
    m = national.step_factors(periods, values, "inflow")[0]
    year = np.repeat(national.YEARS, national.STEPS_PER_YEAR)
    assert (m[year < 2020] == 1.0).all()
    assert (m[(year >= 2020) & (year <= 2022)] == pytest.approx(0.1))
    assert (m[year >= 2024] == pytest.approx(np.sqrt(0.1)))


def test_the_2020_law_removes_copies_faster(inputs):
    base = cal.run_model(central_theta(law_factor=1.0), inputs)[0]
    harsh = cal.run_model(central_theta(law_factor=4.0), inputs)[0]
    before = national.YEARS <= 2020
    np.testing.assert_allclose(base[before], harsh[before])
    assert (harsh[~before] <= base[~before] + 1e-12).all() and (harsh[-1] < base[-1]).any()


def test_survey_share_weights_provinces_and_adds_the_bias():
    exposed = np.array([[[0.2, 0.6]], [[0.5, 0.5]]]).repeat(3, axis=1)   # (D=2, Y=3, P=2)
    w = np.array([0.25, 0.75])
    plain = national.survey_share(exposed, w, 0.0, np.array([0, 1]))
    np.testing.assert_allclose(plain, [0.25 * 0.2 + 0.75 * 0.6, 0.5])
    up = national.survey_share(exposed, w, np.array([1.0, 1.0]), np.array([0]))
    logit = np.log(plain / (1 - plain)) + 1.0
    np.testing.assert_allclose(up, 1 / (1 + np.exp(-logit)))
