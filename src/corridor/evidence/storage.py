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
from corridor.evidence.detail import (BACKGROUND, DEVICE_ITEMS, channel_column,
                                      device_column)
from corridor.evidence.tables import (Attitude, ChannelExposure, DeviceAccess, ImportBatch, Respondent, Study,
                                      ThemeExposure)
from corridor.evidence.vocabulary import ATTITUDE_ITEMS, CHANNELS, DEVICES
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
                                imported_at=datetime.now(timezone.utc).replace(tzinfo=None), rows=len(df),
                                themes_version=_themes_version(df, data.channels))
            session.add(batch)
            session.flush()
            for rec in df.to_dict("records"):
                r = Respondent(study_id=study_id, import_id=batch.id, code=str(rec["respondent_id"]),
                               sex=rec["sex"], birth_year=int(rec["birth_year"]),
                               province=rec["province"], province_as_given=rec.get("province_as_given"),
                               county=rec.get("county"), urban=bool(rec["urban"]),
                               year_left=int(rec["year_left"]),
                               year_arrived=_int_or_none(rec.get("year_arrived")),
                               submission_uuid=rec.get("submission_uuid"),
                               months_in_china=_int_or_none(rec.get("months_in_china")),
                               **{k: _value(rec.get(k)) for k in BACKGROUND if k != "months_in_china"})
                r.exposures = [_exposure(rec, ch) for ch in data.channels]
                r.devices = _devices(rec)
                r.attitudes = _attitudes(rec)
                r.themes = _themes(rec, data.channels)
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


def _value(value):
    """None for a missing cell (None, NaN, empty), else the value."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    return value


def _likert(value) -> tuple[int | None, str | None]:
    """A 1–5 item as (value, answer): ("4") → (4, "value"), ("refused") → (None, "refused")."""
    value = _value(value)
    if value is None:
        return None, None
    if str(value) in ("dont_know", "refused"):
        return None, str(value)
    return int(value), "value"


def _exposure(rec: dict, ch: str) -> ChannelExposure:
    get = lambda item: _value(rec.get(channel_column(ch, item)))  # noqa: E731
    trust, trust_answer = _likert(get("trust"))
    influence, influence_answer = _likert(get("influence"))
    return ChannelExposure(channel=ch, ever=rec[f"{ch}_ever"], first_year=_int_or_none(get("first_year")),
                           frequency=get("frequency"), sources=get("sources"),
                           shared_n=_int_or_none(get("shared_n")), trust=trust, trust_answer=trust_answer,
                           influence=influence, influence_answer=influence_answer)


def _themes(rec: dict, channels) -> list[ThemeExposure]:
    """One row per content choice of each channel (``<channel>_themes``, already validated)."""
    out = []
    for ch in channels:
        text = _value(rec.get(channel_column(ch, "themes")))
        for code in (text or "").split():
            out.append(ThemeExposure(channel=ch, theme=code))
    return out


def _themes_version(df: pd.DataFrame, channels) -> int | None:
    """The vocabulary version, when the file holds content answers."""
    cols = [channel_column(ch, "themes") for ch in channels if channel_column(ch, "themes") in df]
    if not any(df[c].notna().any() for c in cols):
        return None
    from corridor.themes import vocabulary

    return vocabulary().version


def _devices(rec: dict) -> list[DeviceAccess]:
    out = []
    for dev in DEVICES:
        values = {item: _value(rec.get(device_column(dev, item))) for item in DEVICE_ITEMS}
        if any(v is not None for v in values.values()):
            out.append(DeviceAccess(device=dev, **values))
    return out


def _attitudes(rec: dict) -> list[Attitude]:
    out = []
    for item in ATTITUDE_ITEMS:
        value, answer = _likert(rec.get(item))
        if answer is not None:
            out.append(Attitude(item=item, value=value, answer=answer))
    return out


def _likert_text(value, answer) -> str | None:
    return None if answer is None else (str(value) if answer == "value" else answer)


def _int_or_none(value):
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return None
    return int(value)


def load_respondents(*, study_id: str | None = None, url: str | None = None,
                     detail: bool = False) -> pd.DataFrame:
    """Respondents in the canonical layout (one row each, ``<channel>_ever`` columns).

    With ``detail``, also every detail column that holds at least one value (background,
    ``<channel>_<item>``, ``device_<device>_<item>``, attitude items; see
    :mod:`corridor.evidence.detail`), with 1–5 items as ``"1"``…``"5"``, ``dont_know`` or
    ``refused``.
    """
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
                if detail:
                    rec.update({k: getattr(r, k) for k in BACKGROUND})
                    for e in r.exposures:
                        for item in ("first_year", "frequency", "sources", "shared_n"):
                            rec[channel_column(e.channel, item)] = getattr(e, item)
                        rec[channel_column(e.channel, "trust")] = _likert_text(e.trust, e.trust_answer)
                        rec[channel_column(e.channel, "influence")] = _likert_text(e.influence,
                                                                                     e.influence_answer)
                    content: dict[str, list[str]] = {}
                    for t in r.themes:
                        content.setdefault(t.channel, []).append(t.theme)
                    for ch, codes in content.items():
                        rec[channel_column(ch, "themes")] = " ".join(codes)
                    for d in r.devices:
                        for item in DEVICE_ITEMS:
                            rec[device_column(d.device, item)] = getattr(d, item)
                    for a in r.attitudes:
                        rec[a.item] = _likert_text(a.value, a.answer)
                rows.append(rec)
    finally:
        engine.dispose()
    cols = ["respondent_id", "sex", "birth_year", "province", "urban", "year_left", "study"]
    df = pd.DataFrame(rows)
    if df.empty:
        return pd.DataFrame(columns=cols)
    ever = [f"{c}_ever" for c in CHANNELS if f"{c}_ever" in df]
    extra = []
    if detail:
        from corridor.evidence.detail import detail_columns

        extra = [c for c in detail_columns() if c in df and df[c].notna().any()]
    return df[cols + ever + extra]
