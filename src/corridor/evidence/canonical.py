"""Reader of the plain canonical CSV: one row per respondent.

Columns ``respondent_id, sex, birth_year, province, urban, year_left`` and, per channel,
``<channel>_ever`` in ``yes / no / dont_know / refused`` (channels of
:data:`~corridor.evidence.vocabulary.CHANNELS`; a study that did not ask about a channel simply
leaves its column out). Optional: ``county``, ``year_arrived``, ``study`` and the detail
columns of :mod:`corridor.evidence.detail` (background, per-channel first year, frequency,
sources, sharing, trust and influence, the content seen by theme (``<channel>_themes``), device
access, attitude items). Files may be UTF-8
(with or without a byte-order mark) or CP949, comma-, semicolon- or tab-separated. Provinces
are resolved to the ten 2008 census provinces (:func:`corridor.geo.names.resolve_province`).

Every problem is reported with the file, the row (the line number, header = 1) and the column.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pandas as pd

from corridor.errors import CorridorError
from corridor.evidence.detail import is_detail_column, parse_detail
from corridor.evidence.vocabulary import ANSWER_ALIASES, ANSWERS, CHANNELS, SEX_ALIASES, URBAN_ALIASES
from corridor.geo.names import resolve_province

REQUIRED = ("respondent_id", "sex", "birth_year", "province", "urban", "year_left")
OPTIONAL = ("county", "year_arrived", "study")
ENCODINGS = ("utf-8-sig", "cp949")


@dataclass(frozen=True)
class RowProblem:
    """Why one row was rejected."""

    source: str
    row: int
    column: str
    value: str
    message: str

    def one_line(self) -> str:
        return f"{self.source}: row {self.row}, column {self.column}={self.value!r}: {self.message}"


@dataclass
class CanonicalData:
    """Validated respondents, the channels the file asks about, and the rejected rows."""

    source: str
    respondents: pd.DataFrame
    channels: tuple[str, ...]
    rejected: list[RowProblem] = field(default_factory=list)
    encoding: str = "utf-8-sig"

    @property
    def rejected_rows(self) -> list[int]:
        return sorted({p.row for p in self.rejected})


def decode(raw: bytes, source: str) -> tuple[str, str]:
    """Decode bytes as UTF-8 (BOM optional), else CP949; raise naming the file otherwise."""
    for enc in ENCODINGS:
        try:
            return raw.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise CorridorError("the file is neither UTF-8 nor CP949 (EUC-KR) text", source=source,
                        hint="save it as CSV UTF-8")


def _sniff_delimiter(text: str) -> str:
    head = text.splitlines()[0] if text else ""
    counts = {d: head.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


def _year(value: str, lo: int, hi: int) -> int:
    try:
        y = int(float(value.strip()))
    except ValueError:
        raise ValueError("not a year") from None
    if float(value.strip()) != y or not lo <= y <= hi:
        raise ValueError(f"must be a whole year between {lo} and {hi}")
    return y


def read_canonical(path: Path | str, *, strict: bool = True) -> CanonicalData:
    """Read and validate a canonical respondent CSV.

    With ``strict`` (the default), any rejected row raises :class:`CorridorError` naming the
    first problem and how many rows were rejected. Otherwise the rejected rows are returned
    in :attr:`CanonicalData.rejected` beside the valid ones.
    """
    path = Path(path)
    source = str(path)
    if not path.is_file():
        raise CorridorError("file not found", source=source)
    text, encoding = decode(path.read_bytes(), source)
    reader = csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise CorridorError("the file is empty", source=source) from None
    data = validate_table(header, enumerate(reader, start=2), source)
    data.encoding = encoding
    if strict and data.rejected:
        first = data.rejected[0]
        raise CorridorError(f"{first.message}; {len(data.rejected_rows)} row(s) rejected in all",
                            source=source, field=f"row {first.row}, column {first.column}",
                            value=first.value)
    return data


def validate_table(header: list[str], rows, source: str) -> CanonicalData:
    """Validate canonical rows given as ``(row number, values)`` pairs; never raises for a row.

    Used by the CSV reader and by the Kobo and ODK importers once they have flattened an
    export into the canonical columns.
    """
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CorridorError(f"missing column(s): {', '.join(missing)}", source=source,
                            hint="columns: " + ", ".join(REQUIRED) + ", <channel>_ever")
    channels = tuple(ch for ch in CHANNELS if f"{ch}_ever" in header)
    unknown_ever = [h for h in header if h.endswith("_ever") and h[:-5] not in CHANNELS]
    if unknown_ever:
        raise CorridorError("unknown channel column", source=source, field=unknown_ever[0],
                            hint="channels: " + ", ".join(CHANNELS))
    if not channels:
        raise CorridorError("no <channel>_ever column", source=source,
                            hint="channels: " + ", ".join(CHANNELS))
    this_year = date.today().year
    detail_cols = [h for h in header if is_detail_column(h)]
    records, problems, seen = [], [], {}
    for line_no, values in rows:
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            problems.append(RowProblem(source, line_no, "*", "", f"has {len(values)} fields, the header has {len(header)}"))
            continue
        raw = dict(zip(header, (v.strip() for v in values)))
        row_problems = []

        def bad(column, message, _raw=raw, _line=line_no, _acc=row_problems):
            _acc.append(RowProblem(source, _line, column, _raw.get(column, ""), message))

        rec = {"row": line_no}
        rid = raw["respondent_id"]
        if not rid:
            bad("respondent_id", "empty")
        elif rid in seen:
            bad("respondent_id", f"duplicate of row {seen[rid]}")
        else:
            seen[rid] = line_no
        rec["respondent_id"] = rid
        rec["sex"] = SEX_ALIASES.get(raw["sex"].lower())
        if rec["sex"] is None:
            bad("sex", "must be male or female")
        for col, lo in (("birth_year", 1900), ("year_left", 1945)):
            try:
                rec[col] = _year(raw[col], lo, this_year)
            except ValueError as exc:
                bad(col, str(exc))
        if "birth_year" in rec and "year_left" in rec and rec["birth_year"] > rec["year_left"]:
            bad("birth_year", f"is after year_left ({rec['year_left']})")
        try:
            rec["province"] = resolve_province(raw["province"])
        except CorridorError as exc:
            bad("province", exc.message + (f" ({exc.hint})" if exc.hint else ""))
        rec["province_as_given"] = raw["province"]
        rec["urban"] = URBAN_ALIASES.get(raw["urban"].lower())
        if rec["urban"] is None:
            bad("urban", "must be urban or rural")
        for ch in channels:
            col = f"{ch}_ever"
            ans = ANSWER_ALIASES.get(raw[col].lower())
            if ans is None:
                bad(col, "must be one of " + ", ".join(ANSWERS))
            rec[col] = ans
        for col in OPTIONAL:
            rec[col] = raw.get(col) or None
        details, detail_problems = parse_detail(raw, detail_cols)
        rec.update(details)
        for column, message in detail_problems:
            bad(column, message)
        for ch in channels:
            if rec.get(f"{ch}_themes") and rec[f"{ch}_ever"] not in ("yes", None):
                bad(f"{ch}_themes", f"content is given but {ch}_ever is {rec[f'{ch}_ever']}")
        if rec.get("year_arrived"):
            try:
                rec["year_arrived"] = _year(rec["year_arrived"], 1945, this_year)
            except ValueError as exc:
                bad("year_arrived", str(exc))
        if row_problems:
            problems.extend(row_problems)
        else:
            records.append(rec)
    cols = ["row", "respondent_id", "sex", "birth_year", "province", "province_as_given", "urban",
            "year_left", *[f"{c}_ever" for c in channels], *OPTIONAL, *detail_cols]
    df = pd.DataFrame(records, columns=cols)
    for col in ("birth_year", "year_left"):
        df[col] = df[col].astype("int64")
    df["urban"] = df["urban"].astype(bool)
    if not records and not problems:
        raise CorridorError("no respondent rows", source=source)
    return CanonicalData(source, df, channels, problems)
