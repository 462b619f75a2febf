import pytest

from corridor.errors import CorridorError
from corridor.geo import sources
from corridor.geo.names import PROVINCES, resolve_county, resolve_province


@pytest.mark.parametrize("given, expected", [
    ("Pyongyang", "Pyongyang"), ("P'yŏngyang", "Pyongyang"), ("평양시", "Pyongyang"),
    ("Hamgyŏng-bukto", "North Hamgyong"), ("함경북도", "North Hamgyong"), ("Rason", "North Hamgyong"),
    ("라선시", "North Hamgyong"), ("Nampo", "South Pyongan"), ("남포", "South Pyongan"),
    ("Kaesong", "North Hwanghae"), ("개성", "North Hwanghae"), ("Yanggang-do", "Ryanggang"),
    ("양강도", "Ryanggang"), ("Chagang", "Jagang"), ("  south  hwanghae ", "South Hwanghae"),
])
def test_resolve_province_spellings(given, expected):
    assert resolve_province(given) == expected


def test_every_canonical_and_korean_name_resolves_to_itself():
    totals = sources.census_2008_totals()
    for row in totals[totals["level"] == "province"].itertuples():
        assert resolve_province(row.province_2008) == row.province_2008
        assert resolve_province(row.name_ko) == row.province_2008
    assert len(PROVINCES) == 10


def test_unknown_province_suggests_the_nearest():
    with pytest.raises(CorridorError) as err:
        resolve_province("North Hamgyeong-do-x", source="survey.csv", field="province")
    text = str(err.value)
    assert "survey.csv" in text and "North Hamgyeong-do-x" in text and "North Hamgyong" in text


def test_resolve_county_in_english_and_korean():
    counties = sources.counties()
    assert resolve_county("Hyesan City", counties) == "KP0101"
    assert resolve_county("Hyesan", counties) == "KP0101"
    assert resolve_county("혜산시", counties) == "KP0101"
    with pytest.raises(CorridorError, match="unknown county"):
        resolve_county("Atlantis", counties)
