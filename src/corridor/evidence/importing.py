"""Choose the reader for a file: canonical CSV, KoboToolbox export or ODK Central ZIP."""

from __future__ import annotations

from pathlib import Path

from corridor.errors import CorridorError
from corridor.evidence.canonical import CanonicalData, read_canonical


def read_any(path: Path | str, *, form: Path | str | None = None) -> tuple[CanonicalData, str, dict]:
    """Read ``path`` with the reader its layout calls for; returns (data, format, form metadata).

    Rows are validated but not rejected wholesale here: the caller decides (see
    :func:`corridor.evidence.storage.import_respondents`).
    """
    path = Path(path)
    if not path.is_file():
        raise CorridorError("file not found", source=str(path))
    suffix = path.suffix.lower()
    if form is None:
        if suffix != ".csv":
            raise CorridorError("a Kobo or ODK export needs its XLSForm", source=str(path),
                                field="--form", hint="pass --form FORM.xlsx")
        return read_canonical(path, strict=False), "canonical_csv", {}
    from corridor.evidence.xlsform_read import read_form

    spec = read_form(form)
    meta = {"form_id": spec.form_id, "form_version": spec.version}
    if suffix == ".zip":
        from corridor.evidence.odk import read_odk_zip

        return read_odk_zip(path, spec), "odk_central_zip", meta
    if suffix in (".xlsx", ".csv"):
        from corridor.evidence.kobo import read_kobo

        return read_kobo(path, spec), f"kobo_{suffix[1:]}", meta
    raise CorridorError("unsupported export type", source=str(path), hint="CSV, XLSX or ODK ZIP")
