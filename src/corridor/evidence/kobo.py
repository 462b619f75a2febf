"""KoboToolbox exports: XLSX (main sheet + one sheet per repeat group) or CSV (main table).

Read with the XLSForm (:func:`corridor.evidence.xlsform_read.read_form`). In an XLSX export the
first sheet is the main table and each repeat group has its own sheet (``exposure``, and
optionally ``device``), linked by ``_index`` (main) and ``_parent_index`` (repeat). Headers may carry group paths (``respondent/sex``) and
select_multiple answers may be split into 0/1 columns. A CSV export has no repeat groups, so
the channel exposure cannot be read from it: export XLSX instead.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from corridor.errors import CorridorError
from corridor.evidence.canonical import CanonicalData, decode
from corridor.evidence.flatten import flatten, normalise_columns
from corridor.evidence.xlsform_read import FormSpec

REPEAT = "exposure"
DEVICE_REPEAT = "device"


def read_kobo(path: Path | str, spec: FormSpec) -> CanonicalData:
    """Canonical respondents from a Kobo export of the Corridor form (rows not yet rejected)."""
    path = Path(path)
    source = str(path)
    if path.suffix.lower() == ".xlsx":
        sheets = pd.read_excel(path, sheet_name=None, dtype=object)
        names = list(sheets)
        main = sheets[names[0]]
        rep_name = next((n for n in names[1:] if n.split("/")[-1][:31] == REPEAT[:31]), None)
        if rep_name is None:
            raise CorridorError(f"no sheet for the repeat group {REPEAT!r}", source=source,
                                hint="sheets: " + ", ".join(names))
        repeat = sheets[rep_name]
        dev_name = next((n for n in names[1:] if n.split("/")[-1][:31] == DEVICE_REPEAT), None)
        devices = sheets[dev_name] if dev_name is not None else None
    else:
        text, _ = decode(path.read_bytes(), source)
        main = pd.read_csv(io.StringIO(text), sep=None, engine="python", dtype=object)
        repeat = devices = None
    for col, where in (("_index", main), ) + ((("_parent_index", repeat),) if repeat is not None else ()):
        if col not in where.columns:
            raise CorridorError(f"missing the Kobo link column {col!r}", source=source)
    if repeat is None:
        raise CorridorError("a Kobo CSV export has no repeat groups, so no channel answers",
                            source=source, hint="export as XLSX (one sheet per repeat group)")
    main_n = normalise_columns(main, spec, keep=("_index",))
    rep_n = normalise_columns(repeat, spec, keep=("_parent_index",))
    dev_n = None
    if devices is not None:
        if "_parent_index" not in devices.columns:
            raise CorridorError("missing the Kobo link column '_parent_index' in the device sheet", source=source)
        dev_n = normalise_columns(devices, spec, keep=("_parent_index",))
    return flatten(main_n, rep_n, main_key="_index", parent_key="_parent_index", first_row=2,
                   source=source, devices=dev_n)
