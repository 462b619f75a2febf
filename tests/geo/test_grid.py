"""The population grid: exact totals, provinces, density, determinism and the cache."""

import numpy as np
import pytest
import shapely

from corridor.errors import CorridorError
from corridor.geo import grid as gridmod
from corridor.geo import grid_io, population, sources
from corridor.geo.names import NE_HASC_TO_PROVINCE, PROVINCES


def test_grid_adds_up_to_the_2008_census(grid2008):
    assert grid2008.civilian.sum() == pytest.approx(23_349_859, rel=1e-9)
    assert grid2008.military.sum() == pytest.approx(702_372, rel=1e-9)
    totals = sources.census_2008_totals().set_index("province_2008")["pop_total"]
    by_province = grid2008.province_totals()
    for name in PROVINCES:
        assert by_province[name] == pytest.approx(totals[name], rel=1e-9)


def test_every_county_adds_up_to_its_census_total(grid2008):
    expected = sources.counties().set_index("adm2_id")["pop_total"]
    got = grid2008.county_totals()
    assert (got.index == expected.index).all()
    assert np.all(np.abs(got - expected) <= 0.001 * expected)
    assert (np.bincount(grid2008.county, minlength=179) > 0).all()


def test_scaled_year_keeps_every_total_in_proportion(grid2008, grid):
    k = population.total_population(2026) / population.CENSUS_2008_TOTAL
    assert grid.population.sum() == pytest.approx(population.total_population(2026), rel=1e-9)
    assert np.allclose(grid.county_totals(), grid2008.county_totals() * k, rtol=1e-9)
    assert np.allclose(grid.province_totals(), grid2008.province_totals() * k, rtol=1e-9)


def test_cell_province_is_the_2008_province_of_the_polygon_it_lies_in(grid2008):
    ne = sources._read_geojson("ne10m_admin1_kp.geojson").to_crs(sources.PROJECTED)
    expected = np.full(grid2008.n_cells, -1)
    for row in ne.itertuples():
        if row.hasc in NE_HASC_TO_PROVINCE:
            inside = shapely.contains_xy(row.geometry, grid2008.x, grid2008.y)
            expected[inside] = PROVINCES.index(NE_HASC_TO_PROVINCE[row.hasc])
    known = expected >= 0
    assert known.mean() > 0.999  # the rest lie on the small unnamed island feature
    assert np.array_equal(grid2008.province[known], expected[known])


def test_cells_are_non_negative_and_on_land(grid2008):
    assert (grid2008.civilian >= 0).all() and (grid2008.military >= 0).all()
    assert (grid2008.area_km2 > 0).all() and (grid2008.area_km2 <= 25.0 + 1e-9).all()
    assert grid2008.area_km2.sum() == pytest.approx(122_400, rel=0.02)
    assert ((grid2008.urban_share >= 0) & (grid2008.urban_share <= 1)).all()


@pytest.mark.parametrize("resolution", [5.0, 1.0])
def test_pyongyang_holds_the_densest_cells(resolution):
    g = gridmod.build_grid(resolution)
    top = np.argsort(g.density_per_km2)[::-1][:5]
    assert set(g.province_names[top]) == {"Pyongyang"}
    if resolution == 1.0:
        assert g.civilian.sum() == pytest.approx(23_349_859, rel=1e-9)
        assert np.allclose(g.county_totals(), sources.counties()["pop_total"].to_numpy(), rtol=1e-3)


def test_military_placement_follows_the_assumption(grid2008):
    borders = sources.land_borders().to_crs(sources.PROJECTED)
    mdl = borders.loc[borders["border"] == "KP-KR", "geometry"].iloc[0]
    near = shapely.distance(mdl, shapely.points(grid2008.x, grid2008.y)) <= 100_000
    share = grid2008.military[near].sum() / grid2008.military.sum()
    civ_share = grid2008.civilian[near].sum() / grid2008.civilian.sum()
    assert share == pytest.approx(0.7 + 0.3 * civ_share, abs=1e-6)
    proportional = gridmod.build_grid(5.0, gridmod.GridParams(military_placement="proportional"))
    assert np.allclose(proportional.military / proportional.civilian, 702_372 / 23_349_859)


