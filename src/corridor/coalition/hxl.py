"""HXL exchange: activities as hashtag-tagged CSV, the humanitarian data-exchange convention.

A HXL file is an ordinary CSV whose hashtag row (``#org``, ``#sector``, ``#adm1``…) says what
each column holds, so that spreadsheets from different organisations can be merged without
agreeing on header wording (HXL standard 1.1, https://hxlstandard.org/standard/1-1final/).
Corridor writes one row per activity:

| hashtag | holds |
| --- | --- |
| ``#org +name`` | organisation |
| ``#activity +id`` / ``#activity +name`` | activity id and title |
| ``#sector +channel`` | channel (radio, balloon, border, satellite, loudspeaker) |
| ``#adm1 +name`` | target provinces (2008 census names, separated by ``;``) |
| ``#activity +themes`` | content themes with their optional shares, ``code:share`` separated by ``;`` (``world_news:0.6;religion``; codes of :mod:`corridor.themes`, ``docs/themes.md``) |
| ``#date +start`` / ``#date +end`` | ISO 8601 |
| ``#reached +people`` | modelled people reached (median), when assessed |
| ``#value +cost +usd`` | cost in US dollars |
| ``#meta +<field>`` | one column per field of the channel spec (``#meta +frequency_khz``) |

Spreadsheet injection (OWASP, "CSV Injection"): a spreadsheet runs a cell that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula, which can send the sheet's
other cells to a server (``HYPERLINK``, ``WEBSERVICE``) or start a program (DDE). Every text
cell Corridor writes that could be read so (see :func:`corridor.textcheck.spreadsheet_safe`) is prefixed with a
single quote, which spreadsheets take as "this cell is text"; numbers are written as numbers.
Reading does the inverse (:func:`corridor.textcheck.from_spreadsheet_safe`): one leading quote before such a
start is removed and the value is kept as text, so an export imported again gives back exactly
the stored values, and nothing read is ever evaluated.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePath
from typing import Any

from corridor.atomic import atomic_path
from corridor.errors import CorridorError
from corridor.textcheck import bad_character, from_spreadsheet_safe, spreadsheet_safe
from corridor.themes import format_themes, parse_themes

_TAG = re.compile(r"^#[a-z][a-z0-9_]*(\s*\+[a-z][a-z0-9_]*)*$")
MAX_BYTES = 20_000_000
MAX_ROWS = 100_000

BASE_COLUMNS = [
    ("Organisation", "#org +name", "org"),
    ("Activity id", "#activity +id", "id"),
    ("Activity", "#activity +name", "title"),
    ("Channel", "#sector +channel", "channel"),
    ("Provinces", "#adm1 +name", "provinces"),
    ("Themes", "#activity +themes", "themes"),
    ("Start", "#date +start", "start"),
    ("End", "#date +end", "end"),
    ("People reached (modelled median)", "#reached +people", "reached"),
    ("Cost (USD)", "#value +cost +usd", "cost_usd"),
]


def normalise_tag(tag: str) -> str:
    """``#Org+Name`` → ``#org +name``: lower case, attributes sorted after the hashtag."""
    parts = [p.strip().lower() for p in tag.strip().split("+")]
    return " +".join([parts[0], *sorted(p for p in parts[1:] if p)])


def hxl_text(rows: Iterable[Mapping[str, Any]]) -> str:
    """Activities (mappings with the keys of :data:`BASE_COLUMNS` and ``spec``) as HXL CSV text,
    every text cell made safe for spreadsheets (:func:`spreadsheet_safe`)."""
    rows = list(rows)
    meta_fields = sorted({k for r in rows for k in (r.get("spec") or {})})
    headers = [h for h, _, _ in BASE_COLUMNS] + [f"Spec: {f}" for f in meta_fields]
    tags = [t for _, t, _ in BASE_COLUMNS] + [f"#meta +{f}" for f in meta_fields]
    buf = io.StringIO()
    # RFC 4180 §2: records end with CRLF, and a cell holding a line break, quote or comma is
    # quoted. With CRLF as the terminator the csv module quotes a cell holding a lone carriage
    # return too, which a spreadsheet would otherwise take as the start of a new row (whose
    # first cell could then begin with a formula).
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([spreadsheet_safe(h) for h in headers])
    writer.writerow(tags)
    for r in rows:
        values = []
        for _, _, key in BASE_COLUMNS:
            v = r.get(key)
            if key == "provinces" and v is not None and not isinstance(v, str):
                v = "; ".join(v)
            elif key == "themes" and v is not None and not isinstance(v, str):
                v = format_themes(v)
            values.append("" if v is None else spreadsheet_safe(v))
        spec = r.get("spec") or {}
        for f in meta_fields:
            v = spec.get(f)
            if isinstance(v, (list, dict)):
                v = json.dumps(v)
            values.append("" if v is None else spreadsheet_safe(v))
        writer.writerow(values)
    return buf.getvalue()


