"""What leaves the archive: consented, reviewed, redacted exports; Uwazi CSV; evidence records.

An export is for one **use** (see :mod:`corridor.archive.consent`). It is refused as a whole,
naming every blocked interview, if any person in it has not consented to that use, or, for any
use beyond ``internal``, if a transcript has no approved review of its current text. What
leaves is the redacted text, the coded events and the person fields the use allows
(:data:`~corridor.archive.consent.PERSON_FIELDS`); sealed identities never do. Every export is
recorded (``archive_export``, with the SHA-256 of the file) and appended to the audit chain.

**Uwazi.** HURIDOCS Uwazi imports entities from a CSV whose headers are the template's property
names, with ``title`` required, ``|`` between the values of a multi-select, ``::`` between a
thesaurus group and its value, and a ``__<lang>`` suffix on translated columns; thesauri import
from a CSV with one column per language, headed by the language's name (Uwazi wiki, "Import
CSV" and "Import thesauri from CSV"; ``uwazi/app/api/csv/csvConstants``). :func:`uwazi_zip`
writes one entity CSV of events and one thesaurus CSV per vocabulary; :func:`import_uwazi_events`
reads the same layout back.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.rules import ArchiveAction
from corridor.archive import consent as consent_mod
from corridor.archive import thesaurus
from corridor.archive.consent import Use
from corridor.archive.records import (
    Clerk,
    add_event,
    current_review,
    get_interview,
    redacted_segments,
)
from corridor.archive.records.common import _audit, _require
from corridor.archive.tables import (
    ArchiveConsent,
    ArchiveEvent,
    ArchiveExport,
    ArchiveExposure,
    ArchiveInterview,
    ArchivePerson,
)
from corridor.errors import CorridorError
from corridor.textcheck import spreadsheet_safe

FORMAT_VERSION = 1


class ExportRefused(CorridorError):
    """Consent or review blocks the export; :attr:`blocked` lists (interview, reason)."""

    def __init__(self, use: Use, blocked: list[tuple[str, str]]) -> None:
        self.blocked = blocked
        first = blocked[0]
        super().__init__(f"{len(blocked)} interview(s) may not be exported for this use; first: {first[0]}: "
                         f"{first[1]}", field="use", value=use.value, hint="nothing was exported")


def _consents(s: Session, person_id: int) -> list[ArchiveConsent]:
    return list(s.execute(select(ArchiveConsent).where(ArchiveConsent.person_id == person_id)).scalars())


def check_exportable(s: Session, interviews: Sequence[ArchiveInterview], use: Use) -> list[tuple[str, str]]:
    """Every (interview, reason) that blocks exporting ``interviews`` for ``use``."""
    blocked = []
    for iv in interviews:
        if not consent_mod.allows(_consents(s, iv.person_id), use):
            blocked.append((iv.public_id, f"no consent for {use.value}"))
            continue
        if consent_mod.needs_review(use):
            for tr in iv.transcripts:
                if current_review(s, tr) is None:
                    blocked.append((iv.public_id,
                                    f"the {tr.lang} transcript has no approved review of its current text"))
    return blocked


def _event_dict(ev: ArchiveEvent) -> dict:
    return {"id": ev.public_id, "title": ev.title, "summary": ev.summary,
            "start": ev.start_date.isoformat() if ev.start_date else None, "start_precision": ev.start_precision,
            "end": ev.end_date.isoformat() if ev.end_date else None, "end_precision": ev.end_precision,
            "province": ev.province, "county": ev.county, "facility_type": ev.facility_type,
            "acts": [{"act_type": a.act_type, "method": a.method,
                      "perpetrators": [{"perpetrator": v.perpetrator, "degree": v.degree} for v in a.involvements]}
                     for a in ev.acts],
            "parties": [{"role": p.role, "detail": p.detail} for p in ev.parties]}


def export_interviews(s: Session, clerk: Clerk, public_ids: Sequence[str], use: Use | str) -> tuple[bytes, ArchiveExport]:
    """A JSON document of the interviews for ``use``; refused whole if any is blocked."""
    use = consent_mod.parse_use(str(use))
    if not public_ids:
        raise CorridorError("no interviews chosen", field="interviews")
    interviews = [get_interview(s, clerk, pid, ArchiveAction.VIEW) for pid in public_ids]
    orgs = {iv.org_id for iv in interviews}
    if len(orgs) != 1:
        raise CorridorError("an export holds one organisation's interviews", field="interviews")
    org_id = orgs.pop()
    _require(clerk, ArchiveAction.EXPORT, org_id)
    blocked = check_exportable(s, interviews, use)
    if blocked:
        raise ExportRefused(use, blocked)
    fields = consent_mod.PERSON_FIELDS[use]
    items = []
    for n, iv in enumerate(interviews, start=1):
        person = s.get(ArchivePerson, iv.person_id)
        entry: dict = {"interview": iv.public_id if use is not Use.ANONYMISED_PUBLIC else f"T{n}",
                       "person": {f: getattr(person, f) for f in fields},
                       "interviewed_year": iv.interviewed_on.year, "transcripts": [], "events": [],
                       "media_exposure": []}
        if use is Use.INTERNAL:
            entry["interviewed_on"] = iv.interviewed_on.isoformat()
            entry["interviewer"] = iv.interviewer
        for tr in iv.transcripts:
            if use is Use.INTERNAL:
                segs = [{"seq": g.seq, "start_s": g.start_s, "end_s": g.end_s, "text": g.text} for g in tr.segments]
            else:
                segs = redacted_segments(tr, current_review(s, tr))
            entry["transcripts"].append({"lang": tr.lang, "original": tr.is_original,
                                         "translator": tr.translator if use is Use.INTERNAL else None,
                                         "redacted": use is not Use.INTERNAL, "segments": segs})
        evs = s.execute(select(ArchiveEvent).where(ArchiveEvent.interview_id == iv.id)
                        .order_by(ArchiveEvent.id)).scalars()
        entry["events"] = [_event_dict(ev) for ev in evs]
        if use is not Use.INTERNAL:
            for ev, row in zip(entry["events"], s.execute(select(ArchiveEvent).where(
                    ArchiveEvent.interview_id == iv.id).order_by(ArchiveEvent.id)).scalars()):
                ev.pop("summary")   # free text is not reviewed: only the coded fields leave
                ev["title"] = coded_title(row, "en")
                ev["title_ko"] = coded_title(row, "ko")
                ev["county"] = None
        exps = s.execute(select(ArchiveExposure).where(ArchiveExposure.interview_id == iv.id)).scalars()
        entry["media_exposure"] = [{"channel": e.channel, "year": e.year, "source": e.source,
                                    "influence": e.influence, "themes": (e.themes or "").split()}
                                   for e in exps]
        items.append(entry)
    doc = {"format": "corridor-archive-export", "version": FORMAT_VERSION, "use": use.value,
           "exported_at": datetime.now(UTC).isoformat(timespec="seconds"), "interviews": items}
    data = json.dumps(doc, ensure_ascii=False, indent=1, default=str).encode("utf-8")
    return data, _record_export(s, clerk, org_id, use, "json", [iv.public_id for iv in interviews], data)


def coded_title(ev: ArchiveEvent, lang: str) -> str:
    """A title made only of coded fields (act types, year, province), for anything that leaves."""
    from corridor.geo.names import PROVINCES_KO

    acts = ", ".join(dict.fromkeys(thesaurus.label("act_type", a.act_type, lang) for a in ev.acts))
    where = (PROVINCES_KO.get(ev.province, ev.province) if lang == "ko" else ev.province) if ev.province else ""
    when = str(ev.start_date.year) if ev.start_date and ev.start_precision != "unknown" else ""
    return " · ".join(x for x in (acts, where, when) if x)


def _record_export(s: Session, clerk: Clerk, org_id: int, use: Use, form: str, ids: list[str],
                   data: bytes) -> ArchiveExport:
    row = ArchiveExport(org_id=org_id, use=use.value, form=form, actor=clerk.label, interviews=ids,
                        sha256=hashlib.sha256(data).hexdigest())
    s.add(row)
    s.flush()
    _audit(s, clerk, org_id, "archive.export", "archive_export", row.id,
           after={"use": use.value, "form": form, "interviews": ids, "sha256": row.sha256})
    return row


# --------------------------------------------------------------------------- Uwazi

LANG_NAMES = {"en": "English", "ko": "Korean"}


class _SafeWriter:
    """A CSV writer whose text cells cannot run as spreadsheet formulas (OWASP CSV Injection),
    with RFC 4180 line ends (so a lone carriage return inside a cell is quoted)."""

    def __init__(self, buf) -> None:
        self._w = csv.writer(buf, lineterminator="\r\n")

    def writerow(self, row) -> None:
        self._w.writerow([spreadsheet_safe(v) for v in row])


def _safe_writer(buf) -> _SafeWriter:
    return _SafeWriter(buf)
EVENT_COLUMNS = ("title", "interview", "start_date", "date_precision", "province", "facility_type",
                 "act_types", "perpetrators")


def _thesaurus_csv(vocab: str) -> str:
    buf = io.StringIO()
    w = _safe_writer(buf)
    w.writerow([LANG_NAMES["en"], LANG_NAMES["ko"]])
    entries = thesaurus.VOCABULARIES[vocab]
    for entry in entries.values():
        en, ko = entry[-2], entry[-1]
        if vocab == "act_type":
            g_en, g_ko = thesaurus.ACT_GROUPS[entry[0]]
            en, ko = f"{g_en}::{en}", f"{g_ko}::{ko}"
        w.writerow([en, ko])
    return buf.getvalue()


def _act_value(code: str, lang: str) -> str:
    group = thesaurus.ACT_GROUPS[thesaurus.ACT_TYPES[code][0]]
    return f"{group[1] if lang == 'ko' else group[0]}::{thesaurus.label('act_type', code, lang)}"


def uwazi_zip(s: Session, clerk: Clerk, public_ids: Sequence[str], use: Use | str) -> tuple[bytes, ArchiveExport]:
    """Events of the interviews as an Uwazi entity CSV (English and Korean columns) plus thesauri."""
    use = consent_mod.parse_use(str(use))
    interviews = [get_interview(s, clerk, pid) for pid in public_ids]
    if not interviews:
        raise CorridorError("no interviews chosen", field="interviews")
    org_id = interviews[0].org_id
    if any(iv.org_id != org_id for iv in interviews):
        raise CorridorError("an export holds one organisation's interviews", field="interviews")
    _require(clerk, ArchiveAction.EXPORT, org_id)
    blocked = check_exportable(s, interviews, use)
    if blocked:
        raise ExportRefused(use, blocked)
    buf = io.StringIO()
    w = _safe_writer(buf)
    header = ["title", "title__ko", "interview", "start_date", "date_precision", "province", "province__ko",
              "facility_type", "facility_type__ko", "act_types", "act_types__ko", "perpetrators", "perpetrators__ko"]
    w.writerow(header)
    from corridor.geo.names import PROVINCES_KO

    for n, iv in enumerate(interviews, start=1):
        ref = iv.public_id if use is not Use.ANONYMISED_PUBLIC else f"T{n}"
        for ev in s.execute(select(ArchiveEvent).where(ArchiveEvent.interview_id == iv.id)
                            .order_by(ArchiveEvent.id)).scalars():
            acts = [a.act_type for a in ev.acts]
            perps = sorted({v.perpetrator for a in ev.acts for v in a.involvements})
            internal = use is Use.INTERNAL
            w.writerow([ev.title if internal else coded_title(ev, "en"), ev.title if internal else coded_title(ev, "ko"),
                        ref, ev.start_date.isoformat() if ev.start_date else "",
                        ev.start_precision, ev.province or "", PROVINCES_KO.get(ev.province or "", ""),
                        thesaurus.label("facility_type", ev.facility_type, "en") if ev.facility_type else "",
                        thesaurus.label("facility_type", ev.facility_type, "ko") if ev.facility_type else "",
                        "|".join(_act_value(a, "en") for a in acts), "|".join(_act_value(a, "ko") for a in acts),
                        "|".join(thesaurus.label("perpetrator", p, "en") for p in perps),
                        "|".join(thesaurus.label("perpetrator", p, "ko") for p in perps)])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("events.csv", buf.getvalue())
        for vocab in ("act_type", "facility_type", "perpetrator", "degree", "source_connection", "precision"):
            z.writestr(f"thesaurus_{vocab}.csv", _thesaurus_csv(vocab))
    data = out.getvalue()
    return data, _record_export(s, clerk, org_id, use, "uwazi_csv", [iv.public_id for iv in interviews], data)


def import_uwazi_events(s: Session, clerk: Clerk, org_id: int, text: str, *, source: str = "events.csv") -> int:
    """Events from an Uwazi entity CSV of the layout above (English or Korean labels); all or nothing."""
    _require(clerk, ArchiveAction.CODE, org_id)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or "title" not in rows[0]:
        raise CorridorError("needs a title column (the Uwazi layout)", source=source)
    n = 0
    for i, row in enumerate(rows, start=2):
        where = f"{source}: row {i}"
        acts = []
        for value in (row.get("act_types") or row.get("act_types__ko") or "").split("|"):
            value = value.split("::")[-1].strip()
            if not value:
                continue
            code = thesaurus.code_for_label("act_type", value)
            if code is None:
                raise CorridorError("unknown act type", source=where, field="act_types", value=value)
            acts.append({"act_type": code})
        perps = []
        for value in (row.get("perpetrators") or "").split("|"):
            if value.strip():
                code = thesaurus.code_for_label("perpetrator", value)
                if code is None:
                    raise CorridorError("unknown perpetrator", source=where, field="perpetrators", value=value)
                perps.append({"perpetrator": code, "degree": "unknown"})
        if perps and acts:
            acts[0]["perpetrators"] = perps
        facility = row.get("facility_type") or ""
        try:
            add_event(s, clerk, None, org_id=org_id, title=row["title"], start_date=row.get("start_date") or None,
                      start_precision=row.get("date_precision") or "unknown", province=row.get("province") or None,
                      facility_type=thesaurus.code_for_label("facility_type", facility) if facility else None,
                      acts=acts)
        except CorridorError as exc:
            raise CorridorError(exc.message, source=where, field=exc.field, value=exc.value) from None
        n += 1
    return n


# --------------------------------------------------------------------------- evidence


def to_evidence(s: Session, clerk: Clerk, org_id: int) -> int:
    """Media-exposure codes as evidence respondent records (study ``archive-<org>``), replacing
    the previous ones; only people with ``internal`` consent, and never a name or a pseudonym.

    The themes coded on a channel's exposures (all of them, when a person has several codes
    for one channel) become that channel's content answers (``evidence_theme_exposure``); a
    channel coded without themes was not asked about its content. A code no longer in the
    theme vocabulary is refused, naming it and the nearest valid themes.
    """
    from corridor.evidence.tables import ChannelExposure, ImportBatch, Respondent, Study, ThemeExposure
    from corridor.themes import check_theme, vocabulary

    _require(clerk, ArchiveAction.EXPORT, org_id)
    study_id = f"archive-{org_id}"
    if s.get(Study, study_id) is None:
        s.add(Study(id=study_id, title="Testimony archive: media exposure codes", mode="interview",
                    population_frame="people interviewed by the organisation"))
        s.flush()
    for r in s.execute(select(Respondent).where(Respondent.study_id == study_id)).scalars():
        s.delete(r)
    s.flush()
    vocab = vocabulary()
    batch = ImportBatch(study_id=study_id, source_file="archive", source_format="archive",
                        imported_at=datetime.now(UTC).replace(tzinfo=None), rows=0,
                        themes_version=vocab.version)
    s.add(batch)
    s.flush()
    rows = s.execute(select(ArchiveExposure, ArchiveInterview, ArchivePerson)
                     .join(ArchiveInterview, ArchiveExposure.interview_id == ArchiveInterview.id)
                     .join(ArchivePerson, ArchiveInterview.person_id == ArchivePerson.id)
                     .where(ArchiveInterview.org_id == org_id)).all()
    by_person: dict[int, tuple[ArchivePerson, ArchiveInterview, list[ArchiveExposure]]] = {}
    for e, iv, p in rows:
        by_person.setdefault(p.id, (p, iv, []))[2].append(e)
    n = 0
    for p, iv, exps in by_person.values():
        if not consent_mod.allows(_consents(s, p.id), Use.INTERNAL):
            continue
        if p.sex not in ("male", "female") or not p.province or not p.year_left:
            continue   # the evidence schema needs sex, province and year of leaving
        resp = Respondent(study_id=study_id, import_id=batch.id, code=p.public_id, sex=p.sex,
                          province=p.province, year_left=p.year_left, interview_mode="in_person",
                          interview_date=iv.interviewed_on.isoformat())
        seen: dict[str, ArchiveExposure] = {}
        for e in sorted(exps, key=lambda e: (e.year or 9999)):
            seen.setdefault(e.channel, e)
        for channel, e in seen.items():
            resp.exposures.append(ChannelExposure(channel=channel, ever="yes", first_year=e.year,
                                                  sources=e.source or None, influence=e.influence))
            coded = {check_theme(code, field=f"archive_exposure.themes ({p.public_id}, {channel})", vocab=vocab)
                     for x in exps if x.channel == channel for code in (x.themes or "").split()}
            coded.discard("unknown")
            resp.themes.extend(ThemeExposure(channel=channel, theme=code)
                               for code in vocab.codes if code in coded)
        s.add(resp)
        n += 1
    batch.rows = n
    _audit(s, clerk, org_id, "archive.to_evidence", "evidence_study", study_id, after={"respondents": n})
    return n


def today() -> date:
    return date.today()
