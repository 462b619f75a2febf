"""The arithmetic of combining coverages: bounds, overlap, repeats, intervals, costs."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from corridor.assess import calibrate, combine

probs = arrays(np.float32, (3, 5, 7), elements=st.floats(0, 1, width=32))


@settings(max_examples=60, deadline=None)
@given(probs, st.floats(0, 1))
def test_union_lies_between_the_largest_part_and_the_sum(p, rho):
    u = combine.union(list(p), rho=rho)
    assert np.all(u >= p.max(axis=0) - 1e-6)
    assert np.all(u <= np.minimum(p.sum(axis=0), 1.0) + 1e-6)


def test_overlap_one_is_the_best_activity_and_zero_is_independence():
    a = np.array([[0.5, 0.2]], dtype=np.float32)
    b = np.array([[0.5, 0.4]], dtype=np.float32)
    assert np.allclose(combine.union([a, b], rho=1.0), [[0.5, 0.4]])
    assert np.allclose(combine.union([a, b], rho=0.0), [[0.75, 1 - 0.8 * 0.6]])
    with pytest.raises(ValueError):
        combine.union([a], rho=1.5)


def test_repeats_add_less_each_time_and_zero_removes():
    p = np.array([[0.3]], dtype=np.float32)
    one, two, three = (combine.repeat(p, n, 0.5)[0, 0] for n in (1, 2, 3))
    assert one == pytest.approx(0.3) and two > one and three > two
    assert (three - two) < (two - one)            # diminishing returns
    assert combine.repeat(p, 0, 0.5)[0, 0] == 0
    assert combine.repeat(p, 5, 1.0)[0, 0] == pytest.approx(0.3)   # nested audiences: no gain


def test_aligned_draws_make_medians_additive():
    rng = np.random.default_rng(1)
    pop = rng.uniform(100, 1000, 50)
    parts = [combine.align_draws(rng.uniform(0, 0.3, (41, 50)).astype(np.float32), pop) for _ in range(3)]
    totals = [combine.people(p, pop) for p in parts]
    assert all(np.all(np.diff(t) >= -1e-3) for t in totals)   # ascending after alignment
    assert combine.interval(sum(totals))["median"] == pytest.approx(sum(combine.interval(t)["median"] for t in totals))


def test_cost_per_person_inverts_the_reach_interval():
    iv = {"median": 1000.0, "lower90": 500.0, "upper90": 4000.0}
    c = combine.cost_per_person(2000.0, iv)
    assert c == {"median": 2.0, "lower90": 0.5, "upper90": 4.0}
    assert combine.cost_per_person(2000.0, {"median": 0.0, "lower90": 0.0, "upper90": 10.0})["median"] is None
    assert combine.cost_per_person(None, iv)["median"] is None


def test_survey_ceiling_and_disagreement():
    f = calibrate.ceiling_factor(np.array([[0.2, 0.05, 0.0]]), np.array([[0.1, 0.1, 0.1]]))
    assert np.allclose(f, [[0.5, 1.0, 1.0]])
    assert calibrate.disagreement({"lower90": 0.3, "upper90": 0.4}, {"lower90": 0.1, "upper90": 0.2}) == "model_above_survey"
    assert calibrate.disagreement({"lower90": 0.01, "upper90": 0.05}, {"lower90": 0.1, "upper90": 0.2}) == "survey_above_model"
    assert calibrate.disagreement({"lower90": 0.1, "upper90": 0.3}, {"lower90": 0.2, "upper90": 0.4}) is None


def test_beta_draws_match_the_published_interval():
    d = calibrate.beta_draws(0.3, 0.25, 0.35, 20000, np.random.default_rng(0))
    assert np.all(np.diff(d) >= 0)
    lo, med, hi = np.percentile(d, [5, 50, 95])
    assert med == pytest.approx(0.3, abs=0.005) and lo == pytest.approx(0.25, abs=0.01) and hi == pytest.approx(0.35, abs=0.01)


def test_odds_ratio_to_risk_difference():
    # Zhang & Yu (1998): OR 2 at a baseline of 20 % is a risk of 1/3.
    assert calibrate.risk_difference(np.array([2.0]), 0.2)[0] == pytest.approx(1 / 3 - 0.2)
    assert calibrate.risk_difference(np.array([1.0]), 0.4)[0] == pytest.approx(0.0)
