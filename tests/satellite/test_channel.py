"""The satellite channel: geometry, reach, datacasting and bad input."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from corridor.channels.base import Activity
from corridor.channels.files import read_activity
from corridor.channels.satellite import dvbs2, geometry, ownership
from corridor.channels.satellite.channel import SatelliteChannel
from corridor.errors import CorridorError
from corridor.geo.names import PROVINCES

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "satellite" / "koreasat-116e.yaml"


def beam(**spec) -> Activity:
    base = read_activity(EXAMPLE, channel="satellite")
    return Activity.create("satellite", {**base.spec.model_dump(), **spec}, id="t",
                           start=datetime(2026, 1, 1), source="beam.yaml")


@pytest.fixture(scope="module")
def cov60(grid):
    return SatelliteChannel().coverage(beam(), grid, draws=100, seed=1)


def test_geostationary_geometry():
    # Directly below the satellite the elevation is 90° and the range the orbit's altitude.
    el, rng = geometry.look_angles(116.0, 116.0, 0.0)
    assert el == pytest.approx(90.0, abs=1e-6)
    assert rng == pytest.approx(geometry.GEO_RADIUS_KM - 6378.137, abs=0.01)
    # Pyongyang sees 116°E at about 44° (spherical formula: atan((cosγ − 0.1513)/sinγ)).
    lat, dlon = np.radians(39.03), np.radians(125.75 - 116.0)
    cos_g = np.cos(lat) * np.cos(dlon)
    expected = np.degrees(np.arctan((cos_g - 6378.137 / 42164.17) / np.sqrt(1 - cos_g ** 2)))
    assert geometry.look_angles(116.0, 125.75, 39.03)[0] == pytest.approx(expected, abs=0.2)
    assert geometry.off_axis_deg(116.0, 127.5, 38.0, 127.5, 38.0) == pytest.approx(0.0, abs=1e-6)


def test_reach_is_link_times_ownership(cov60, grid):
    p = cov60.probability
    own_max = ownership.table()["high"].max()
    assert p.max() <= own_max + 1e-9
    s = cov60.summary(grid)
    assert 0 < s["reached_lower90"] <= s["reached_median"] <= s["reached_upper90"] < 0.03 * s["population"]
    # border provinces carry more ownership than the inland ones in every draw where the link closes
    border = np.isin(grid.province, [PROVINCES.index("Ryanggang"), PROVINCES.index("North Hamgyong")])
    inland = grid.province == PROVINCES.index("South Pyongan")
    assert p[:, border].mean() > p[:, inland].mean()
    assert cov60.extras["elevation_deg_range"][0] > 30


def test_bigger_dish_reaches_at_least_as_far(grid):
    small = SatelliteChannel().coverage(beam(dish_cm=20), grid, draws=50, seed=2)
    big = SatelliteChannel().coverage(beam(dish_cm=90), grid, draws=50, seed=2)
    assert (big.extras["margin_db"] > small.extras["margin_db"]).all()
    assert big.extras["closes_share"].sum() >= small.extras["closes_share"].sum()
    assert small.extras["closes_share"].mean() < 1.0   # a 20 cm dish fails somewhere


def test_beam_pointed_away_loses_the_link(grid):
    away = SatelliteChannel().coverage(beam(beam_centre_lat=20.0, beam_centre_lon=110.0), grid, draws=20)
    assert away.summary(grid)["reached_upper90"] == 0.0


def test_ownership_override(grid):
    cov = SatelliteChannel().coverage(beam(ownership={"Ryanggang": 0.5}), grid, draws=20, seed=3)
    ry = grid.province == PROVINCES.index("Ryanggang")
    closes = cov.extras["closes_share"][ry] == 1.0
    assert np.allclose(cov.probability[:, ry][:, closes], 0.5)


def test_datacast_time():
    d = dvbs2.datacast_summary(8.0, 36e6, 0.2, "QPSK 3/4", 6.0)
    assert d["symbol_rate_baud"] == pytest.approx(30e6)
    assert d["bit_rate_mbps"] == pytest.approx(30 * 1.487473, rel=1e-6)
    assert d["bundle_hours"] == pytest.approx(8e9 * 8 / (30e6 * 1.487473) / 3600)
    assert d["weekly_capacity_gb"] == pytest.approx(30e6 * 1.487473 * 6 * 3600 * 7 / 8e9)


def test_modcod_table_is_monotone():
    t = dvbs2.modcods()
    for _, rows in t.groupby("modulation"):
        assert rows["es_n0_threshold_db"].is_monotonic_increasing
        assert rows["spectral_efficiency_bps_per_hz"].is_monotonic_increasing


def test_slot_below_horizon_is_an_error():
    with pytest.raises(CorridorError) as exc:
        beam(slot_lon_deg=-60.0)
    text = exc.value.one_line()
    assert "beam.yaml" in text and "horizon" in text and "spec.slot_lon_deg=-60.0" in text


def test_dish_of_zero_is_an_error():
    with pytest.raises(CorridorError) as exc:
        beam(dish_cm=0)
    assert "spec.dish_cm" in exc.value.one_line()


def test_unknown_mode_and_province():
    with pytest.raises(CorridorError, match="DVB-S2"):
        beam(modcod="QPSK 7/8")
    with pytest.raises(CorridorError, match="province"):
        beam(ownership={"Atlantis": 0.1})


def contour_beam(contours, **spec) -> Activity:
    base = read_activity(EXAMPLE, channel="satellite").spec.model_dump()
    base.pop("peak_eirp_dbw")
    base.pop("beamwidth_deg")
    return Activity.create("satellite", {**base, "eirp_contours": contours, **spec}, id="c",
                           start=datetime(2026, 1, 1), source="contours.yaml")


WHOLE = [(123.0, 37.0), (132.0, 37.0), (132.0, 44.0), (123.0, 44.0)]
SOUTH = [(123.0, 37.0), (132.0, 37.0), (132.0, 39.5), (123.0, 39.5)]


def test_eirp_contours_set_the_footprint(grid):
    cov = SatelliteChannel().coverage(contour_beam([{"eirp_dbw": 50.0, "lonlat": WHOLE},
                                                    {"eirp_dbw": 53.0, "lonlat": SOUTH}]), grid, draws=20)
    eirp = cov.extras["eirp_dbw"]
    assert set(np.unique(eirp)) == {50.0, 53.0}
    assert (eirp[grid.lat < 39.4] == 53.0).all() and (eirp[grid.lat > 39.6] == 50.0).all()
    # only the southern contour: no service north of it
    south_only = SatelliteChannel().coverage(contour_beam([{"eirp_dbw": 53.0, "lonlat": SOUTH}]), grid, draws=20)
    north = grid.lat > 39.6
    assert (south_only.probability[:, north] == 0).all()
    assert (south_only.extras["closes_share"][grid.lat < 39.4] == 1).all()


def test_footprint_must_be_one_or_the_other():
    with pytest.raises(CorridorError, match="not both"):
        contour_beam([{"eirp_dbw": 50.0, "lonlat": WHOLE}], peak_eirp_dbw=50.0, beamwidth_deg=2.0)
    with pytest.raises(CorridorError, match="eirp_contours"):
        contour_beam([])
    with pytest.raises(CorridorError, match="crosses itself"):
        contour_beam([{"eirp_dbw": 50.0, "lonlat": [(123, 37), (132, 44), (132, 37), (123, 44)]}])
