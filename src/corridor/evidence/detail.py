"""The detail items of the schema beyond ``<channel>_ever``, as optional wide columns.

A respondent row (canonical CSV, or a Kobo/ODK export flattened by
:mod:`corridor.evidence.flatten`) may carry, besides the required columns:

- background: ``months_in_china``, ``occupation``, ``market_activity``, ``interview_mode``,
  ``interview_date`` (YYYY-MM-DD);
- per channel ``c``: ``c_first_year``, ``c_frequency`` (last year before leaving),
  ``c_sources`` (space-separated codes), ``c_shared_n``, ``c_trust``, ``c_influence``
  (1–5, ``dont_know`` or ``refused``), ``c_themes``: the kinds of content seen or heard through
  the channel (space-separated theme codes of :func:`corridor.themes.vocabulary`, ``other`` for
  content outside the list, or ``dont_know`` / ``refused`` alone; see
  :mod:`corridor.evidence.theme_answers`);
- per device ``d``: ``device_d_owned``, ``device_d_used_elsewhere`` (yes / no / dont_know /
  refused) and ``device_d_tuning`` (fixed / tunable / modified);
- attitude items by name (1–5, ``dont_know`` or ``refused``).

Every one is optional and may be empty. "Don't know" and "refused" stay answers of their own.
The codes are those of :mod:`corridor.evidence.vocabulary` and of the survey form.
"""

from __future__ import annotations

import re
from datetime import date

from corridor.evidence.theme_answers import parse_theme_answer
from corridor.evidence.vocabulary import (ANSWER_ALIASES, ANSWERS, ATTITUDE_ITEMS, CHANNELS, DEVICES,
                                          FREQUENCIES, MODES, OCCUPATIONS, SOURCES, TUNINGS)

MARKET = ("none", "sometimes", "main")
LIKERT_ANSWERS = ("dont_know", "refused")
BACKGROUND = ("months_in_china", "occupation", "market_activity", "interview_mode", "interview_date")
CHANNEL_ITEMS = ("first_year", "frequency", "sources", "shared_n", "trust", "influence", "themes")
DEVICE_ITEMS = ("owned", "used_elsewhere", "tuning")


def channel_column(channel: str, item: str) -> str:
    return f"{channel}_{item}"


def device_column(device: str, item: str) -> str:
    return f"device_{device}_{item}"


def detail_columns(channels=CHANNELS) -> list[str]:
    """Every detail column, in a stable order."""
    return [*BACKGROUND, *[channel_column(c, i) for c in channels for i in CHANNEL_ITEMS],
            *[device_column(d, i) for d in DEVICES for i in DEVICE_ITEMS], *ATTITUDE_ITEMS]


def _int(value: str, lo: int, hi: int) -> int:
    try:
        number = float(value)
    except ValueError:
        raise ValueError("not a whole number") from None
    if number != int(number) or not lo <= number <= hi:
        raise ValueError(f"must be a whole number between {lo} and {hi}")
    return int(number)


def _code(value: str, allowed) -> str:
    code = value.strip().lower().replace(" ", "_")
    if code not in allowed:
        raise ValueError("must be one of " + ", ".join(allowed))
    return code


def _likert(value: str) -> str:
    code = value.strip().lower()
    code = ANSWER_ALIASES.get(code, code) if code not in ("1", "0") else code
    if code in LIKERT_ANSWERS:
        return code
    try:
        return str(_int(code, 1, 5))
    except ValueError:
        raise ValueError("must be 1-5, dont_know or refused") from None


def _answer(value: str) -> str:
    code = ANSWER_ALIASES.get(value.strip().lower())
    if code is None:
        raise ValueError("must be one of " + ", ".join(ANSWERS))
    return code


def _sources(value: str) -> str:
    codes = [c for c in re.split(r"[\s,;]+", value.strip().lower()) if c]
    bad = [c for c in codes if c not in SOURCES]
    if bad:
        raise ValueError("unknown source " + bad[0] + "; sources: " + ", ".join(SOURCES))
    return " ".join(sorted(set(codes), key=SOURCES.index))


def _date(value: str) -> str:
    text = value.strip()[:10]
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError("must be a date YYYY-MM-DD") from None


def _parser(column: str):
    """The parser of one detail column, or None if ``column`` is not a detail column."""
    this_year = date.today().year
    fixed = {
        "months_in_china": lambda v: _int(v, 0, 1200),
        "occupation": lambda v: _code(v, OCCUPATIONS),
        "market_activity": lambda v: _code(v, MARKET),
        "interview_mode": lambda v: _code(v, MODES),
        "interview_date": _date,
    }
    if column in fixed:
        return fixed[column]
    if column in ATTITUDE_ITEMS:
        return _likert
    for ch in CHANNELS:
        if column.startswith(ch + "_") and column[len(ch) + 1:] in CHANNEL_ITEMS:
            item = column[len(ch) + 1:]
            return {"first_year": lambda v: _int(v, 1945, this_year),
                    "frequency": lambda v: _code(v, FREQUENCIES), "sources": _sources,
                    "shared_n": lambda v: _int(v, 0, 100_000), "trust": _likert,
                    "influence": _likert, "themes": parse_theme_answer}[item]
    for dev in DEVICES:
        if column.startswith(f"device_{dev}_") and column[len(dev) + 8:] in DEVICE_ITEMS:
            item = column[len(dev) + 8:]
            return (lambda v: _code(v, TUNINGS)) if item == "tuning" else _answer
    return None


def is_detail_column(column: str) -> bool:
    return _parser(column) is not None


def parse_detail(raw: dict[str, str], columns) -> tuple[dict, list[tuple[str, str]]]:
    """Parse the detail ``columns`` of one row: (values, [(column, problem), ...]).

    Empty cells give None. Values are normalised to the schema's codes (integers for years,
    counts and months; strings ``"1"``…``"5"``, ``dont_know`` or ``refused`` for 1–5 items).
    """
    values, problems = {}, []
    for col in columns:
        text = (raw.get(col) or "").strip()
        if not text:
            values[col] = None
            continue
        try:
            values[col] = _parser(col)(text)
        except ValueError as exc:
            values[col] = None
            problems.append((col, str(exc)))
    return values, problems
