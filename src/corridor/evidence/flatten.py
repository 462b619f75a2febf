"""Flatten a field export (main table + the channel-exposure and device repeats) into canonical rows.

Shared by the KoboToolbox and ODK Central readers (:mod:`corridor.evidence.kobo`,
:mod:`corridor.evidence.odk`), which read the files: this module works on the tables they read.
Column headers carry group paths with a separator (``/`` by default in Kobo, ``-`` in ODK
Central; ``.`` and ``:`` occur too); the form tells which name each column is. A
``select_multiple`` may come as one space-separated column or as 0/1 columns per choice
(``sources/family``); both become the space-separated form. Every item of the form is kept: the
exposure repeat's follow-ups become ``<channel>_<item>`` columns, the device repeat
``device_<device>_<item>`` columns, and the background and attitude items their own columns (see
:mod:`corridor.evidence.detail`).
"""

from __future__ import annotations

import re
from datetime import date, datetime

import pandas as pd

from corridor.evidence.canonical import CanonicalData, validate_table
from corridor.evidence.detail import (
    BACKGROUND,
    CHANNEL_ITEMS,
    DEVICE_ITEMS,
    channel_column,
    device_column,
)
from corridor.evidence.vocabulary import ATTITUDE_ITEMS, CHANNELS, DEVICES
from corridor.evidence.xlsform_read import FormSpec

_SEP = re.compile(r"[/\-.:]")
BASE_FIELDS = ("respondent_id", "sex", "birth_year", "province", "urban", "year_left", "county",
               "year_arrived")


def normalise_columns(df: pd.DataFrame, spec: FormSpec, keep=()) -> pd.DataFrame:
    """Rename group-path headers to field names; fold 0/1 choice columns into one column."""
    out = pd.DataFrame(index=df.index)
    dummies: dict[str, dict[str, pd.Series]] = {}
    for col in df.columns:
        if col in keep:
            out[col] = df[col]
            continue
        parts = [p for p in _SEP.split(str(col)) if p]
        if len(parts) >= 2 and spec.types.get(parts[-2]) == "select_multiple" \
                and parts[-1] in spec.choices.get(spec.lists.get(parts[-2], ""), []):
            dummies.setdefault(parts[-2], {})[parts[-1]] = df[col]
            continue
        name = parts[-1] if parts else str(col)
        if name in spec.types and name not in out:
            out[name] = df[col]
    for name, cols in dummies.items():
        if name in out:
            continue
        chosen = pd.DataFrame({c: pd.to_numeric(v, errors="coerce").fillna(0) > 0 for c, v in cols.items()})
        out[name] = chosen.apply(lambda r: " ".join(c for c, on in r.items() if on), axis=1)
    return out


def _text(value) -> str:
    if isinstance(value, (datetime, date)):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return "" if text.lower() == "nan" else text


def flatten(main: pd.DataFrame, exposure: pd.DataFrame | None, *, main_key: str, parent_key: str,
            first_row: int, source: str, devices: pd.DataFrame | None = None) -> CanonicalData:
    """Canonical rows from a main table and its exposure (and device) repeats, validated.

    ``main_key`` names the main table's link column and ``parent_key`` the repeats' (Kobo:
    ``_index`` / ``_parent_index``; ODK: ``KEY`` / ``PARENT_KEY``). Row numbers in errors are
    the main table's rows (``first_row`` for the first).
    """
    per_parent: dict[str, dict[str, str]] = {}
    if exposure is not None and len(exposure):
        for _, r in exposure.iterrows():
            got = per_parent.setdefault(_text(r[parent_key]), {})
            ch = _text(r.get("channel"))
            got[f"{ch}_ever"] = _text(r.get("ever"))
            for item in CHANNEL_ITEMS:
                got[channel_column(ch, item)] = _text(r.get(item))
    if devices is not None and len(devices):
        for _, r in devices.iterrows():
            got = per_parent.setdefault(_text(r[parent_key]), {})
            dev = _text(r.get("device_name"))
            for item in DEVICE_ITEMS:
                got[device_column(dev, item)] = _text(r.get(item))
    own = [*BASE_FIELDS, *BACKGROUND, *ATTITUDE_ITEMS]
    linked = [*[f"{c}_ever" for c in CHANNELS],
              *[channel_column(c, i) for c in CHANNELS for i in CHANNEL_ITEMS],
              *[device_column(d, i) for d in DEVICES for i in DEVICE_ITEMS]]
    rows = []
    for i, (_, r) in enumerate(main.iterrows()):
        answers = per_parent.get(_text(r[main_key]), {})
        values = [_text(r.get(f)) for f in own] + [answers.get(c, "") for c in linked]
        rows.append((first_row + i, values))
    return validate_table([*own, *linked], rows, source)
