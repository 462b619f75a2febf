"""EiBi season reader: real rows of sked-a26.csv as fixtures (tests/radio/data/eibi_rows.csv)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from corridor.channels.radio import eibi
from corridor.errors import CorridorError
from tests.conftest import SHARED, needs_shared

DATA = Path(__file__).parent / "data"
ROWS = DATA / "eibi_rows.csv"
EIBI = SHARED / "data" / "radio" / "eibi"


@pytest.fixture
def season(tmp_path):
    path = tmp_path / "sked-a26.csv"
    shutil.copyfile(ROWS, path)
    return eibi.read_season(path)


def _write(tmp_path, name, lines, encoding="iso-8859-1"):
    path = tmp_path / name
    path.write_bytes("\r\n".join(lines).encode(encoding) + b"\r\n")
    return path


def _header():
    return ROWS.read_bytes().decode("iso-8859-1").splitlines()[0]


def test_fixture_is_the_source_format():
    raw = ROWS.read_bytes()
    assert raw.count(b"\r\n") == 6 and raw.startswith(b"kHz:75;Time(UTC):93;")


def test_rows_parse_to_the_values_in_the_file(season):
    assert season.code == "A26" and len(season.broadcasts) == 5
    kcbs, umg, hope, rbs, fnkr = season.broadcasts
    assert (kcbs.khz, kcbs.utc_start, kcbs.utc_end, kcbs.itu, kcbs.station) == (
        3205.0, "1950", "1800", "KRE", "KCBS DIGITAL")
    assert kcbs.wraps_midnight and kcbs.days == frozenset(range(7)) and kcbs.days_note == ""
    assert (kcbs.site, kcbs.persistence, kcbs.checked, kcbs.line) == ("k", 1, "0126", 2)
    assert (umg.station, umg.site, umg.persistence, umg.utc_end) == (
        "Unification Media Group", "/TWN-s", 4, "2058")
    assert (hope.days, hope.site, hope.persistence, hope.start, hope.stop, hope.checked) == (
        frozenset({1, 3, 6}), "/TWN", 6, "2903", "3105", "0326")
    assert (rbs.khz, rbs.days, rbs.start, rbs.stop, rbs.itu) == (
        7200.0, frozenset({2, 4, 6}), "2903", "0304", "USA")
    assert (fnkr.station, fnkr.site, fnkr.persistence, fnkr.target, fnkr.language) == (
        "Free North Korea Radio", "/UZB", 5, "KRE", "K")
    assert not umg.wraps_midnight
    assert len(eibi.korean_to_korea(season)) == 5


@pytest.mark.parametrize("text, days, note", [
    ("", set(range(7)), ""),
    ("Mo-Fr", {0, 1, 2, 3, 4}, ""),
    ("SaSu", {5, 6}, ""),
    ("Tu,Th", {1, 3}, ""),
    ("Th-Tu", {3, 4, 5, 6, 0, 1}, ""),
    ("Su", {6}, ""),
    ("1245", {0, 1, 3, 4}, ""),
    ("247", {1, 3, 6}, ""),
    ("irr", set(range(7)), "irr"),
    ("alt", set(range(7)), "alt"),
    ("15Sep", set(range(7)), "15Sep"),
])
def test_parse_days(text, days, note):
    assert eibi.parse_days(text) == (frozenset(days), note)


def test_season_dates():
    assert eibi.season_dates("A26") == (dt.date(2026, 3, 29), dt.date(2026, 10, 25))
    assert eibi.season_dates("B26") == (dt.date(2026, 10, 25), dt.date(2027, 3, 28))


def test_season_from_check_dates_when_the_name_is_not_eibis(tmp_path):
    path = tmp_path / "schedule.csv"
    shutil.copyfile(ROWS, path)
    assert eibi.read_season(path).code == "A26"  # newest check note [0326]


def _b(season, **changes):
    return dataclasses.replace(season.broadcasts[0], **changes)


def _winter():
    first, last = eibi.season_dates("B26")
    return eibi.Season("B26", first, last, (), "sked-b26.csv")


def test_active_on_persistence(season):
    july = dt.date(2026, 7, 1)  # a Wednesday
    winter, jan = _winter(), dt.date(2027, 1, 6)
    for p in (0, 1, 2, 3):
        assert eibi.active_on(_b(season, persistence=p), july, season)
    assert not eibi.active_on(_b(season, persistence=4), july, season)
    assert eibi.active_on(_b(season, persistence=4), jan, winter)
    assert eibi.active_on(_b(season, persistence=5), july, season)
    assert not eibi.active_on(_b(season, persistence=5), jan, winter)
    assert not eibi.active_on(_b(season, persistence=8), july, season)
    p6 = _b(season, persistence=6, start="2903", stop="3105")
    assert eibi.active_on(p6, dt.date(2026, 5, 31), season)
    assert not eibi.active_on(p6, dt.date(2026, 6, 1), season)
    # A B-season range across the year end: 1 December to 15 January.
    p6w = _b(season, persistence=6, start="0112", stop="1501")
    assert eibi.active_on(p6w, jan, winter)
    assert not eibi.active_on(p6w, dt.date(2027, 2, 1), winter)
    assert not eibi.active_on(p6w, dt.date(2026, 11, 30), winter)


def test_active_on_days_real_rows(season):
    _, umg, hope, rbs, fnkr = season.broadcasts
    assert not eibi.active_on(umg, dt.date(2026, 7, 1), season)  # winter only
    assert eibi.active_on(fnkr, dt.date(2026, 7, 1), season)  # summer only
    assert eibi.active_on(hope, dt.date(2026, 5, 28), season)  # Thursday, within 29/3-31/5
    assert not eibi.active_on(hope, dt.date(2026, 5, 27), season)  # Wednesday
    assert not eibi.active_on(hope, dt.date(2026, 6, 4), season)  # Thursday, after Stop
    assert eibi.active_on(rbs, dt.date(2026, 4, 1), season)  # Wednesday, before 3 April
    assert not eibi.active_on(rbs, dt.date(2026, 4, 2), season)  # Thursday
    # A midnight wrap belongs to the day it starts: Mo-only 1950-1800 is on a Monday only.
    monday_wrap = _b(season, days=frozenset({0}))
    assert eibi.active_on(monday_wrap, dt.date(2026, 6, 29), season)
    assert not eibi.active_on(monday_wrap, dt.date(2026, 6, 30), season)
    assert not eibi.active_on(_b(season, days_note="alt"), dt.date(2026, 7, 1), season)
    assert eibi.active_on(_b(season, days_note="irr"), dt.date(2026, 7, 1), season)


def test_sites_resolve_and_unknown_codes_are_named(season):
    resolved, unknown = eibi.resolve_sites(season.broadcasts)
    sites = {b.station: s for b, s in resolved}
    assert sites["KCBS DIGITAL"].name == "Kanggye" and sites["KCBS DIGITAL"].country == "KRE"
    assert sites["Unification Media Group"].name.startswith("Tanshui")
    assert sites["Free North Korea Radio"].name == "Tashkent"
    assert abs(sites["Free North Korea Radio"].lat - 41.2167) < 1e-3
    # Taiwan has no default site in the readme: '/TWN' alone is unknown, not guessed.
    assert unknown == [("New Korea Hope Bcing", "/TWN")]
    assert eibi.resolve_site(_b(season, itu="KOR", site="d")) is None
    _, unknown = eibi.resolve_sites([_b(season, station="X", itu="KOR", site="d")])
    assert unknown == [("X", "KOR:d")]


def test_site_table_has_the_korea_sites():
    sites = eibi.load_sites()
    for key in [("KRE", "k"), ("KRE", "p"), ("KRE", "u"), ("KOR", "k"), ("KOR", "h"),
                ("TWN", "s"), ("TWN", "p"), ("UZB", ""), ("PHL", "t"), ("GUM", "a")]:
        assert key in sites, key


# --- bad input --------------------------------------------------------------------------------

def test_utf16_file_is_refused(tmp_path):
    path = tmp_path / "sked-a26.csv"
    path.write_bytes(ROWS.read_bytes().decode("iso-8859-1").encode("utf-16"))
    with pytest.raises(CorridorError, match="sked-a26.csv.*UTF-16"):
        eibi.read_season(path)


def test_file_without_header_is_refused(tmp_path):
    lines = ROWS.read_bytes().decode("iso-8859-1").splitlines()[1:]
    path = _write(tmp_path, "sked-a26.csv", lines)
    with pytest.raises(CorridorError, match="sked-a26.csv line 1.*header"):
        eibi.read_season(path)


def test_malformed_time_names_line_and_field(tmp_path):
    lines = ROWS.read_bytes().decode("iso-8859-1").splitlines()
    lines[2] = lines[2].replace("2000-2058", "2000-2560")
    path = _write(tmp_path, "sked-a26.csv", lines)
    with pytest.raises(CorridorError) as err:
        eibi.read_season(path)
    assert err.value.source == "sked-a26.csv line 3" and err.value.field == "Time(UTC)"
    assert "sked-a26.csv line 3: Time(UTC)='2000-2560'" in str(err.value)


def test_date_outside_the_season_is_refused(season):
    with pytest.raises(CorridorError, match="2026-03-29 to 2026-10-25"):
        eibi.active_on(season.broadcasts[0], dt.date(2026, 12, 1), season)


def test_file_without_korean_rows_says_so(tmp_path):
    path = _write(tmp_path, "sked-a26.csv", [
        _header(), "16.3;0000-2400;;IND;VTX1 Indian Navy;;SAs;v;1;;"])
    season = eibi.read_season(path)
    with pytest.raises(CorridorError, match="no broadcast in Korean"):
        eibi.korean_to_korea(season)


@needs_shared(EIBI / "sked-a26.csv", "EiBi season A26 (sked-a26.csv)")
def test_full_shipped_season_if_present():
    path = EIBI / "sked-a26.csv"
    season = eibi.read_season(path)
    korea = eibi.korean_to_korea(season)
    assert 180 <= len(korea) <= 200
    _, unknown = eibi.resolve_sites(korea)
    codes = sorted({code for _, code in unknown})
    print("unknown EiBi site codes:", codes)
    assert "/KOR-db" in codes
