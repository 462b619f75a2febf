"""Public broadcast schedules in the ledger: a season of EiBi as public activities.

The coalition's collisions, silent hours and gaps are only true if every broadcaster is in the
ledger, not only the coalition's members. EiBi publishes the world's shortwave schedule openly
each season (:mod:`corridor.channels.radio.eibi`); this module records its broadcasts in Korean
aimed at Korea as activities of one organisation (a *reference* organisation, e.g. "Public
schedules"), in one campaign per season whose visibility is ``public``: every member of the
coalition may read it in full, since nothing in it is private.

An import is all or nothing, like any import (:mod:`corridor.coalition.exchange`): every
broadcast is checked by the radio channel's own model first, then one transaction replaces the
season's campaign (a second import of the same season is not a duplicate) and writes its
activities with their audit entries. What cannot be recorded is reported, never guessed:

- a transmitter site that the shipped site table lacks (by station and code);
- North Korea's own stations (ITU code ``KRE``): they are not an outside voice;
- a broadcast on a day EiBi gives only as an occasion (``Ram``, ``Test``, ``alt``);
- a site beyond the radio model's 7,000 km.

What a broadcast carries is recorded only where the station documents it: the shipped table
``coalition/data/station_themes.yaml`` gives a few stations' content themes with the description
they come from (named in each activity's ``spec.source``); every other broadcast's themes are
``unknown`` (:data:`corridor.themes.UNKNOWN`), never guessed from a station's name or owner.

Shortwave schedule data: EiBi (Eike Bierwirth), eibispace.de.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.rules import Action, Actor, Visibility, require_in_org
from corridor.coalition import exchange, ledger
from corridor.coalition.tables import Campaign
from corridor.errors import CorridorError
from corridor.themes import UNKNOWN, parse_themes

#: The name of a season's campaign; a second import of the same season replaces it.
CAMPAIGN_NAME = "Public schedule {season} (EiBi): broadcasts in Korean to Korea"
#: ITU code of North Korea (EiBi readme D.II): its own stations are not outside voices.
NORTH_KOREA = "KRE"
#: Why a broadcast whose Days field is a note this reader cannot date is left out.
OCCASIONS = "on air only on occasions EiBi gives as a note (Ram, Test, alt, ...)"
_DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class StationThemes:
    """A station's documented content themes and the description they come from."""

    themes: dict[str, float | None]
    source: str


def station_themes(text: str | None = None, *, source: str = "station_themes.yaml") -> dict[str, StationThemes]:
    """The table of stations whose programming is documented, by EiBi station name.

    ``text`` is a table's YAML (the shipped ``coalition/data/station_themes.yaml`` by default).
    A row without a station or a source, a station listed twice, or themes outside the vocabulary
    in use raise :class:`CorridorError` naming the table and row.
    """
    import yaml

    if text is None:
        from importlib import resources

        text = resources.files("corridor.coalition").joinpath("data", "station_themes.yaml").read_text("utf-8")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise CorridorError("is not valid YAML", source=source) from None
    rows = data.get("stations") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise CorridorError("needs a list 'stations'", source=source, field="stations")
    out: dict[str, StationThemes] = {}
    for i, row in enumerate(rows):
        where = f"stations[{i}]"
        if not isinstance(row, dict):
            raise CorridorError("must be a mapping", source=source, field=where)
        station, cited = str(row.get("station") or "").strip(), str(row.get("source") or "").strip()
        if not station:
            raise CorridorError("is missing", source=source, field=f"{where}.station")
        if not cited:
            raise CorridorError("is missing: a station's themes need the description they come from",
                                source=source, field=f"{where}.source", value=station)
        if station in out:
            raise CorridorError("is listed twice", source=source, field=f"{where}.station", value=station)
        try:
            themes = parse_themes(row.get("themes"), field=f"{where}.themes")
        except CorridorError as exc:
            raise CorridorError(exc.message, source=source, field=exc.field, value=exc.value,
                                hint=exc.hint) from None
        if not themes or UNKNOWN in themes:
            raise CorridorError("must name at least one theme (leave an undocumented station out)",
                                source=source, field=f"{where}.themes", value=row.get("themes"))
        out[station] = StationThemes(themes=themes, source=cited)
    return out


def broadcast_themes(station: str, table: dict[str, StationThemes]) -> tuple[dict[str, float | None], str | None]:
    """A station's themes and their source from ``table``; ``{"unknown": None}`` and no source
    for a station the table does not list."""
    entry = table.get(station)
    return ({UNKNOWN: None}, None) if entry is None else (dict(entry.themes), entry.source)


