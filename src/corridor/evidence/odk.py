"""ODK Central ZIP exports: one CSV for the main table, one per repeat group.

The main file has ``KEY`` (the instance id); a repeat file ``<form>-<repeat>.csv`` has
``PARENT_KEY`` pointing at it (ODK Briefcase/Central export format): ``-exposure.csv``
and, optionally, ``-device.csv``. Headers carry group paths
joined by ``-`` (``respondent-sex``). Read with the XLSForm for names and choices.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd

from corridor.errors import CorridorError
from corridor.evidence.canonical import CanonicalData, decode
from corridor.evidence.flatten import flatten, normalise_columns
from corridor.evidence.xlsform_read import FormSpec

REPEAT = "exposure"
DEVICE_REPEAT = "device"


def read_odk_zip(path: Path | str, spec: FormSpec) -> CanonicalData:
    """Canonical respondents from an ODK Central export ZIP of the Corridor form."""
    path = Path(path)
    source = str(path)
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise CorridorError("not a ZIP file", source=source) from None
    with zf:
        csvs = {Path(n).name: n for n in zf.namelist() if n.lower().endswith(".csv")}
        rep = next((n for n in csvs if n[:-4].endswith(f"-{REPEAT}")), None)
        dev = next((n for n in csvs if n[:-4].endswith(f"-{DEVICE_REPEAT}")), None)
        mains = [n for n in csvs if "-" not in n[:-4].removeprefix(spec.form_id or "")]
        if not mains or rep is None:
            raise CorridorError("expected the main CSV and the exposure repeat CSV", source=source,
                                hint="files: " + ", ".join(csvs))

        def read(name):
            text, _ = decode(zf.read(csvs[name]), f"{source}:{name}")
            return pd.read_csv(io.StringIO(text), dtype=object, keep_default_na=False)

        main, repeat = read(mains[0]), read(rep)
        devices = read(dev) if dev is not None else None
    if "KEY" not in main.columns or "PARENT_KEY" not in repeat.columns:
        raise CorridorError("missing the ODK link columns KEY / PARENT_KEY", source=source)
    main_n = normalise_columns(main, spec, keep=("KEY",))
    rep_n = normalise_columns(repeat, spec, keep=("PARENT_KEY",))
    dev_n = None
    if devices is not None:
        if "PARENT_KEY" not in devices.columns:
            raise CorridorError("missing the ODK link column PARENT_KEY in the device CSV", source=source)
        dev_n = normalise_columns(devices, spec, keep=("PARENT_KEY",))
    return flatten(main_n, rep_n, main_key="KEY", parent_key="PARENT_KEY", first_row=2,
                   source=f"{source}:{mains[0]}", devices=dev_n)
