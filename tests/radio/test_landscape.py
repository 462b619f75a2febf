"""The real landscape: selection by day, powers, and the combined reach, on real EiBi rows.

``tests/radio/data/landscape_sked.csv`` holds six rows copied from EiBi's A26 file (ISO-8859-1,
CRLF, header as published): KBS Hanminjok 1170 kHz from Kimjae, Voice of America 12130 kHz from
Tinang (Mo-Fr, 2030-0130, 25 June to 10 July only), Free North Korea Radio 7615 kHz from Tashkent,
Adventist World Radio 9550 kHz from Guam (KSDA), Living Water Ministry via ``/TWN`` (a site code
without a site letter: unknown) and KCBS Pyongyang 3250 kHz (North Korea's own station).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from corridor.channels.radio import eibi, landscape
from corridor.errors import CorridorError

DATA = Path(__file__).parent / "data"
SKED = DATA / "landscape_sked.csv"
#: 2026-07-01 is a Wednesday, 2026-07-04 a Saturday, 2026-07-06 a Monday.
WED, SAT, MON = dt.date(2026, 7, 1), dt.date(2026, 7, 4), dt.date(2026, 7, 6)


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    path = tmp_path_factory.mktemp("sked") / "sked-a26.csv"
    shutil.copyfile(SKED, path)
    return eibi.read_season(path)


@pytest.fixture(scope="module")
def coarse_grid():
    """A 15 km grid (about 550 cells), built from the shipped data into the test cache."""
    from corridor.geo.grid import load_grid

    return load_grid(15.0, 2026)


@pytest.fixture(scope="module")
def land(season, coarse_grid):
    return landscape.build(season, WED, grid=coarse_grid, draws=40, seed=1)


def _by_station(items):
    return {i.broadcast.station: i for i in items}


def test_fixture_is_real_eibi_format():
    raw = SKED.read_bytes()
    assert raw.startswith(b"kHz:75;Time(UTC):93;") and raw.count(b"\r\n") == 7


def test_select_days_and_midnight_carry_over(season):
    on, unknown = landscape.select(season, WED)
    by = _by_station(on)
    assert set(by) == {"KBS Hanminjok", "Voice of America", "Free North Korea Radio",
                       "Adventist World Radio", "KCBS Pyongyang"}
    assert unknown == [("Living Water Ministry", "/TWN")]
    # 1400-2400: hours 14..23 UTC = 23..08 KST
    assert by["KBS Hanminjok"].utc_hours == tuple(range(14, 24))
    # VOA 2030-0130 Mo-Fr: Wednesday has its own start (20..23) and Tuesday's carry-over (0, 1)
    assert by["Voice of America"].utc_hours == (0, 1, 20, 21, 22, 23)
    assert by["Free North Korea Radio"].utc_hours == (20,)
    assert not by["KCBS Pyongyang"].outside and by["Voice of America"].outside

    # Saturday: no VOA start (Mo-Fr), but Friday's broadcast runs on to 01:30 UTC Saturday
    sat = _by_station(landscape.select(season, SAT)[0])
    assert sat["Voice of America"].utc_hours == (0, 1)
    # Monday: Monday's start, but no carry-over from Sunday
    mon = _by_station(landscape.select(season, MON)[0])
    assert mon["Voice of America"].utc_hours == (20, 21, 22, 23)


def test_select_persistence_dates(season):
    # VOA 12130 runs from 25 June to 10 July (persistence 6); 11 July (Saturday) still carries
    # Friday 10 July's broadcast past midnight, 13 July (Monday) has nothing
    assert "Voice of America" in _by_station(landscape.select(season, dt.date(2026, 7, 11))[0])
    assert "Voice of America" not in _by_station(landscape.select(season, dt.date(2026, 7, 13))[0])
    assert "Voice of America" not in _by_station(landscape.select(season, dt.date(2026, 6, 24))[0])


def test_select_date_outside_season(season):
    with pytest.raises(CorridorError) as err:
        landscape.select(season, dt.date(2026, 12, 1))
    text = str(err.value)
    assert "2026-03-29" in text and "2026-10-25" in text and "2026-12-01" in text


def test_default_date(season):
    assert landscape.default_date(season, today=dt.date(2026, 7, 9)) == dt.date(2026, 7, 9)
    assert landscape.default_date(season, today=dt.date(2027, 1, 5)) == dt.date(2026, 4, 29)


def test_powers_resolution_order(season):
    on, _ = landscape.select(season, WED)
    by = _by_station(on)
    shipped = landscape.load_powers()
    assert all(r.source for r in shipped.rules)          # every shipped figure carries a source
    kbs = shipped.resolve(by["KBS Hanminjok"].broadcast, by["KBS Hanminjok"].site)
    assert (kbs["power_kw"], kbs["assumed"]) == (250.0, False)
    fnkr = shipped.resolve(by["Free North Korea Radio"].broadcast, by["Free North Korea Radio"].site)
    assert (fnkr["power_kw"], fnkr["antenna"], fnkr["assumed"]) == (
        landscape.DEFAULT_POWER_KW, landscape.DEFAULT_ANTENNA, True)


def test_user_powers_station_beats_site_beats_country(season, tmp_path):
    path = tmp_path / "powers.csv"
    path.write_text("match_kind,key,power_kw,antenna,gain_dbi,source\n"
                    "# a comment line\n"
                    "country,UZB,50,isotropic,0,country row\n"
                    "site,UZB,150,beam,12,site row\n"
                    "station,free north korea radio,300,curtain,,station row\n"
                    "country,PHL,75,isotropic,3,philippines\n", encoding="utf-8")
    powers = landscape.load_powers(path)
    by = _by_station(landscape.select(season, WED)[0])
    fnkr = by["Free North Korea Radio"]
    assert powers.resolve(fnkr.broadcast, fnkr.site)["power_kw"] == 300.0
    without_station = dataclasses.replace(powers, rules=tuple(r for r in powers.rules
                                                              if r.match_kind != "station"))
    got = without_station.resolve(fnkr.broadcast, fnkr.site)
    assert (got["power_kw"], got["antenna"], got["gain_dbi"]) == (150.0, "beam", 12.0)
    voa = by["Voice of America"]
    assert powers.resolve(voa.broadcast, voa.site)["power_kw"] == 75.0
    awr = by["Adventist World Radio"]
    assert powers.resolve(awr.broadcast, awr.site)["assumed"] is True


@pytest.mark.parametrize("body, line, field", [
    ("site,UZB,-5,isotropic,0,x\n", 2, "power_kw"),
    ("site,UZB,abc,isotropic,0,x\n", 2, "power_kw"),
    ("site,UZB,100,yagi,0,x\n", 2, "antenna"),
    ("planet,UZB,100,isotropic,0,x\n", 2, "match_kind"),
    ("site,UZB,100,isotropic,0,x\nsite,UZB,200,isotropic,0,y\n", 3, "key"),
    ("site,,100,isotropic,0,x\n", 2, "key"),
    ("site,UZB,100,beam,45,x\n", 2, "gain_dbi"),
])
def test_bad_powers_file(tmp_path, body, line, field):
    path = tmp_path / "mine.csv"
    path.write_text("match_kind,key,power_kw,antenna,gain_dbi,source\n" + body, encoding="utf-8")
    with pytest.raises(CorridorError) as err:
        landscape.load_powers(path)
    assert err.value.field == field
    assert f"mine.csv line {line}" in str(err.value)


def test_powers_file_missing_column_or_file(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("match_kind,key,power\nsite,UZB,100\n", encoding="utf-8")
    with pytest.raises(CorridorError, match="power_kw"):
        landscape.load_powers(path)
    with pytest.raises(CorridorError, match="cannot read"):
        landscape.load_powers(tmp_path / "absent.csv")


def test_to_json_keys_and_types(land, coarse_grid):
    out = json.loads(json.dumps(land.to_json()))
    assert {"season", "date", "broadcasts", "unknown_sites", "hours_kst", "silent_hours_kst",
            "per_station", "per_province", "assumptions", "attribution", "population"} <= set(out)
    assert out["season"] == "A26" and out["date"] == "2026-07-01"
    assert out["attribution"] == eibi.ATTRIBUTION
    assert set(out["hours_kst"]) == {str(h) for h in range(24)}
    for row in out["broadcasts"]:
        assert {"station", "khz", "utc_start", "utc_end", "days", "site", "lat", "lon",
                "power_kw", "power_assumed"} <= set(row)
        assert isinstance(row["power_assumed"], bool) and isinstance(row["khz"], float)
        assert len(row["utc_start"]) == 4 and set(row["days"]) <= set(landscape._DAY_KEYS)
    voa = next(r for r in out["broadcasts"] if r["station"] == "Voice of America")
    assert voa["days"] == ["mon", "tue", "wed", "thu", "fri"] and voa["power_assumed"] is True
    kbs = next(r for r in out["broadcasts"] if r["station"] == "KBS Hanminjok")
    assert kbs["power_assumed"] is False and kbs["power_kw"] == 250.0
    assert out["unknown_sites"][0]["station"] == "Living Water Ministry"
    for hour in out["hours_kst"].values():
        assert hour["reached_lower90"] <= hour["reached_median"] <= hour["reached_upper90"]
        assert 0 <= hour["reached_upper90"] <= out["population"]
    assert abs(out["population"] - coarse_grid.population.sum()) < 1
    assert land.reliability.shape == (24, coarse_grid.n_cells)
    assert sum(p["population"] for p in out["per_province"]) == pytest.approx(out["population"], abs=10)


def test_silent_hours_are_hours_without_outside_stations(land):
    on_air = set()
    for row in land.broadcasts:
        if row["outside"]:
            on_air.update(row["hours_kst"])
    for u in land.unknown_sites:
        on_air.update(u["hours_kst"])
    assert set(land.silent_hours_kst) == set(range(24)) - on_air
    assert land.silent_hours_kst            # the fixture leaves most of the day silent
    for h in land.silent_hours_kst:
        assert land.hours_kst[str(h)]["stations"] == []
        assert land.hours_kst[str(h)]["reached_upper90"] == 0
        assert np.all(land.reliability[h] == 0)
    # KCBS (domestic) is on air nearly all day but never counted
    assert all("KCBS Pyongyang" not in land.hours_kst[str(h)]["stations"] for h in range(24))
    # the unknown site is on air (15 UTC = 00 KST) but listed as not counted
    assert "Living Water Ministry" in land.hours_kst["0"]["stations_not_counted"]


def test_reach_never_falls_when_a_broadcast_is_added(season, coarse_grid, land):
    outside = [b for b in season.broadcasts if b.station != "Adventist World Radio"]
    fewer = dataclasses.replace(season, broadcasts=tuple(outside))
    less = landscape.build(fewer, WED, grid=coarse_grid, draws=40, seed=1)
    for h in range(24):
        a, b = less.hours_kst[str(h)], land.hours_kst[str(h)]
        assert b["reached_median"] >= a["reached_median"]
        assert b["reached_lower90"] >= a["reached_lower90"]
    assert np.all(land.reliability >= less.reliability - 1e-6)
    # and AWR's own hours (18 UTC = 03 KST) gain from it
    assert land.hours_kst["3"]["reached_median"] >= less.hours_kst["3"]["reached_median"]


def test_assumptions_and_per_station(land):
    a = land.assumptions
    for key in ("powers", "antennas", "jamming", "propagation", "receivers", "listening"):
        assert a[key]
    stations = {s["station"]: s for s in land.per_station}
    assert set(stations) == {"KBS Hanminjok", "Voice of America", "Free North Korea Radio",
                             "Adventist World Radio"}
    for s in stations.values():
        assert s["reached_lower90"] <= s["reached_median"] <= s["reached_upper90"]
    assert stations["Free North Korea Radio"]["power_assumed"] is True
    assert stations["Adventist World Radio"]["power_assumed"] is False


def test_build_rejects_bad_draws(season, coarse_grid):
    with pytest.raises(CorridorError):
        landscape.build(season, WED, grid=coarse_grid, draws=0)


def test_korean_catalogue_covers_the_map_strings():
    from babel.messages.pofile import read_po

    from corridor.i18n import gettext

    po = Path(landscape.__file__).parents[2] / "locale" / "ko" / "LC_MESSAGES" / "landscape.po"
    with po.open("rb") as f:
        ids = [m.id for m in read_po(f, locale="ko") if m.id]
    source = (Path(landscape.__file__).parents[2] / "presentation" / "landscape.py").read_text("utf-8")
    assert len(ids) >= 10
    for msg in ids:
        assert gettext("ko", msg) != msg and any("\uac00" <= ch <= "\ud7a3" for ch in gettext("ko", msg))
        assert msg.split("{")[0][:20] in source.replace('"\n', "").replace("  ", "")


def test_landscape_map_is_written(land, coarse_grid, tmp_path):
    from corridor.presentation.landscape import landscape_maps

    out = landscape_maps(coarse_grid, land, tmp_path / "landscape-ko.png", lang="ko")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 50_000
