"""The shipped census and boundaries agree with the published 2008 census."""

import pytest

from corridor.geo import sources
from corridor.geo.names import PROVINCES


def test_county_rows_add_up_to_each_province_and_the_nation():
    census = sources.census_2008()
    totals = sources.census_2008_totals().set_index("province_2008")
    assert len(census) == 208
    by_province = census.groupby("province_2008")["pop_total"].sum()
    for name in PROVINCES:
        assert by_province[name] == totals.loc[name, "pop_total"]
    assert census["pop_total"].sum() == 23_349_859
    assert (census["urban_total"] + census["rural_total"] == census["pop_total"]).all()


def test_counties_are_the_179_units_of_2019_with_their_census_sums():
    counties = sources.counties()
    census = sources.census_2008()
    assert len(counties) == 179
    assert counties["pop_total"].sum() == census["pop_total"].sum()
    pyongyang = counties.set_index("adm2_id").loc["KP1001"]
    # Pyongyang's 19 districts join one 2019 unit and stay in Pyongyang province.
    assert pyongyang["province_2008"] == "Pyongyang"
    assert pyongyang["n_units_2008"] == len(census[census["adm2_id_2019"] == "KP1001"]) > 10


def test_provinces_are_the_ten_2008_units_with_rason_in_north_hamgyong():
    prov = sources.provinces()
    assert list(prov["province"]) == list(PROVINCES)
    assert prov.geometry.is_valid.all()
    rason = sources._read_geojson("ne10m_admin1_kp.geojson")
    rason = rason[rason["hasc"] == "KP.NJ"].geometry.iloc[0]
    north_hamgyong = prov.set_index("province").geometry["North Hamgyong"]
    assert north_hamgyong.contains(rason.representative_point())
    area = prov.to_crs(sources.PROJECTED).area.sum() / 1e6
    assert area == pytest.approx(122_400, rel=0.01)  # SOURCES: ≈122,400 km² at this scale


def test_places_and_crossings_load_with_korean_names():
    places = sources.places("KP")
    assert places.iloc[0]["name"] == "Pyongyang"
    assert places.iloc[0]["name_ko"] == "평양"
    crossings = sources.border_crossings()
    assert {"sinuiju_dandong", "hyesan_changbai", "namyang_tumen"} <= set(crossings["crossing_id"])
