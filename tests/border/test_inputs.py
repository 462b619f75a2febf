"""Bad shipments give one clear error naming the field; the crossings table is right."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import pytest
import shapely
import geopandas as gpd

from corridor.channels.base import Activity
from corridor.channels.border import crossings, parameters
from corridor.channels.border.network import railway_lines, trade_network
from corridor.errors import CorridorError
from corridor.geo import sources


def make(**spec):
    base = {"crossing": "hyesan", "devices": 10, "content_gb": 4}
    return Activity.create("border", {**base, **spec}, id="x", start=datetime(2026, 1, 1), source="s.yaml")


def test_unknown_crossing_names_field():
    with pytest.raises(CorridorError) as exc:
        make(crossing="Panmunjom")
    text = exc.value.one_line()
    assert "s.yaml" in text and "spec.crossing" in text and "Panmunjom" in text and "hyesan_changbai" in text


def test_negative_count_names_field():
    with pytest.raises(CorridorError) as exc:
        make(devices=-5)
    assert "spec.devices" in exc.value.one_line() and "-5" in exc.value.one_line()


def test_content_must_fit_the_medium():
    with pytest.raises(CorridorError) as exc:
        make(medium="dvd", content_gb=20)
    assert "spec.content_gb=20" in exc.value.one_line() and "dvd" in exc.value.one_line()
    assert make(medium="usb", content_gb=20).spec.content_gb == 20


def test_unknown_or_bad_parameter():
    with pytest.raises(CorridorError, match="unknown parameter"):
        make(parameters={"speed": 3})
    with pytest.raises(CorridorError, match="share"):
        make(parameters={"p_intercept": 1.5})


@pytest.mark.parametrize("name,expected", [("Hyesan", "hyesan_changbai"), ("Sinŭiju", "sinuiju_dandong"),
                                           ("dandong", "sinuiju_dandong"), ("Khasan", "tumangang_khasan"),
                                           ("wonjong_quanhe", "wonjong_quanhe"), ("Manpo", "manpo_jian")])
def test_crossing_names_resolve(name, expected):
    assert crossings.find_crossing(name)["crossing_id"] == expected


def test_corrected_crossings_lie_on_the_border():
    borders = sources.land_borders().set_index("border").to_crs(sources.PROJECTED)
    table = crossings.crossings().set_index("crossing_id")
    for cid, border in (("wonjong_quanhe", "KP-CN"), ("tumangang_khasan", "KP-RU")):
        row = table.loc[cid]
        pt = gpd.GeoSeries([shapely.Point(row.kp_lon, row.kp_lat)], crs=sources.WGS84).to_crs(sources.PROJECTED)[0]
        assert borders.loc[border, "geometry"].distance(pt) < 100.0  # metres
        assert row.coord_basis.startswith("CORRECTED")
    # the other seven keep the geo table's points
    geo = sources.border_crossings().set_index("crossing_id")
    for cid in geo.index.difference(["wonjong_quanhe", "tumangang_khasan"]):
        assert table.loc[cid, "kp_lat"] == pytest.approx(geo.loc[cid, "kp_lat"])


def test_parameter_table_is_complete_and_sourced():
    table = parameters.table()
    for p in table.values():
        assert p.low <= p.central <= p.high, p.name
        assert p.source and p.meaning
    draws = parameters.draw(2000, np.random.default_rng(0))
    for name, p in table.items():
        assert draws[name].min() >= p.low - 1e-12 and draws[name].max() <= p.high + 1e-12


def test_railway_lines_have_sources_and_known_stations():
    lines = railway_lines()
    assert lines["source"].str.len().min() > 10
    assert lines.groupby("line_id").size().min() >= 2
    assert lines[["lon", "lat"]].notna().all().all()


def test_trade_network_is_row_stochastic(grid):
    net = trade_network(grid, parameters.GRAVITY_LEVELS)
    for w in (0.4, 0.8):
        M = net.destinations(w, 2.0)
        np.testing.assert_allclose(M.sum(axis=1), 1.0)
        assert (M >= 0).all() and np.allclose(np.diag(M), 0)
    # the railway links Hyesan to Kilju's county and Sinuiju to Pyongyang's
    assert net.has_rail.sum() > 60
