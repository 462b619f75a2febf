"""The border-media spread model: conservation, bounds, and the no-sharing limit."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest

from corridor.channels.base import Activity
from corridor.channels.border import parameters, spread
from corridor.channels.border.channel import BorderChannel, county_population, entry_county
from corridor.channels.border.network import trade_network
from corridor.errors import CorridorError


def shipment(**spec) -> Activity:
    base = {"crossing": "hyesan", "devices": 1000, "content_gb": 16, "days": 60}
    return Activity.create("border", {**base, **spec}, id="t", start=datetime(2026, 3, 1))


@pytest.fixture(scope="module")
def result(grid):
    return BorderChannel().simulate(shipment(), grid, draws=300, seed=3)


def test_copies_are_conserved(result):
    # shipped + copied = held + intercepted + removed, in every draw
    lhs = result.shipped + result.copied
    rhs = result.held.sum(axis=1) + result.intercepted + result.removed
    np.testing.assert_allclose(lhs, rhs, rtol=1e-9)
    assert (result.intercepted > 0).all() and (result.copied > 0).all() and (result.removed > 0).all()


def test_devices_entered_equal_held_intercepted_destroyed_without_copying(grid):
    act = shipment(parameters={"copy_rate": 0.0})
    r = BorderChannel().simulate(act, grid, draws=50, seed=1)
    np.testing.assert_allclose(r.shipped, r.held.sum(axis=1) + r.intercepted + r.removed, rtol=1e-9)
    assert (r.copied == 0).all()


def test_reach_never_exceeds_population(grid):
    # An enormous shipment with fast copying and lending saturates counties without overshooting.
    act = shipment(devices=5_000_000, days=200,
                   parameters={"copy_rate": 0.08, "pass_rate": 0.35, "p_intercept": 0.05})
    r = BorderChannel().simulate(act, grid, draws=20, seed=2)
    pop = county_population(grid)
    assert (r.reached <= pop[None, :] * (1 + 1e-12)).all()
    assert (r.reached_by_day <= pop.sum() * (1 + 1e-12)).all()
    assert r.reached_by_day[:, -1].max() > 0.5 * pop.sum()   # it did saturate
    assert (np.diff(r.reached_by_day, axis=1) >= -1e-6).all()  # cumulative never falls


def test_without_sharing_reach_is_what_devices_serve(grid):
    act = shipment(sharing=False, days=90)
    r = BorderChannel().simulate(act, grid, draws=100, seed=4)
    theta = parameters.draw(100, np.random.default_rng(4))
    e = entry_county(grid, "hyesan")
    served = np.minimum(county_population(grid)[e], r.entered * theta["household_size"])
    np.testing.assert_allclose(r.reached_by_day[:, -1], served, rtol=1e-12)
    np.testing.assert_allclose(r.reached_by_day[:, 0], r.reached_by_day[:, -1], rtol=1e-12)
    # all reach is in the entry county
    assert np.count_nonzero(r.reached.sum(axis=0)) == 1


def test_sharing_spreads_beyond_the_entry_county(result, grid):
    e = entry_county(grid, "hyesan")
    others = np.delete(result.reached, e, axis=1).sum(axis=1)
    assert np.median(others) > 0
    assert np.median(result.reached_by_day[:, -1]) > np.median(result.reached_by_day[:, 0])


def test_more_devices_reach_more_people(grid):
    theta = parameters.central()
    net = trade_network(grid, parameters.GRAVITY_LEVELS)
    pop = county_population(grid)
    runs = [spread.simulate(theta, shipped=n, entry=0, population=pop, network=net, days=30,
                            intercepted=np.array([0.0])) for n in (100, 1000)]
    assert runs[1].reached_by_day[0, -1] > runs[0].reached_by_day[0, -1]


def test_crackdowns_reduce_reach(grid):
    lo = BorderChannel().simulate(shipment(parameters={"crackdown_rate": 0.003}), grid, draws=50, seed=5)
    hi = BorderChannel().simulate(shipment(parameters={"crackdown_rate": 0.03}), grid, draws=50, seed=5)
    assert (hi.reached_by_day[:, -1] < lo.reached_by_day[:, -1]).all()
    assert (hi.held.sum(axis=1) < lo.held.sum(axis=1)).all()


def test_coverage_summary_matches_simulation(grid):
    act = shipment(reach="one_shipment")
    cov = BorderChannel().coverage(act, grid, draws=100, seed=7)
    sim = BorderChannel().simulate(act, grid, draws=100, seed=7)
    people = cov.people(grid)
    np.testing.assert_allclose(people, sim.reached_by_day[:, -1], rtol=1e-5)
    s = cov.summary(grid)
    assert s["reached_lower90"] <= s["reached_median"] <= s["reached_upper90"] <= s["population"]
    curve = cov.extras["reached_by_day"]["median"]
    assert len(curve) == act.spec.days + 1 and curve[-1] == pytest.approx(s["reached_median"], rel=0.2)
    assert "uncalibrated" in cov.model and cov.extras["first_time"] is None


def test_calibrated_coverage_uses_the_posterior_rates(grid):
    """The default reach runs the same simulator with the posterior's copy, lending and
    crackdown rates: fixing those three to the table draws gives back the one-shipment run."""
    from corridor.channels.border.channel import calibrated_theta

    act = shipment()
    cov = BorderChannel().coverage(act, grid, draws=100, seed=7)
    theta, before, year = calibrated_theta(act, grid, 100, np.random.default_rng([7, 19]))
    sim = BorderChannel().simulate(act, grid, draws=100, seed=7, theta=theta)
    np.testing.assert_allclose(cov.people(grid), sim.reached_by_day[:, -1], rtol=1e-5)
    assert year == 2026 and before.shape == (100, len(grid.county_ids))
    assert ((before >= 0) & (before <= 1)).all()
    assert cov.extras["reach"] == "new_content" and "calibrated" in cov.model


def test_date_out_of_range(grid):
    act = Activity.create("border", {"crossing": "hyesan", "devices": 10, "content_gb": 1},
                          id="old", start=datetime(1995, 5, 1))
    with pytest.raises(CorridorError, match="start"):
        BorderChannel().coverage(act, grid, draws=2)
