"""Write validated respondents to the store in one transaction, and read them back.

An import is all or nothing: if any row was rejected, nothing is written unless the caller
asks to keep the valid rows (``skip_invalid``); either way the report lists every rejected row
with its reason. A database error (for example a respondent id already imported for the same
study) rolls the whole import back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

import pandas as pd
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from corridor.errors import CorridorError
from corridor.evidence.canonical import CanonicalData, RowProblem
from corridor.evidence.tables import ChannelExposure, ImportBatch, Respondent, Study
from corridor.evidence.vocabulary import CHANNELS
from corridor.store import make_engine, session_scope, upgrade


@dataclass
class ImportReport:
    """What an import did: rows stored, rows rejected (with reasons), and where."""

    source: str
    study_id: str
    imported: int
    rejected: list[RowProblem] = field(default_factory=list)
    import_id: int | None = None

    def as_dict(self) -> dict:
        return {"source": self.source, "study": self.study_id, "imported": self.imported,
                "import_id": self.import_id, "rejected_rows": len({p.row for p in self.rejected}),
                "rejected": [{"row": p.row, "column": p.column, "value": p.value, "reason": p.message}
                             for p in self.rejected]}


class ImportRejected(CorridorError):
    """Rows were rejected and nothing was imported; :attr:`report` lists them."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        n = len({p.row for p in report.rejected})
        first = report.rejected[0]
        super().__init__(f"{n} row(s) rejected, nothing imported; first: row {first.row}, column "
                         f"{first.column}={first.value!r}: {first.message}", source=report.source,
                         hint="fix them, or pass --skip-invalid to import the valid rows only")


def import_respondents(data: CanonicalData, *, study_id: str | None = None, url: str | None = None,
                       source_format: str = "canonical_csv", skip_invalid: bool = False,
                       form_id: str | None = None, form_version: str | None = None) -> ImportReport:
    """Store ``data``'s respondents and their channel exposure in one transaction."""
    df = data.respondents
    if study_id is None:
        studies = df["study"].dropna().unique() if "study" in df else []
        study_id = str(studies[0]) if len(studies) == 1 else "unnamed"
    report = ImportReport(data.source, study_id, 0, list(data.rejected))
    if data.rejected and not skip_invalid:
        raise ImportRejected(report)
    upgrade(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            if session.get(Study, study_id) is None:
                session.add(Study(id=study_id, title=study_id, synthetic="SYNTHETIC" in study_id))
                session.flush()
            batch = ImportBatch(study_id=study_id, source_file=data.source, source_format=source_format,
                                form_id=form_id, form_version=form_version,
                                imported_at=datetime.now(timezone.utc).replace(tzinfo=None), rows=len(df))
            session.add(batch)
            session.flush()
            for rec in df.to_dict("records"):
                r = Respondent(study_id=study_id, import_id=batch.id, code=str(rec["respondent_id"]),
                               sex=rec["sex"], birth_year=int(rec["birth_year"]),
                               province=rec["province"], province_as_given=rec.get("province_as_given"),
                               county=rec.get("county"), urban=bool(rec["urban"]),
                               year_left=int(rec["year_left"]),
                               year_arrived=_int_or_none(rec.get("year_arrived")),
                               submission_uuid=rec.get("submission_uuid"))
                r.exposures = [ChannelExposure(channel=ch, ever=rec[f"{ch}_ever"])
                               for ch in data.channels]
                session.add(r)
            session.flush()
            report.import_id = batch.id
    except IntegrityError as exc:
        reason = str(exc.orig).splitlines()[0]
        what = ("a respondent id is already in the database for this study"
                if "unique" in reason.lower() else reason)
        raise CorridorError(f"the import was rolled back, nothing was stored: {what}",
                            source=data.source, field="study", value=study_id) from None
    finally:
        engine.dispose()
    report.imported = len(df)
    return report


def _int_or_none(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    return int(value)


def load_respondents(*, study_id: str | None = None, url: str | None = None) -> pd.DataFrame:
    """Respondents in the canonical layout (one row each, ``<channel>_ever`` columns)."""
    upgrade(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            q = select(Respondent)
            if study_id is not None:
                q = q.where(Respondent.study_id == study_id)
            rows = []
            for r in session.scalars(q.order_by(Respondent.id)):
                rec = {"respondent_id": r.code, "sex": r.sex, "birth_year": r.birth_year,
                       "province": r.province, "urban": r.urban, "year_left": r.year_left,
                       "study": r.study_id}
                for e in r.exposures:
                    rec[f"{e.channel}_ever"] = e.ever
                rows.append(rec)
    finally:
        engine.dispose()
    cols = ["respondent_id", "sex", "birth_year", "province", "urban", "year_left", "study"]
    df = pd.DataFrame(rows)
    if df.empty:
        return pd.DataFrame(columns=cols)
    return df[cols + [f"{c}_ever" for c in CHANNELS if f"{c}_ever" in df]]