@dataclass
class SeasonRows:
    """The ledger rows of a season, and what was left out (with the reason)."""

    season: str
    rows: list[dict] = field(default_factory=list)
    left_out: list[dict] = field(default_factory=list)
    unknown_sites: list[dict] = field(default_factory=list)


def _days(days: frozenset, shift: int = 0) -> list[str]:
    if len(days) == 7:
        return ["daily"]
    return [_DAY_KEYS[(d + shift) % 7] for d in sorted(days)]


def _hhmm(text: str) -> str:
    return f"{text[:2]}:{text[2:]}"


def _dates(b, season) -> tuple[dt.date, dt.date] | str:
    """First and last day a broadcast may be on air in the season, or why it is left out."""
    from corridor.channels.radio import eibi

    first, last = season.first_day, season.last_day
    p = b.persistence
    if p == 8 or (p == 4 and season.summer) or (p == 5 and not season.summer) or p not in (0, 1, 2, 3, 4, 5, 6):
        return "inactive in this season"
    if p == 6:
        if b.start:
            first = max(first, eibi.season_day(b.start, season))
        if b.stop:
            last = min(last, eibi.season_day(b.stop, season))
        if last < first:
            return "its Start and Stop dates fall outside the season"
    note = b.days_note
    if note and note.lower() != "irr" and note not in ("USB", "LSB"):
        day = _note_dates(note, season)
        if day is None:
            return OCCASIONS
        first, last = max(first, day[0]), min(last, day[1])
        if last < first:
            return OCCASIONS
    return first, last


def _note_dates(note: str, season) -> tuple[dt.date, dt.date] | None:
    """The days a Days note names (readme section C, #3): a date (``15Sep``) or a month in Roman
    numerals (``IX``); None for any other note (an occasion this reader cannot date)."""
    import re

    from corridor.channels.radio import eibi

    m = re.fullmatch(r"(\d{1,2})([A-Z][a-z]{2})", note)
    if m and m.group(2) in eibi.MONTHS:
        day = eibi.season_day(f"{int(m.group(1)):02d}{eibi.MONTHS[m.group(2)]:02d}", season)
        return day, day
    if note in eibi.ROMAN_MONTHS:
        first = eibi.season_day(f"01{eibi.ROMAN_MONTHS[note]:02d}", season)
        nxt = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return first, nxt - dt.timedelta(days=1)
    return None


def season_rows(season, *, power: Callable[[Any, Any], dict]) -> SeasonRows:
    """The ledger rows (``exchange.check_row`` layout) of a season's Korean broadcasts to Korea.

    ``power(broadcast, site)`` gives ``{"power_kw", "assumed", "antenna", "gain_dbi", "source"}``
    (:meth:`corridor.channels.radio.landscape.Powers.resolve`, the editable assumption table);
    the antenna is aimed at Pyongyang. A broadcast that runs past 00:00 UTC is two activities:
    the part after midnight is on the next weekday. Each row carries the station's documented
    themes (:func:`station_themes`, their source added to ``spec.source``) or ``unknown``.
    """
    from corridor.channels.radio import eibi, geometry
    from corridor.channels.radio.schedule import MAX_DISTANCE_KM, PYONGYANG

    out = SeasonRows(season=season.code)
    documented = station_themes()
    broadcasts = eibi.korean_to_korea(season)
    resolved, unknown = eibi.resolve_sites(broadcasts)
    out.unknown_sites = [{"station": st, "site": code} for st, code in unknown]
    for b, site in resolved:
        where = {"station": b.station, "khz": b.khz, "line": b.line}
        if b.itu == NORTH_KOREA:
            out.left_out.append({**where, "reason": "North Korea's own station, not an outside voice"})
            continue
        if float(geometry.great_circle(site.lat, site.lon, *PYONGYANG)[0]) > MAX_DISTANCE_KM:
            out.left_out.append({**where, "reason": "site beyond the radio model's range (7,000 km)"})
            continue
        dates = _dates(b, season)
        if isinstance(dates, str):
            out.left_out.append({**where, "reason": dates})
            continue
        first, last = dates
        p = power(b, site)
        azimuth = float(geometry.great_circle(site.lat, site.lon, *PYONGYANG)[1]) % 360.0
        antenna = {"type": p["antenna"], "gain_dbi": p["gain_dbi"], "azimuth_deg": round(azimuth, 1)}
        parts = ([(b.utc_start, "2400", 0, "a"), ("0000", b.utc_end, 1, "b")] if b.wraps_midnight
                 else [(b.utc_start, b.utc_end, 0, "")])
        themes, themes_source = broadcast_themes(b.station, documented)
        cited = f"{eibi.ATTRIBUTION}; {season.source} line {b.line}; power: {p['source']}"
        if themes_source:
            cited += f"; themes: {themes_source}"
        for start, end, shift, suffix in parts:
            if start == end:
                continue
            spec = {"station": b.station, "site": f"{site.name} ({b.site or site.country})",
                    "lat": site.lat, "lon": site.lon, "power_kw": p["power_kw"],
                    "frequency_khz": b.khz, "utc_start": _hhmm(start), "utc_end": _hhmm(end),
                    "days": _days(b.days, shift), "season": season.code, "antenna": antenna,
                    "jammers": "default",
                    "source": cited}
            day0 = first + dt.timedelta(days=shift)
            day1 = last + dt.timedelta(days=shift)
            out.rows.append({
                "_row": b.line, "id": f"eibi-{season.code}-{b.line}{suffix}", "channel": "radio",
                "title": f"{b.station}, {b.khz:g} kHz ({season.code})",
                "start": f"{day0.isoformat()}T{_hhmm(start)}:00Z",
                "end": f"{day1.isoformat()}T{_hhmm(end if end != '2400' else '2359')}:00Z",
                "spec": spec, "themes": themes, "power_assumed": p["assumed"]})
    return out