def test_rebuild_is_identical_and_the_cache_round_trips(tmp_path, grid2008):
    again = gridmod.build_grid(5.0)
    for name in ("x", "y", "civilian", "military", "urban", "province", "county", "area_km2"):
        assert np.array_equal(getattr(again, name), getattr(grid2008, name)), name
    path = tmp_path / "grid.parquet"
    grid_io.save_grid(again, path)
    back = grid_io.read_grid(path)
    assert np.array_equal(back.civilian, again.civilian)
    assert back.county_ids == again.county_ids
    assert back.key == again.key


def test_corrupt_cache_is_a_clear_error(tmp_path, grid2008):
    path = tmp_path / "grid.parquet"
    grid_io.save_grid(grid2008, path)
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2: len(raw) // 2 + 64] = b"\0" * 64
    path.write_bytes(bytes(raw))
    with pytest.raises(CorridorError) as err:
        grid_io.read_grid(path)
    assert str(path) in str(err.value) and "--rebuild" in str(err.value)
    path.write_bytes(b"not parquet at all")
    with pytest.raises(CorridorError, match="corrupt"):
        grid_io.read_grid(path)


@pytest.mark.parametrize("bad", [0, -5, float("nan"), "abc", 0.1])
def test_bad_resolution_is_refused(bad):
    with pytest.raises(CorridorError, match="--resolution-km"):
        gridmod.validate_resolution(bad)


@pytest.mark.parametrize("year", [1990, 2007, 2101])
def test_years_outside_the_range_are_refused(year):
    with pytest.raises(CorridorError, match="--year"):
        population.total_population(year)


def test_total_population_follows_the_census_and_wpp():
    assert population.total_population(2008) == 24_052_231
    assert population.total_population(2024) == 26.5e6
    assert 26.1e6 < population.total_population(2022) < 26.5e6
    assert population.total_population(2026) == pytest.approx(26.5e6 - 2 * 0.7e6 / 26)


def test_town_kernel_widens_on_a_coast_instead_of_piling_up():
    d = np.array([0.0, 1.0, 2.0, 3.0])
    half_land = np.array([1.0, 1.0, 1.0, 1.0])
    sigma0 = float(population.town_sigma_km(10_000, 5_000, 0.5))
    wide = population.fit_sigma_to_land(10_000, 5_000, d, half_land, sigma0)
    assert wide >= sigma0
    assert 5_000 * np.sum(half_land * np.exp(-0.5 * d**2 / wide**2)) >= 10_000 * 0.999


@pytest.mark.parametrize("resolution", [20.0, 50.0])
def test_coarse_cells_keep_every_province_total(resolution):
    """At coarse resolutions some counties have no cell of their own: their people go to the
    nearest cell of their province, so province and national totals stay exact."""
    g = gridmod.build_grid(resolution)
    assert g.civilian.sum() == pytest.approx(population.CENSUS_2008_CIVILIAN, rel=1e-9)
    assert (np.bincount(g.county, minlength=179) == 0).any()     # the case this guards
    totals = sources.census_2008_totals().set_index("province_2008")["pop_total"]
    by_province = g.province_totals()
    for name in PROVINCES:
        assert by_province[name] == pytest.approx(totals[name], rel=1e-9)
    assert (g.civilian >= 0).all() and np.isfinite(g.civilian).all()


def test_the_grid_setting_is_read_from_the_environment(monkeypatch):
    from corridor.settings import DEFAULT_GRID_KM, GRID_KM_ENV, grid_resolution_km

    monkeypatch.delenv(GRID_KM_ENV, raising=False)
    assert grid_resolution_km() == DEFAULT_GRID_KM
    monkeypatch.setenv(GRID_KM_ENV, "2.5")
    assert grid_resolution_km() == 2.5
    assert grid_resolution_km(10) == 10.0          # a command's option wins
    monkeypatch.setenv(GRID_KM_ENV, "0")
    with pytest.raises(CorridorError, match=GRID_KM_ENV):
        grid_resolution_km()
    with pytest.raises(CorridorError, match="provinces without a cell"):
        gridmod.validate_resolution(500)
