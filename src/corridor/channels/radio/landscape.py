"""The real landscape: who broadcasts in Korean into North Korea, when, and who could hear it.

From an EiBi season file (:mod:`.eibi`) this module selects the Korean-language broadcasts aimed
at Korea that are on air on one day, gives each a transmitter power and antenna from an editable
table (:func:`load_powers`), predicts every transmitter with the radio channel's own physics
(:meth:`RadioChannel.signal`, :meth:`RadioChannel.jamming_dbw`, ITU-R P.533-14 on HF, NTIA LF/MF
ground wave and ITU-R P.1147-2 sky wave on MF) and combines them hour by hour over the population
grid.

Conventions (all documented again where they are used):

- **The day.** ``date`` is a UTC day, as in EiBi: a broadcast belongs to the day it *starts*
  (readme section C, entry #3). The landscape covers the 24 UTC hours of ``date``; a broadcast
  that started the day before and runs past 00:00 UTC (``1950-1800``) is on air in the hours
  after midnight too, if it was on air the day before (its weekdays and persistence are checked
  for the day before). Hours are reported by their KST hour (UTC+9, the time North Korea has
  kept since May 2018): KST 09–23 fall on ``date`` and KST 00–08 on the next calendar day in
  Korea.
- **An hour on air.** A broadcast is on air in an hour if it is on during any part of it (as in
  :meth:`RadioSpec.hours`).
- **Outside stations.** Only stations from outside North Korea count in the reach: rows whose
  station country (EiBi ITU column) or transmitter site is North Korea (``KRE``: KCBS, Voice of
  Korea) are listed with ``outside=False`` and left out of every figure.
- **Combining stations.** A person could hear at least one station in an hour with probability
  ``1 − Π_b (1 − r_b)``, ``r_b`` the basic circuit reliability of broadcast *b* (P.533-14
  §10.2.2, the share of days the SNR reaches the required SNR): day-to-day fading is taken as
  independent between transmitters. A transmitter carrying two stations in the same hour counts
  once.
- **Who could hear.** People reached in an hour = tunable share × Σ_cells population × combined
  reliability; the tunable share is Beta(4, 16) (:mod:`.listeners`). The hourly figure does not
  apply the listening profile (it says who *could* hear); the per-station daily figure does
  (:func:`listeners.daily_reach`).

Draws follow :meth:`RadioChannel.coverage`: each draw picks a sunspot-number tercile (map index
×0.7, ×1, ×1.3), a noise offset (N(0, 2 dB)) and a tunable share; every transmitter sees the same
draw, so the figures of different stations and hours are comparable.

Shortwave schedule data: EiBi (Eike Bierwirth), eibispace.de.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from corridor.channels.radio import eibi
from corridor.errors import CorridorError

if TYPE_CHECKING:  # pandas and shapely come with the grid; reading a schedule does not need them
    from corridor.geo.grid import PopulationGrid

#: Power assumed for a transmitter the table does not cover, kW. 100 kW is the rating of the
#: transmitters at KNLS (Anchor Point) and KSDA (Guam) and of the Saipan relay in the shipped
#: table, and lies inside the 50–500 kW span of the international relays serving Korea; a site's
#: real power is often 250 kW, so for those the default understates the signal by 4 dB.
DEFAULT_POWER_KW = 100.0
#: Antenna assumed when the table does not cover a transmitter: isotropic, 0 dBi. A curtain aimed
#: at Korea has 15–21 dBi on its main lobe, so the default understates aimed broadcasts: it
#: errs toward fewer people reached.
DEFAULT_ANTENNA = "isotropic"
DEFAULT_GAIN_DBI = 0.0
#: A cell has a usable outside signal in an hour when the median combined reliability reaches
#: 50 % (the SNR exceeds the required SNR on at least half the days, P.533-14 §10.2.2).
USABLE_RELIABILITY = 0.5
#: An hour with stations on air is "unheard" when the median number of people reached is below
#: this share of the population (0.1 %).
UNHEARD_SHARE = 0.001
#: The 90 % interval: 5th and 95th percentiles over draws.
INTERVAL = (5.0, 95.0)
#: KST = UTC + 9 h.
KST_OFFSET_H = 9
#: Columns of a powers table.
POWER_COLUMNS = ("match_kind", "key", "power_kw", "antenna", "gain_dbi", "source")
MATCH_KINDS = ("station", "site", "country")
ANTENNAS = ("isotropic", "beam", "dipole", "curtain")
_DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_NORTH_KOREA = "KRE"

Progress = Callable[[str], None]


# --- powers ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class PowerRule:
    """One row of a powers table: a power and antenna for a station, a site or a country.

    ``key``: the station name as EiBi writes it (``station``), the site as ``COUNTRY-code``
    (``GUM-a``; the country alone for its default site, ``UZB``), or the ITU code of the
    transmitter's host country (``country``). ``gain_dbi`` applies to ``isotropic`` and
    ``beam``; ``curtain`` is an HR 4/4/0.5 curtain of ITU-R BS.705 and ``dipole`` a half-wave
    dipole (:mod:`.antennas`), whose gains follow from their patterns.
    """

    match_kind: str
    key: str
    power_kw: float
    antenna: str
    gain_dbi: float
    source: str
    line: int


@dataclass(frozen=True)
class Powers:
    """A powers table, resolved in the order station > site > country > default."""

    rules: tuple
    source: str

    def resolve(self, broadcast: eibi.Broadcast, site: eibi.Site) -> dict:
        """Power, antenna and where they come from for one broadcast from one site.

        Returns a dict with ``power_kw``, ``antenna``, ``gain_dbi``, ``assumed`` (True when no
        row matched and the defaults apply) and ``source`` (the row's citation, or the default).
        """
        keys = {"station": _fold(broadcast.station), "site": _fold(site_key(site)),
                "country": _fold(site.country)}
        for kind in MATCH_KINDS:
            for rule in self.rules:
                if rule.match_kind == kind and _fold(rule.key) == keys[kind]:
                    return {"power_kw": rule.power_kw, "antenna": rule.antenna,
                            "gain_dbi": rule.gain_dbi, "assumed": False,
                            "source": rule.source or f"{self.source} line {rule.line}",
                            "rule": f"{kind} {rule.key}"}
        return {"power_kw": DEFAULT_POWER_KW, "antenna": DEFAULT_ANTENNA,
                "gain_dbi": DEFAULT_GAIN_DBI, "assumed": True,
                "source": f"default: {DEFAULT_POWER_KW:g} kW, {DEFAULT_ANTENNA} "
                          f"{DEFAULT_GAIN_DBI:g} dBi", "rule": "default"}


def _fold(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def site_key(site: eibi.Site) -> str:
    """``COUNTRY-code`` (``GUM-a``), or the country alone for its default site (``UZB``)."""
    return f"{site.country}-{site.code}" if site.code else site.country


def load_powers(path: str | Path | None = None) -> Powers:
    """The shipped power and antenna table (``data/eibi_powers.csv``), or a user's CSV.

    A user's file has the same columns (``match_kind,key,power_kw,antenna,gain_dbi,source``),
    UTF-8, one header line; lines starting with ``#`` are comments. ``match_kind`` is
    ``station``, ``site`` or ``country``; ``power_kw`` is carrier power in kW, over 0 and at most
    2,000; ``antenna`` is ``isotropic``, ``beam``, ``dipole`` or ``curtain``; ``gain_dbi`` is
    dBi from −20 to 30 (empty = 0; used by ``isotropic`` and ``beam``); ``source`` says where the
    figure comes from.

    Raises
    ------
    CorridorError
        The file cannot be read, lacks a column, or a row has a bad value (naming the file, the
        line and the field), or the same match_kind and key appear twice.
    """
    if path is None:
        name = "eibi_powers.csv"
        text = resources.files("corridor.channels.radio").joinpath("data", name).read_text("utf-8")
    else:
        path = Path(path)
        name = path.name
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as exc:
            raise CorridorError(f"cannot read the file ({exc.strerror or exc})",
                                source=str(path)) from None
        except UnicodeDecodeError:
            raise CorridorError("the file is not UTF-8 text", source=name,
                                hint="save the powers table as UTF-8 CSV") from None
    rows = list(csv.reader(io.StringIO(text)))
    numbered = [(i, r) for i, r in enumerate(rows, start=1)
                if r and any(c.strip() for c in r) and not r[0].lstrip().startswith("#")]
    if not numbered:
        raise CorridorError("the powers table is empty", source=name)
    head_line, header = numbered[0]
    header = [h.strip() for h in header]
    missing = [c for c in POWER_COLUMNS if c not in header]
    if missing:
        raise CorridorError(f"the header lacks the column {missing[0]!r} (a powers table has "
                            f"{','.join(POWER_COLUMNS)})", source=f"{name} line {head_line}",
                            field=missing[0])
    col = {c: header.index(c) for c in POWER_COLUMNS}
    rules, seen = [], {}
    for line, row in numbered[1:]:
        where = f"{name} line {line}"
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in col.items()}
        kind = cells["match_kind"].lower()
        if kind not in MATCH_KINDS:
            raise CorridorError("match_kind is station, site or country", source=where,
                                field="match_kind", value=cells["match_kind"])
        if not cells["key"]:
            raise CorridorError("the key is empty (a station name, a site such as GUM-a, or an "
                                "ITU country code)", source=where, field="key", value="")
        power = _number(cells["power_kw"], where, "power_kw")
        if not 0 < power <= 2000:
            raise CorridorError("the power is in kW, over 0 and at most 2,000", source=where,
                                field="power_kw", value=cells["power_kw"])
        antenna = cells["antenna"].lower() or DEFAULT_ANTENNA
        if antenna not in ANTENNAS:
            raise CorridorError(f"the antenna is one of {', '.join(ANTENNAS)}", source=where,
                                field="antenna", value=cells["antenna"])
        gain = _number(cells["gain_dbi"], where, "gain_dbi") if cells["gain_dbi"] else 0.0
        if not -20 <= gain <= 30:
            raise CorridorError("the gain is in dBi, from -20 to 30", source=where,
                                field="gain_dbi", value=cells["gain_dbi"])
        dup = (kind, _fold(cells["key"]))
        if dup in seen:
            raise CorridorError(f"the same {kind} is given on line {seen[dup]} too", source=where,
                                field="key", value=cells["key"])
        seen[dup] = line
        rules.append(PowerRule(kind, cells["key"], power, antenna, gain, cells["source"], line))
    return Powers(rules=tuple(rules), source=name)


def _number(text: str, where: str, name: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CorridorError("not a number", source=where, field=name, value=text) from None
    if not np.isfinite(value):
        raise CorridorError("not a finite number", source=where, field=name, value=text)
    return value


# --- selection -------------------------------------------------------------------------------

@dataclass(frozen=True)
class OnAir:
    """A broadcast on air on the landscape's day, with its site and its UTC hours that day."""

    broadcast: eibi.Broadcast
    site: eibi.Site
    utc_hours: tuple

    @property
    def outside(self) -> bool:
        """False for North Korea's own stations (ITU or site country ``KRE``)."""
        return _NORTH_KOREA not in (self.broadcast.itu, self.site.country)

    @property
    def kst_hours(self) -> tuple:
        return tuple(sorted((h + KST_OFFSET_H) % 24 for h in self.utc_hours))


def _end_hour(hhmm: str) -> int:
    """First whole hour after the end (``1830`` -> 19, ``1800`` -> 18, ``2400`` -> 24)."""
    return int(hhmm[:2]) + (1 if hhmm[2:] != "00" else 0)


def utc_hours_on(broadcast: eibi.Broadcast, date: dt.date, season: eibi.Season) -> tuple:
    """UTC hours of ``date`` during which a broadcast is on air (any part of the hour).

    A broadcast belongs to the UTC day it starts (EiBi readme section C, entry #3): if it starts
    on ``date`` (:func:`eibi.active_on`) it is on from its start hour to its end, or to 24:00 if
    it runs past midnight; if it runs past midnight and was on air the day before, it is also on
    from 00:00 to its end. On the season's first day the day before belongs to the previous
    season's file and is not counted.
    """
    start = int(broadcast.utc_start[:2])
    end = _end_hour(broadcast.utc_end)
    hours: set[int] = set()
    if eibi.active_on(broadcast, date, season):
        hours.update(range(start, 24) if broadcast.wraps_midnight else range(start, min(end, 24)))
    before = date - dt.timedelta(days=1)
    if broadcast.wraps_midnight and before >= season.first_day and \
            eibi.active_on(broadcast, before, season):
        hours.update(range(min(end, 24)))
    return tuple(sorted(hours))


def select(season: eibi.Season, date: dt.date) -> tuple[list[OnAir], list[tuple[str, str]]]:
    """The Korean broadcasts aimed at Korea on air during the UTC day ``date``.

    :func:`eibi.korean_to_korea`, then :func:`utc_hours_on` (persistence, weekdays and the
    carry-over past midnight), then :func:`eibi.resolve_sites`.

    Returns
    -------
    on_air : list of OnAir
        Every broadcast with a known site and at least one hour on air, North Korea's own
        stations included (``OnAir.outside`` tells them apart).
    unknown_sites : list of (station, code)
        Broadcasts on air whose site code the table lacks; they are left out of the reach,
        never placed by guess.

    Raises
    ------
    CorridorError
        The date is outside the season (naming the season's first and last days), or the
        file has no Korean broadcast aimed at Korea.
    """
    hours = _day_hours(season, date)
    resolved, unknown = eibi.resolve_sites(list(hours))
    return [OnAir(b, s, hours[b]) for b, s in resolved], unknown


def _day_hours(season: eibi.Season, date) -> dict:
    """Korean-to-Korea broadcasts with at least one UTC hour on air on ``date``, with those hours."""
    date = _as_date(date)
    if not season.first_day <= date <= season.last_day:
        raise CorridorError(f"the date is outside season {season.code}, which runs from "
                            f"{season.first_day.isoformat()} to {season.last_day.isoformat()}",
                            source=season.source, field="date", value=date.isoformat())
    hours = {}
    for b in eibi.korean_to_korea(season):
        h = utc_hours_on(b, date, season)
        if h:
            hours[b] = h
    return hours


def _unplaced(hours: dict) -> list[dict]:
    """Broadcasts on air whose site the table lacks, by station and code, with their KST hours
    (named as :func:`eibi.resolve_sites` names them)."""
    out: dict[tuple, dict] = {}
    for b, h in hours.items():
        if eibi.resolve_site(b) is not None:
            continue
        code = b.site if b.site.startswith("/") else f"{b.itu}:{b.site}"
        entry = out.setdefault((b.station, code), {
            "station": b.station, "site": code, "hours_kst": set(),
            "outside": b.itu != _NORTH_KOREA and not b.site.startswith("/" + _NORTH_KOREA)})
        entry["hours_kst"].update((x + KST_OFFSET_H) % 24 for x in h)
    return [dict(e, hours_kst=sorted(e["hours_kst"])) for e in out.values()]


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CorridorError("the date is YYYY-MM-DD", field="date", value=str(value)) from None


def default_date(season: eibi.Season, today: dt.date | None = None) -> dt.date:
    """Today (UTC) if it falls inside the season, otherwise one month after its first day
    (a typical day clear of the change of season; same day of the month, or the month's last)."""
    today = today or dt.datetime.now(dt.UTC).date()
    if season.first_day <= today <= season.last_day:
        return today
    first = season.first_day
    year, month = first.year + first.month // 12, first.month % 12 + 1
    for day in (first.day, 30, 29, 28):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


# --- the landscape ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Landscape:
    """The outside broadcasts in Korean on one day and who could hear them, by KST hour.

    People figures are medians and 90 % intervals (5th–95th percentiles) over Monte Carlo draws,
    in people. ``reliability`` is the median over draws of the combined reliability (0–1), shaped
    (24 KST hours, grid cells). See the module docstring for the conventions.
    """

    season: str
    date: dt.date
    broadcasts: tuple
    unknown_sites: tuple
    unmodelled: tuple
    hours_kst: dict
    silent_hours_kst: tuple
    unheard_hours_kst: tuple
    per_station: tuple
    per_province: tuple
    reliability: np.ndarray = field(repr=False)
    population: float
    grid_key: str
    draws: int
    assumptions: dict
    attribution: str = eibi.ATTRIBUTION

    def usable_hours(self) -> np.ndarray:
        """Per cell, the number of KST hours with a usable outside signal (median combined
        reliability ≥ :data:`USABLE_RELIABILITY`)."""
        return (self.reliability >= USABLE_RELIABILITY).sum(axis=0)

    def peak_hour_kst(self) -> int:
        """The KST hour with the most people reached (median)."""
        return max(range(24), key=lambda h: (self.hours_kst[str(h)]["reached_median"], -h))

    def to_json(self) -> dict:
        """A JSON-ready dict (plain lists, ints, floats and strings)."""
        return {
            "season": self.season,
            "date": self.date.isoformat(),
            "broadcasts": [dict(b) for b in self.broadcasts],
            "unknown_sites": [dict(u, hours_kst=list(u["hours_kst"])) for u in self.unknown_sites],
            "unmodelled": [dict(u) for u in self.unmodelled],
            "hours_kst": {k: dict(v, stations=list(v["stations"]),
                                  stations_not_counted=list(v["stations_not_counted"]))
                          for k, v in self.hours_kst.items()},
            "silent_hours_kst": list(self.silent_hours_kst),
            "unheard_hours_kst": list(self.unheard_hours_kst),
            "per_station": [dict(s, hours_kst=list(s["hours_kst"])) for s in self.per_station],
            "per_province": [dict(p) for p in self.per_province],
            "population": round(self.population),
            "grid": self.grid_key,
            "draws": self.draws,
            "assumptions": dict(self.assumptions),
            "attribution": self.attribution,
        }


def _transmitter_key(item: OnAir, power: dict) -> tuple:
    s = item.site
    return (s.country, s.code, float(item.broadcast.khz), power["power_kw"], power["antenna"],
            power["gain_dbi"])


def _spec(item: OnAir, power: dict):
    """The RadioSpec of one transmitter (the hours are passed to the physics separately)."""
    from corridor.channels.radio import geometry
    from corridor.channels.radio.schedule import PYONGYANG, AntennaSpec, RadioSpec

    _, az = geometry.great_circle(item.site.lat, item.site.lon, *PYONGYANG)
    antenna = AntennaSpec(type=power["antenna"], gain_dbi=power["gain_dbi"],
                          azimuth_deg=float(az) % 360.0)
    return RadioSpec(station=item.broadcast.station[:200], site=item.site.name[:200],
                     lat=item.site.lat, lon=item.site.lon, power_kw=power["power_kw"],
                     frequency_khz=item.broadcast.khz, utc_start="00:00", utc_end="24:00",
                     antenna=antenna, jammers="default", source=eibi.ATTRIBUTION)


def _days(b: eibi.Broadcast) -> list[str]:
    return [_DAY_KEYS[d] for d in sorted(b.days)]


def _row(item: OnAir, power: dict) -> dict:
    b, s = item.broadcast, item.site
    return {"station": b.station, "khz": float(b.khz), "utc_start": b.utc_start,
            "utc_end": b.utc_end, "days": _days(b), "days_note": b.days_note,
            "site": f"{s.name} ({site_key(s)})", "site_code": site_key(s),
            "lat": float(s.lat), "lon": float(s.lon), "power_kw": float(power["power_kw"]),
            "power_assumed": bool(power["assumed"]), "antenna": power["antenna"],
            "gain_dbi": float(power["gain_dbi"]), "power_source": power["source"],
            "itu": b.itu, "target": b.target, "line": b.line, "outside": item.outside,
            "hours_kst": list(item.kst_hours)}


def _summary(values: np.ndarray) -> tuple[int, int, int]:
    lo, med, hi = np.percentile(values, [INTERVAL[0], 50.0, INTERVAL[1]], axis=0)
    return round(float(med)), round(float(lo)), round(float(hi))


def build(path_or_season, date=None, *, grid: PopulationGrid | None = None, draws: int = 200,
          seed: int = 0, powers: Powers | str | Path | None = None,
          progress: Progress | None = None) -> Landscape:
    """Who broadcasts in Korean into North Korea on one day and who could hear it.

    Parameters
    ----------
    path_or_season : path or eibi.Season
        An EiBi season file (``sked-Xyy.csv``) or a season already read.
    date : datetime.date or 'YYYY-MM-DD', optional
        The UTC day. Default: :func:`default_date` (today if inside the season, else one month
        after the season's first day).
    grid : PopulationGrid, optional
        Default: the 5 km grid scaled to the date's year.
    draws, seed : int
        Monte Carlo draws and the seed of the draws (same scheme as
        :meth:`RadioChannel.coverage`).
    powers : Powers or path, optional
        The power and antenna table (default: the shipped one, :func:`load_powers`).
    progress : callable(str), optional
        Receives short English status lines.

    Returns
    -------
    Landscape

    Raises
    ------
    CorridorError
        Bad file, date outside the season, bad powers table, bad draws.
    """
    from corridor.channels.radio import jamming, listeners, reliability
    from corridor.channels.radio.channel import (
        HF_MIN_MHZ,
        NOISE_SPREAD_DB,
        SSN_SPREAD,
        RadioChannel,
    )
    from corridor.channels.radio.ssn import map_index, sunspot_number

    say = progress or (lambda message: None)
    season = path_or_season if isinstance(path_or_season, eibi.Season) \
        else eibi.read_season(path_or_season)
    date = default_date(season) if date is None else _as_date(date)
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or not 1 <= draws <= 10000:
        raise CorridorError("draws is a whole number from 1 to 10,000", field="draws", value=draws)
    if not isinstance(powers, Powers):
        powers = load_powers(powers)
    day_hours = _day_hours(season, date)
    resolved, _ = eibi.resolve_sites(list(day_hours))
    on_air = [OnAir(b, s, day_hours[b]) for b, s in resolved]
    unplaced = _unplaced(day_hours)
    if grid is None:
        from corridor.geo.grid import load_grid

        grid = load_grid(None, date.year, progress=progress)

    # --- rows, transmitters, stations
    rows, unmodelled, transmitters, uses = [], [], {}, {}
    specs: dict[tuple, object] = {}
    from pydantic import ValidationError

    for item in on_air:
        power = powers.resolve(item.broadcast, item.site)
        rows.append(_row(item, power))
        rows[-1]["modelled"] = False
        if not item.outside:
            continue
        key = _transmitter_key(item, power)
        if key not in specs:
            try:
                specs[key] = _spec(item, power)
            except ValidationError as exc:
                specs[key] = None
                reason = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
                unmodelled.append({"station": item.broadcast.station, "site": site_key(item.site),
                                   "khz": float(item.broadcast.khz), "reason": reason})
        if specs[key] is None:
            continue
        rows[-1]["modelled"] = True
        transmitters.setdefault(key, set()).update(item.utc_hours)
        uses.setdefault(item.broadcast.station, {}).setdefault(key, set()).update(item.utc_hours)

    # --- solar inputs and draws (as RadioChannel.coverage)
    month, year = date.month, date.year
    ssn_raw, projected = sunspot_number(date)
    ssn = map_index(ssn_raw)
    levels = [ssn * (1 - SSN_SPREAD), ssn, ssn * (1 + SSN_SPREAD)]
    rng = np.random.default_rng(seed)
    level = np.digitize(rng.normal(size=draws), [-0.4307, 0.4307])    # terciles of N(0, 1)
    offset = rng.normal(0.0, NOISE_SPREAD_DB, size=draws).astype(np.float32)
    tunable = rng.beta(*listeners.TUNABLE_BETA, size=draws)
    groups = [np.flatnonzero(level == k) for k in range(3)]

    # --- each transmitter once: signal at the three SSN levels and jamming, over its hours
    channel = RadioChannel()
    jset = jamming.jammer_set("default")
    jam_hours = set().union(*(j.active_hours() for j in jset.jammers)) if jset else set()
    physics: dict[tuple, dict] = {}
    jam_names: set[str] = set()
    prot = None
    for n, (key, hours) in enumerate(sorted(transmitters.items(), key=lambda kv: kv[0]), start=1):
        spec = specs[key]
        hrs = sorted(hours)
        say(f"transmitter {n}/{len(transmitters)}: {spec.site}, {spec.frequency_khz:g} kHz")
        levels_run = levels if spec.freq_mhz >= HF_MIN_MHZ else levels[1:2]  # MF: no SSN term
        runs = [{k: np.asarray(v, dtype=np.float32) for k, v in
                 channel.signal(spec, grid, month, s, hrs, year).items()
                 if k in ("signal", "noise", "upper", "lower")} for s in levels_run]
        runs = runs * 3 if len(runs) == 1 else runs
        # jammers are computed only in the hours they are active (they add nothing elsewhere)
        jam = np.full((len(hrs), grid.n_cells), -np.inf, dtype=np.float32)
        jhrs = [h for h in hrs if h in jam_hours]
        pr = 0.0
        if jhrs:
            part, pr, names = channel.jamming_dbw(spec, grid, month, ssn, jhrs, year)
            jam[[hrs.index(h) for h in jhrs]] = part
            jam_names.update(names)
            prot = pr if names else prot
        physics[key] = {"hours": hrs, "runs": runs, "jam": jam,
                        "pr": pr, "required": spec.required_snr_db_hz,
                        "hf": spec.freq_mhz >= HF_MIN_MHZ}

    def rel_of(key: tuple, hrs: list[int]) -> np.ndarray:
        """Basic circuit reliability (draws, len(hrs), cells) of one transmitter."""
        p = physics[key]
        idx = [p["hours"].index(h) for h in hrs]
        out = np.zeros((draws, len(hrs), grid.n_cells), dtype=np.float32)
        for k, run in enumerate(p["runs"]):
            sel = groups[k]
            if sel.size == 0:
                continue
            noise = run["noise"][idx][None] + offset[sel, None, None]
            n_eff = jamming.effective_noise_dbw(noise, p["jam"][idx][None], p["pr"], p["required"])
            snr = run["signal"][idx][None] - n_eff
            out[sel] = reliability.basic_circuit_reliability(
                snr, p["required"], run["upper"][idx][None], run["lower"][idx][None])
        return out

    # --- combine: per station (for its daily reach) and over all stations (by hour)
    pop = np.asarray(grid.population, dtype=np.float64)
    miss_all = np.ones((draws, 24, grid.n_cells), dtype=np.float32)
    applied: set[tuple] = set()
    per_station = []
    for station in sorted(uses):
        st_hours = sorted(set().union(*uses[station].values()))
        miss = np.ones((draws, len(st_hours), grid.n_cells), dtype=np.float32)
        for key, hours in uses[station].items():
            hrs = sorted(hours)
            rel = rel_of(key, hrs)
            miss[:, [st_hours.index(h) for h in hrs]] *= 1.0 - rel
            fresh = [i for i, h in enumerate(hrs) if (key, h) not in applied]
            if fresh:
                miss_all[:, [hrs[i] for i in fresh]] *= 1.0 - rel[:, fresh]
                applied.update((key, hrs[i]) for i in fresh)
        daily = listeners.daily_reach(1.0 - miss, st_hours, tunable)        # (draws, cells)
        med, lo, hi = _summary(daily @ pop)
        items = [r for r in rows if r["station"] == station and r["outside"]]
        per_station.append({
            "station": station, "broadcasts": len(items),
            "hours_kst": sorted({(h + KST_OFFSET_H) % 24 for h in st_hours}),
            "reached_median": med, "reached_lower90": lo, "reached_upper90": hi,
            "power_assumed": any(r["power_assumed"] for r in items)})
        del miss
    per_station.sort(key=lambda s: (-s["reached_median"], s["station"]))

    combined = 1.0 - miss_all                                               # (draws, 24 UTC, cells)
    del miss_all
    kst_order = [(k - KST_OFFSET_H) % 24 for k in range(24)]                # UTC hour of KST k
    people_hour = tunable[:, None] * (combined @ pop)                       # (draws, 24 UTC)
    median_rel = np.median(combined, axis=0)[kst_order].astype(np.float32)  # (24 KST, cells)
    total = float(pop.sum())

    stations_by_kst = {k: set() for k in range(24)}
    not_counted = {k: set() for k in range(24)}
    modelled = {(r["station"], r["khz"], r["site_code"]) for r in rows if r.get("modelled")}
    for r in rows:
        if r["outside"]:
            for k in r["hours_kst"]:
                stations_by_kst[k].add(r["station"])
                if (r["station"], r["khz"], r["site_code"]) not in modelled:
                    not_counted[k].add(r["station"])
    for u in unplaced:
        if u["outside"]:
            for k in u["hours_kst"]:
                stations_by_kst[k].add(u["station"])
                not_counted[k].add(u["station"])
    hours_kst, silent, unheard = {}, [], []
    for k in range(24):
        med, lo, hi = _summary(people_hour[:, kst_order[k]])
        names = sorted(stations_by_kst[k])
        hours_kst[str(k)] = {"stations": names, "reached_median": med, "reached_lower90": lo,
                             "reached_upper90": hi,
                             "stations_not_counted": sorted(not_counted[k])}
        if not names:
            silent.append(k)
        elif med < UNHEARD_SHARE * total:
            unheard.append(k)

    # --- provinces
    from corridor.geo.names import PROVINCES, PROVINCES_KO

    n_prov = len(PROVINCES)
    weights = np.zeros((grid.n_cells, n_prov))
    weights[np.arange(grid.n_cells), np.asarray(grid.province)] = pop
    prov_people = tunable[:, None, None] * (combined @ weights)             # (draws, 24 UTC, prov)
    usable_cells = median_rel >= USABLE_RELIABILITY                         # (24 KST, cells)
    usable_people = usable_cells.astype(np.float64) @ weights               # (24 KST, prov)
    prov_pop = weights.sum(axis=0)
    per_province = []
    for p, name in enumerate(PROVINCES):
        if prov_pop[p] <= 0:
            continue
        medians = np.median(prov_people[:, :, p], axis=0)                   # by UTC hour
        best_utc = int(np.argmax(medians))
        med, lo, hi = _summary(prov_people[:, best_utc, p])
        per_province.append({
            "province": name, "province_ko": PROVINCES_KO[name],
            "population": round(float(prov_pop[p])),
            "best_hour_kst": (best_utc + KST_OFFSET_H) % 24 if med > 0 else None,
            "reached_median": med, "reached_lower90": lo, "reached_upper90": hi,
            "usable_hours": int((usable_people[:, p] >= 0.5 * prov_pop[p]).sum())})
    del combined

    n_assumed = sum(1 for r in rows if r["outside"] and r["power_assumed"])
    n_outside = sum(1 for r in rows if r["outside"])
    assumptions = {
        "day": f"UTC day {date.isoformat()}: broadcasts starting that day by their EiBi weekdays "
               "and persistence, plus those running past 00:00 UTC from the day before; hours "
               "shown in KST (UTC+9)",
        "stations": "outside stations only: North Korea's own (ITU or site KRE) are listed, not "
                    "counted; sites missing from the site table are reported, not placed",
        "powers": f"{n_assumed} of {n_outside} outside broadcasts use the default "
                  f"{DEFAULT_POWER_KW:g} kW; others from the power table ({powers.source}), "
                  "resolved station > site > country > default",
        "antennas": f"default {DEFAULT_ANTENNA} {DEFAULT_GAIN_DBI:g} dBi; curtains (HR 4/4/0.5, "
                    "ITU-R BS.705) and beams aimed at Pyongyang",
        "propagation": f"HF sky wave ITU-R P.533-14 short path; MF ground wave (NTIA LF/MF) and "
                       f"night sky wave (ITU-R P.1147-2); month {month}, sunspot number "
                       f"{ssn_raw:.0f} ({'projected' if projected else 'SILSO'}), map index "
                       f"{ssn:.0f} ±{SSN_SPREAD:.0%}",
        "jamming": (f"{', '.join(sorted(jam_names))}; protection ratio {prot:g} dB (assumed "
                    "powers), on every outside HF broadcast" if jam_names else "none modelled"),
        "combination": "stations combined as 1 − Π(1 − reliability): day-to-day fading taken as "
                       "independent between transmitters",
        "usable": f"usable signal: median combined reliability ≥ {USABLE_RELIABILITY:.0%}",
        "draws": f"{draws} draws (SSN tercile, noise ±{NOISE_SPREAD_DB:g} dB, tunable share); "
                 f"90 % intervals are the 5th–95th percentiles",
        "hourly_reach": "people who could hear at least one outside station in the hour: tunable "
                        "share × combined reliability (no listening profile)",
        "daily_reach": "per station: tunable share × chance of listening and receiving in at "
                       "least one of its hours (listening profile by KST hour)",
        **listeners.ASSUMPTIONS,
    }
    return Landscape(
        season=season.code, date=date, broadcasts=tuple(rows),
        unknown_sites=tuple(unplaced),
        unmodelled=tuple(unmodelled), hours_kst=hours_kst, silent_hours_kst=tuple(silent),
        unheard_hours_kst=tuple(unheard), per_station=tuple(per_station),
        per_province=tuple(per_province), reliability=median_rel, population=total,
        grid_key=grid.key, draws=int(draws), assumptions=assumptions)