def check_rows(rows: SeasonRows, *, source: str) -> list[exchange.CheckedRow]:
    """Validate every row with the ledger's own checks; a refusal stops the import (naming the
    file and line) before anything is written."""
    return [exchange.check_row(row, source=source) for row in rows.rows]


def import_season(s: Session, actor: Actor, org_id: int, rows: SeasonRows, checked: list[exchange.CheckedRow],
                  *, source: str) -> dict:
    """Replace the season's public campaign of ``org_id`` with ``checked`` rows, in the caller's
    transaction (all or nothing). Needs the right to import and to share in ``org_id`` (an owner).
    ``themes_documented`` in the answer counts the activities whose station documents its
    programming (the others are ``unknown``).
    """
    require_in_org(actor, Action.CAMPAIGN_IMPORT, org_id, refusal="your role cannot import into this organisation")
    require_in_org(actor, Action.CAMPAIGN_SHARE, org_id, refusal="only an owner may publish a public schedule")
    name = CAMPAIGN_NAME.format(season=rows.season)
    old = s.execute(select(Campaign.id).where(Campaign.org_id == org_id, Campaign.name == name)).scalars().all()
    for campaign_id in old:
        ledger.delete_campaign(s, actor, campaign_id)
    exchange.refuse_duplicate_ids(s, org_id, checked)
    campaigns = exchange.write_rows(s, actor, org_id, checked, source=source, campaign_name=name,
                                    visibility=Visibility.PUBLIC)
    documented = sum(1 for row in checked if UNKNOWN not in (row.fields.get("themes") or {UNKNOWN: None}))
    return {"season": rows.season, "activities": len(checked), "replaced": len(old),
            "themes_documented": documented,
            "campaign_id": campaigns["radio"].id if campaigns else None,
            "left_out": rows.left_out, "unknown_sites": rows.unknown_sites}


#: Largest season file accepted (EiBi's worldwide files are about 0.5 MB).
MAX_BYTES = 5_000_000


def read_upload(data: bytes, label: str):
    """An uploaded season file, read like a file on disk (``label`` is the upload's base name,
    used for messages and to tell the season from a ``sked-Xyy.csv`` name)."""
    import tempfile
    from pathlib import Path

    from corridor.channels.radio import eibi

    if len(data) > MAX_BYTES:
        raise CorridorError(f"file is larger than {MAX_BYTES // 1_000_000} MB", source=label)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / label
        path.write_bytes(data)
        return eibi.read_season(path)


def import_file(s: Session, actor: Actor, org_id: int, season, *, powers=None) -> dict:
    """Record a season (read by :func:`corridor.channels.radio.eibi.read_season`) as the public
    schedule of ``org_id``: every broadcast is checked first, then written in the caller's
    transaction. ``powers`` is an assumption table of :mod:`corridor.channels.radio.landscape`
    (the shipped one by default)."""
    from corridor.channels.radio import landscape

    require_in_org(actor, Action.CAMPAIGN_SHARE, org_id, refusal="only an owner may publish a public schedule")
    table = powers if powers is not None else landscape.load_powers()
    rows = season_rows(season, power=table.resolve)
    checked = check_rows(rows, source=season.source)
    return import_season(s, actor, org_id, rows, checked, source=season.source)