def write_hxl(rows: Iterable[Mapping[str, Any]], out: Path | str) -> Path:
    """Write activities as HXL (see :func:`hxl_text`) to ``out``, atomically."""
    text = hxl_text(rows)
    with atomic_path(out) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return Path(out)


def read_hxl(path: Path | str, *, source: str | None = None) -> list[dict[str, Any]]:
    """Read a HXL CSV into mappings keyed like :func:`write_hxl`'s input.

    Raises :class:`CorridorError` naming the file (``source``, default the path), row and column
    for a file without a hashtag row, an unknown or duplicated hashtag, a row longer than the
    header, or a themes cell that is not ``code:share;code`` of the vocabulary in use.
    """
    path = Path(path)
    source = source or str(path)
    if not path.is_file():
        raise CorridorError("no such file", source=source)
    if path.stat().st_size > MAX_BYTES:
        raise CorridorError(f"file is larger than {MAX_BYTES // 1_000_000} MB", source=source)
    try:
        # newline="": line breaks inside quoted cells are kept as written (csv module docs)
        with path.open(encoding="utf-8-sig", newline="") as f:
            text = f.read()
    except UnicodeDecodeError:
        raise CorridorError("not UTF-8 text (save the CSV as UTF-8)", source=source) from None
    try:
        table = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise CorridorError(f"not a readable CSV ({exc})", source=source) from None
    tag_row = None
    for i, row in enumerate(table[:25]):
        cells = [c for c in row if c.strip()]
        if cells and all(_TAG.match(c.strip().lower()) for c in cells):
            tag_row = i
            break
    if tag_row is None:
        raise CorridorError("no HXL hashtag row (a row like '#org,#sector,#adm1') in the first 25 rows",
                            source=source)
    known = {t: key for _, t, key in BASE_COLUMNS}
    columns: list[tuple[str, str | None]] = []
    seen = set()
    for j, raw in enumerate(table[tag_row]):
        if not raw.strip():
            columns.append(("", None))
            continue
        tag = normalise_tag(raw)
        if tag in seen:
            raise CorridorError("hashtag appears twice", source=source, field=f"column {j + 1}", value=raw)
        seen.add(tag)
        if tag in known:
            columns.append((tag, known[tag]))
        elif tag.startswith("#meta +") and tag.count("+") == 1:
            columns.append((tag, "spec." + tag.removeprefix("#meta +")))
        else:
            columns.append((tag, None))  # other HXL columns are kept out, as the standard allows
    for required in ("#activity +id", "#sector +channel", "#date +start"):
        if required not in seen:
            raise CorridorError(f"missing the {required} column", source=source)
    rows = []
    data = table[tag_row + 1:]
    if len(data) > MAX_ROWS:
        raise CorridorError(f"more than {MAX_ROWS:,} rows", source=source)
    for n, row in enumerate(data, start=tag_row + 2):
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(columns) and any(c.strip() for c in row[len(columns):]):
            raise CorridorError("row has more values than the hashtag row has columns", source=source,
                                field=f"row {n}")
        record: dict[str, Any] = {"spec": {}, "_row": n}
        for (tag, key), value in zip(columns, row):
            value, as_text = from_spreadsheet_safe(value.strip())
            if key is None or value == "":
                continue
            if key.startswith("spec."):
                record["spec"][key[5:]] = value if as_text else _parse_scalar(value)
            elif key == "provinces":
                record[key] = [p.strip() for p in value.split(";") if p.strip()]
            elif key == "themes":
                try:
                    record[key] = parse_themes(value, field="themes")
                except CorridorError as exc:
                    what = exc.message if exc.field == "themes" else f"{exc.field}: {exc.message}"
                    raise CorridorError(what, source=source, field=f"row {n} {tag}", value=value,
                                        hint=exc.hint) from None
            elif key in ("reached", "cost_usd"):
                try:
                    record[key] = float(value.replace(",", ""))
                except ValueError:
                    raise CorridorError("not a number", source=source, field=f"row {n} {tag}",
                                        value=value) from None
            else:
                record[key] = value
        rows.append(record)
    return rows


def _parse_scalar(value: str) -> Any:
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    for cast in (int, float):
        try:
            return cast(value)
        except ValueError:
            pass
    if value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def upload_label(filename: str | None) -> str:
    """What an uploaded file is called in messages and campaign names: its base name, without
    control or text-direction characters, at most 100 characters (never a path to write to)."""
    name = PurePath((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if bad_character(ch) is None).strip()[:100]
    return name if name not in ("", ".", "..") else "upload"
