"""Reading EiBi shortwave season schedules (``sked-Xyy.csv``).

EiBi (Eike Bierwirth, eibispace.de) publishes one CSV file per broadcasting season. The format
is described in section C of EiBi's readme (``eibi-readme.txt``) and the codes in section D:

- ISO-8859-1 text, ``;``-separated, one header line (``kHz:75;Time(UTC):93;Days:59;...``).
- Columns: ``kHz; Time(UTC); Days; ITU; Station; Lng; Target; Remarks; P; Start; Stop``.
- Season ``A`` = summer (last Sunday of March to last Sunday of October of 20yy), ``B`` = winter
  (last Sunday of October of 20yy to last Sunday of March of the next year).

The functions here are plain functions on frozen dataclasses. Any problem with what the user
gave (the file, a row, a date) raises :class:`corridor.errors.CorridorError` naming the file,
the line and the field.

Shortwave schedule data: EiBi (Eike Bierwirth), eibispace.de.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from corridor.errors import CorridorError

ATTRIBUTION = "Shortwave schedule data: EiBi (Eike Bierwirth), eibispace.de"

#: The columns of a season file, in order (EiBi readme, section C, entries #1 to #11).
COLUMNS = ("kHz", "Time(UTC)", "Days", "ITU", "Station", "Lng", "Target", "Remarks", "P",
           "Start", "Stop")

#: Target-area codes whose area contains the Korean peninsula (EiBi readme, section D.III):
#: ``KRE`` (North Korea) and ``KOR`` (South Korea) are ITU country codes, which "may be used if
#: the target area is limited to a certain country"; ``FE`` is "Far East"; ``EAs`` is "East
#: Asia" (``E..`` = East, ``As`` = Asia), which contains Korea. ``As`` (all of Asia) and ``SEA``
#: (South East Asia) are left out: the first is too broad to say a Korean-language broadcast is
#: aimed at Korea, the second does not contain it. ``CHN`` (Korean for China's Korean minority)
#: is left out too.
KOREA_TARGETS = frozenset({"KRE", "KOR", "FE", "EAs"})

#: Language code of Korean (EiBi readme, section D.I).
KOREAN = "K"

_DAY_NAMES = {"Mo": 0, "Tu": 1, "We": 2, "Th": 3, "Fr": 4, "Sa": 5, "Su": 6}
MONTHS = {m: i for i, m in enumerate(
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1)}
ROMAN_MONTHS = {r: i for i, r in enumerate(
    ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"], 1)}
_ALL_DAYS = frozenset(range(7))
_TIME = re.compile(r"^(\d{2})(\d{2})-(\d{2})(\d{2})$")
_CHECK_NOTE = re.compile(r"\[(\d{2})(\d{2})\]")
_SEASON_NAME = re.compile(r"^sked-([AB])(\d{2})\.csv$", re.IGNORECASE)
_SITE_CODE = re.compile(r"^(?:/([A-Z]{1,3})(?:-([A-Za-z0-9]{1,3}))?|([A-Za-z0-9]{1,3}))$")


@dataclass(frozen=True)
class Broadcast:
    """One row of an EiBi season file (readme section C).

    Attributes
    ----------
    khz : float
        Frequency in kHz (entry #1).
    utc_start, utc_end : str
        ``HHMM`` in UTC (entry #2). The end may be earlier than the start: the broadcast then
        runs past midnight UTC (``1950-1800``). ``2400`` is allowed as an end.
    days : frozenset of int
        Weekdays on which the broadcast *starts*, 0 = Monday … 6 = Sunday (entry #3). All seven
        when the field is empty (daily) or holds a note rather than weekdays.
    days_note : str
        The Days field when it is a note, not weekdays: ``irr`` (irregular), ``alt``
        (alternative frequency, not usually in use), a date (``15Sep``), a month in Roman
        numerals, ``1.Sa`` (first Saturday of the month), or anything else EiBi writes there
        (``Ram``, ``Haj``, ``Test``, …). Empty when the field gives weekdays.
    itu : str
        ITU code of the station's home country (entry #4, readme D.II).
    station, language, target : str
        Entries #5, #6 (readme D.I) and #7 (readme D.III).
    site : str
        Transmitter-site code (entry #8, readme D.IV): ``k``, ``/UZB``, ``/TWN-s``, or ``''``.
    persistence : int
        Entry #9: 1 permanent; 2, 3 with a DST shift; 4 winter only; 5 summer only; 6 between
        Start and Stop; 8 inactive; 0 appears in the files but is not described in the readme.
    start, stop : str
        Entries #10 and #11 as ``ddmm`` (``0401`` = 4 January), or ``''``. Checked only on
        persistence-6 rows; elsewhere kept as written.
    checked : str
        EiBi's note of when the entry was last checked, ``mmyy`` from a trailing ``[0326]``.
    line : int
        Line number in the file (the header is line 1).
    """

    khz: float
    utc_start: str
    utc_end: str
    days: frozenset
    days_note: str
    itu: str
    station: str
    language: str
    target: str
    site: str
    persistence: int
    start: str
    stop: str
    checked: str
    line: int

    @property
    def wraps_midnight(self) -> bool:
        """True if the broadcast runs past 0000 UTC (its end is not after its start)."""
        return self.utc_end <= self.utc_start and not (self.utc_start == "0000"
                                                       and self.utc_end == "2400")


@dataclass(frozen=True)
class Season:
    """An EiBi season file as read.

    Attributes
    ----------
    code : str
        ``A26`` (summer 2026) or ``B26`` (winter 2026/27).
    first_day, last_day : datetime.date
        The season's first and last Sunday (both included).
    broadcasts : tuple of Broadcast
    source : str
        The file's name, used in messages.
    """

    code: str
    first_day: dt.date
    last_day: dt.date
    broadcasts: tuple
    source: str

    @property
    def summer(self) -> bool:
        """True for an A (summer) season."""
        return self.code.startswith("A")


@dataclass(frozen=True)
class Site:
    """A transmitter site from EiBi readme section D.IV (latitude, longitude in degrees)."""

    country: str
    code: str
    name: str
    lat: float
    lon: float


# --- seasons -------------------------------------------------------------------------------

def _last_sunday(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    day = nxt - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() - 6) % 7)


def season_dates(code: str) -> tuple[dt.date, dt.date]:
    """First and last day of an EiBi season (readme section C).

    ``Ayy``: last Sunday of March to last Sunday of October of 20yy. ``Byy``: last Sunday of
    October of 20yy to last Sunday of March of 20yy+1. Both days are included (the change of
    season happens during the Sunday).
    """
    m = re.fullmatch(r"([AB])(\d{2})", code or "")
    if not m:
        raise CorridorError("a season code is A or B and two digits, e.g. A26", field="season",
                            value=code)
    year = 2000 + int(m.group(2))
    if m.group(1) == "A":
        return _last_sunday(year, 3), _last_sunday(year, 10)
    return _last_sunday(year, 10), _last_sunday(year + 1, 3)


def _season_from_checks(checks: list[str], source: str) -> str:
    """Guess nothing: derive the season from the newest ``[mmyy]`` check note in the file.

    EiBi prepares a season's file in the month before it starts, so a newest note in March to
    September means summer of that year, October to December winter of that year, January and
    February winter of the year before.
    """
    dated = [(int(c[2:]), int(c[:2])) for c in checks if 1 <= int(c[:2]) <= 12]
    if not dated:
        raise CorridorError("cannot tell the season: the file name is not sked-Ayy.csv or "
                            "sked-Byy.csv and no entry carries a [mmyy] check date",
                            source=source, hint="rename the file as EiBi names it")
    yy, mm = max(dated)
    if 3 <= mm <= 9:
        return f"A{yy:02d}"
    if mm >= 10:
        return f"B{yy:02d}"
    return f"B{(yy - 1) % 100:02d}"


# --- reading -------------------------------------------------------------------------------

def parse_days(text: str) -> tuple[frozenset, str]:
    """Parse EiBi's Days field (readme section C, entry #3).

    Returns ``(days, note)``: weekday numbers 0 = Monday … 6 = Sunday, and the field itself when
    it is a note rather than weekdays (then ``days`` is all seven).

    Accepted weekday forms: ``''`` (daily), ``Mo``, ``SaSu``, ``Tu,Th``, ranges ``Mo-Fr`` and
    wrapping ranges ``Th-Tu`` (Thursday to Tuesday), and digit strings ``1245`` (1 = Monday …
    7 = Sunday).
    """
    text = (text or "").strip()
    if not text:
        return _ALL_DAYS, ""
    if text.isdigit():
        if all(c in "1234567" for c in text):
            return frozenset(int(c) - 1 for c in text), ""
        return _ALL_DAYS, text
    days: set[int] = set()
    for part in text.split(","):
        m = re.fullmatch(r"([A-Z][a-z])-([A-Z][a-z])", part)
        if m and m.group(1) in _DAY_NAMES and m.group(2) in _DAY_NAMES:
            a, b = _DAY_NAMES[m.group(1)], _DAY_NAMES[m.group(2)]
            days.update((a + i) % 7 for i in range((b - a) % 7 + 1))
            continue
        names = re.findall(r"[A-Z][a-z]", part)
        if names and "".join(names) == part and all(n in _DAY_NAMES for n in names):
            days.update(_DAY_NAMES[n] for n in names)
            continue
        return _ALL_DAYS, text
    return frozenset(days), ""


def _error(message: str, source: str, line: int, field: str, value) -> CorridorError:
    return CorridorError(message, source=f"{source} line {line}", field=field, value=value)


def _parse_time(text: str, source: str, line: int) -> tuple[str, str]:
    m = _TIME.match(text.strip())
    ok = bool(m)
    if m:
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        ok = (h1 < 24 and m1 < 60 and (h2 < 24 and m2 < 60 or (h2, m2) == (24, 0)))
    if not ok:
        raise _error("the time is not HHMM-HHMM in UTC (e.g. 1950-1800)", source, line,
                     "Time(UTC)", text)
    return text[:4], text[5:9]


def _parse_date(text: str, source: str, line: int, field: str,
                strict: bool) -> tuple[str, str]:
    """Split ``'3110[0326]'`` into ``('3110', '0326')``; check the ``ddmm`` part.

    The dates only matter for persistence 6 (readme C: with 1 they are "for information
    purposes only"), so a malformed date is refused only when ``strict``; otherwise it is kept
    as written (the shipped A26 file has ``28021`` and ``3107f`` on persistence-1 rows).
    """
    checks = _CHECK_NOTE.findall(text)
    check = checks[-1][0] + checks[-1][1] if checks else ""
    date = _CHECK_NOTE.sub("", text).strip()
    if date:
        ok = bool(re.fullmatch(r"\d{4}", date))
        if ok:
            try:
                dt.date(2000, int(date[2:]), int(date[:2]))  # 2000 is a leap year
            except ValueError:
                ok = False
        if not ok and strict:
            raise _error("the date is not ddmm (0401 = 4 January)", source, line, field, text)
    return date, check


def _decode(raw: bytes, source: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        raise CorridorError("the file is UTF-16, not an EiBi season file in ISO-8859-1",
                            source=source, hint="use the sked-Xyy.csv file as EiBi publishes it")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise CorridorError("the file is UTF-8, not ISO-8859-1 as EiBi publishes it",
                            source=source, hint="use the sked-Xyy.csv file as EiBi publishes it")
    if any(b > 0x7F for b in raw):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            raise CorridorError("the file is UTF-8, not ISO-8859-1 as EiBi publishes it",
                                source=source,
                                hint="use the sked-Xyy.csv file as EiBi publishes it")
    return raw.decode("iso-8859-1")


def read_season(path, season: str | None = None) -> Season:
    """Read an EiBi season file (readme section C).

    Parameters
    ----------
    path : str or Path
        A ``sked-Xyy.csv`` file: ISO-8859-1, ``;``-separated, one header line.
    season : str, optional
        ``A26``/``B26``. By default from the file name when it is ``sked-[AB]yy.csv``, else
        from the newest ``[mmyy]`` check note in the file.

    Returns
    -------
    Season

    Raises
    ------
    CorridorError
        The file cannot be read, is in another encoding or format, or a row has a malformed
        time, frequency, persistence or date (naming the file, line and field).
    """
    path = Path(path)
    source = path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CorridorError(f"cannot read the file ({exc.strerror or exc})",
                            source=str(path)) from None
    text = _decode(raw, source)
    lines = text.splitlines()
    if not lines:
        raise CorridorError("the file is empty, not an EiBi season file", source=source)
    header = [re.sub(r":\d*$", "", h.strip()) for h in lines[0].split(";")]
    while header and header[-1] == "":
        header.pop()
    if tuple(header) != COLUMNS:
        raise CorridorError("not an EiBi season file: line 1 should be the header "
                            "kHz;Time(UTC);Days;ITU;Station;Lng;Target;Remarks;P;Start;Stop",
                            source=f"{source} line 1", value=lines[0][:80])
    broadcasts, checks = [], []
    for number, row in enumerate(csv.reader(lines[1:], delimiter=";", quoting=csv.QUOTE_NONE),
                                 start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(COLUMNS):
            raise _error(f"the row has {len(row)} fields, an EiBi row has {len(COLUMNS)}",
                         source, number, "row", ";".join(row)[:80])
        khz_t, time_t, days_t, itu, station, lng, target, remarks, p_t, start_t, stop_t = (
            c.strip() for c in row[:11])
        try:
            khz = float(khz_t)
        except ValueError:
            raise _error("the frequency is not a number of kHz", source, number, "kHz",
                         khz_t) from None
        utc_start, utc_end = _parse_time(time_t, source, number)
        if not re.fullmatch(r"\d", p_t):
            raise _error("the persistence code is not a digit 0-8", source, number, "P", p_t)
        strict = p_t == "6"
        start, check1 = _parse_date(start_t, source, number, "Start", strict)
        stop, check2 = _parse_date(stop_t, source, number, "Stop", strict)
        check = check2 or check1
        if check:
            checks.append(check)
        days, note = parse_days(days_t)
        broadcasts.append(Broadcast(
            khz=khz, utc_start=utc_start, utc_end=utc_end, days=days, days_note=note, itu=itu,
            station=station, language=lng, target=target, site=remarks,
            persistence=int(p_t), start=start, stop=stop, checked=check, line=number))
    if season is None:
        m = _SEASON_NAME.match(source)
        season = (m.group(1).upper() + m.group(2)) if m else _season_from_checks(checks, source)
    first, last = season_dates(season)
    return Season(code=season, first_day=first, last_day=last, broadcasts=tuple(broadcasts),
                  source=source)


# --- filtering -----------------------------------------------------------------------------

def korean_to_korea(season: Season) -> list[Broadcast]:
    """The broadcasts in Korean (language ``K``, readme D.I) aimed at Korea.

    A target counts as Korea when it is in :data:`KOREA_TARGETS`: ``KRE`` and ``KOR`` (ITU
    codes, readme D.III: "ITU country codes may be used if the target area is limited to a
    certain country"), ``FE`` ("Far East") and ``EAs`` (East Asia, built from ``E..`` and
    ``As`` in readme D.III). All persistence codes are kept; :func:`active_on` decides the date.

    Raises
    ------
    CorridorError
        The file has no Korean broadcast aimed at Korea.
    """
    found = [b for b in season.broadcasts
             if b.language == KOREAN and b.target in KOREA_TARGETS]
    if not found:
        raise CorridorError("the file has no broadcast in Korean (K) aimed at Korea "
                            f"(targets {', '.join(sorted(KOREA_TARGETS))})",
                            source=season.source)
    return found


def season_day(ddmm: str, season: Season) -> dt.date:
    """The date of a ``ddmm`` Start or Stop field in a season's years (a B season's January to
    June dates fall in its second year); 29 February of a common year is read as the 28th."""
    day, month = int(ddmm[:2]), int(ddmm[2:])
    year = season.first_day.year
    if not season.summer and month < 7:  # a B season runs over the year end
        year += 1
    try:
        return dt.date(year, month, day)
    except ValueError:  # 2902 in a non-leap year
        return dt.date(year, month, 28)


def active_on(broadcast: Broadcast, date: dt.date, season: Season) -> bool:
    """Whether a broadcast is on air (starts) on a date, by EiBi's persistence code and days.

    Persistence (readme section C, entry #9): 1, 2, 3 always within the season; 0 is not
    described in the readme and is treated like 1; 4 only in a winter (B) season; 5 only in a
    summer (A) season; 6 only from its Start to its Stop date (``ddmm``, both included, in the
    season's years: a B season's January–June dates fall in the next year; a missing Start or
    Stop means the season's first or last day); 8 never (an inactive entry), nor any other code.

    Days: the broadcast must start on one of its weekdays; a broadcast that runs past midnight
    UTC belongs to the day it starts. ``irr`` (irregular) counts as active; ``alt`` (an
    alternative frequency "not usually in use") does not; a date note (``15Sep``) counts on
    that date, a Roman month (``IX``) in that month, ``1.Sa`` on the first Saturday of the
    month; other notes (``Ram``, ``Haj``, ``Test``, …) name occasions this reader cannot date
    and count as not active.

    Raises
    ------
    CorridorError
        The date is outside the season.
    """
    if not season.first_day <= date <= season.last_day:
        raise CorridorError(f"the date is outside season {season.code}, which runs from "
                            f"{season.first_day.isoformat()} to {season.last_day.isoformat()}",
                            source=season.source, field="date", value=date.isoformat())
    p = broadcast.persistence
    if p == 4 and season.summer or p == 5 and not season.summer:
        return False
    if p == 6:
        first = season_day(broadcast.start, season) if broadcast.start else season.first_day
        last = season_day(broadcast.stop, season) if broadcast.stop else season.last_day
        inside = first <= date <= last if first <= last else (date >= first or date <= last)
        if not inside:
            return False
    elif p not in (0, 1, 2, 3, 4, 5):
        return False
    return _on_day(broadcast, date)


def _on_day(b: Broadcast, date: dt.date) -> bool:
    note = b.days_note
    if not note:
        return date.weekday() in b.days
    if note.lower() == "irr" or note in ("USB", "LSB"):  # irregular; or a mode, daily
        return True
    m = re.fullmatch(r"(\d{1,2})([A-Z][a-z]{2})", note)
    if m and m.group(2) in MONTHS:
        return (date.day, date.month) == (int(m.group(1)), MONTHS[m.group(2)])
    if note in ROMAN_MONTHS:
        return date.month == ROMAN_MONTHS[note]
    m = re.fullmatch(r"([1-5])\.([A-Z][a-z])", note)
    if m and m.group(2) in _DAY_NAMES:
        return (date.weekday() == _DAY_NAMES[m.group(2)]
                and (date.day - 1) // 7 + 1 == int(m.group(1)))
    return False


# --- sites ---------------------------------------------------------------------------------

def load_sites() -> dict[tuple[str, str], Site]:
    """The shipped site table ``data/eibi_sites.csv`` (from readme section D.IV), by
    ``(country, code)``; ``code`` is ``''`` for a country's default site."""
    text = resources.files("corridor.channels.radio").joinpath(
        "data/eibi_sites.csv").read_text(encoding="utf-8")
    return {(r["country"], r["code"]): Site(r["country"], r["code"], r["name"],
                                            float(r["lat"]), float(r["lon"]))
            for r in csv.DictReader(text.splitlines())}


_SITES: dict | None = None


def _site_key(broadcast: Broadcast) -> tuple[str, str] | None:
    m = _SITE_CODE.match(broadcast.site.strip())
    if not broadcast.site.strip():
        return broadcast.itu, ""
    if not m:
        return None
    if m.group(3) is not None:
        return broadcast.itu, m.group(3)
    return m.group(1), m.group(2) or ""


def resolve_site(broadcast: Broadcast, sites: dict | None = None) -> Site | None:
    """The transmitter site of a broadcast, or None if the table does not have it.

    Readme D.IV: a bare code (``k``) is a site in the station's own country (its ITU column);
    ``/XXX`` is the default site of country XXX and ``/XXX-y`` site ``y`` there; an empty
    field is the default site of the station's country. Nothing is guessed: a code the table
    lacks, or a country without a default site, gives None.
    """
    global _SITES
    if sites is None:
        if _SITES is None:
            _SITES = load_sites()
        sites = _SITES
    key = _site_key(broadcast)
    return sites.get(key) if key else None


def resolve_sites(broadcasts, sites: dict | None = None):
    """Resolve many broadcasts' sites.

    Returns
    -------
    resolved : list of (Broadcast, Site)
    unknown : list of (station, code)
        One entry per distinct station and site code the table lacks, in order of first use;
        ``code`` is the Remarks field as written, with the station's country prefixed when it
        is a bare code (``'KOR:d'``) so that the report names it unambiguously.
    """
    resolved, unknown, seen = [], [], set()
    for b in broadcasts:
        site = resolve_site(b, sites)
        if site is not None:
            resolved.append((b, site))
            continue
        code = b.site if b.site.startswith("/") else f"{b.itu}:{b.site}"
        if (b.station, code) not in seen:
            seen.add((b.station, code))
            unknown.append((b.station, code))
    return resolved, unknown
