"""The archive's operations: every read and write goes through here, with its permission check.

Functions take a SQLAlchemy ``Session`` and a :class:`Clerk` (who is acting, with their archive
roles). Like the ledger they never commit: the caller owns the transaction. Every write and
every export, unsealing and search-sharing appends to the hash-chained audit log
(:func:`corridor.access.audit.append_audit`) in the same transaction; audit entries carry
hashes of states, never the text of a testimony or an identity.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.audit import append_audit
from corridor.access.errors import Forbidden, NotFound
from corridor.access.rules import (
    Actor,
    ArchiveAction,
    ArchiveRole,
    archive_allowed,
    can_grant_archive,
)
from corridor.access.tables import Organisation, User
from corridor.access.throttle import Throttle
from corridor.archive import consent as consent_mod
from corridor.archive import redact, sealing, thesaurus
from corridor.archive import search as search_mod
from corridor.archive.consent import Use
from corridor.archive.tables import (
    ArchiveAct,
    ArchiveConsent,
    ArchiveEvent,
    ArchiveEventParty,
    ArchiveExposure,
    ArchiveInterview,
    ArchiveInvolvement,
    ArchiveKey,
    ArchiveMedia,
    ArchiveMembership,
    ArchivePerson,
    ArchiveReview,
    ArchiveSavedSearch,
    ArchiveSegment,
    ArchiveSegmentCode,
    ArchiveTranscript,
)
from corridor.errors import CorridorError
from corridor.geo.names import PROVINCES, resolve_province

_ID_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"   # no 0/O, 1/I/L, U: read aloud without mistakes
MAX_SEGMENT_CHARS = 20_000
MAX_TRANSCRIPT_CHARS = 400_000


@dataclass(frozen=True)
class Clerk:
    """Someone acting on the archive: their archive roles per organisation.

    ``admin`` is the local administrator at the command line (the machine's owner), who may run
    backups, restores and exports for any organisation; it never unseals without the key.
    """

    label: str
    roles: Mapping[int, frozenset[ArchiveRole]] = field(default_factory=dict)
    user_id: int | None = None
    admin: bool = False

    def may(self, action: ArchiveAction, org_id: int) -> bool:
        return self.admin or archive_allowed(self.roles, action, org_id=org_id)


def clerk_for(s: Session, user: User) -> Clerk:
    rows = s.execute(select(ArchiveMembership).where(ArchiveMembership.user_id == user.id)).scalars().all()
    roles: dict[int, set[ArchiveRole]] = {}
    for r in rows:
        roles.setdefault(r.org_id, set()).add(ArchiveRole(r.role))
    return Clerk(f"user:{user.id}", {k: frozenset(v) for k, v in roles.items()}, user_id=user.id)


ADMIN = Clerk("admin", admin=True)


def _require(clerk: Clerk, action: ArchiveAction, org_id: int) -> None:
    if clerk.may(action, org_id):
        return
    if clerk.admin or org_id in clerk.roles:
        raise Forbidden(f"your archive roles do not allow {action.value}")
    raise NotFound("no such record")


def _audit(s: Session, clerk: Clerk, org_id: int, action: str, entity: str, entity_id: Any,
           before: dict | None = None, after: dict | None = None) -> None:
    append_audit(s, actor=clerk.label, org_id=org_id, action=action, entity=entity, entity_id=entity_id,
                 before=before, after=after)


def _state(obj) -> dict:
    out = {}
    for c in obj.__table__.columns:
        v = getattr(obj, c.key)
        out[c.key] = hashlib.sha256(v).hexdigest() if isinstance(v, bytes) else v
    return out


def new_public_id(prefix: str) -> str:
    """``P-7K3Q-9XRT``: 40 bits of randomness in an unambiguous alphabet (Uwazi's "Generated ID" idea)."""
    chars = "".join(secrets.choice(_ID_ALPHABET) for _ in range(8))
    return f"{prefix}-{chars[:4]}-{chars[4:]}"


# --------------------------------------------------------------------------- roles and keys


def revoke_role(s: Session, user: User, org: Organisation, role: ArchiveRole, *, granter: Actor | None = None) -> bool:
    """Take an archive role away from ``user`` in ``org`` and end their sessions at once.

    ``granter=None`` is the local administrator. Returns whether the user held the role.
    """
    from corridor.access.members import end_sessions

    if granter is not None and not can_grant_archive(granter, org.id):
        raise Forbidden("only an owner of the organisation can take archive roles away")
    held = s.execute(select(ArchiveMembership).where(
        ArchiveMembership.user_id == user.id, ArchiveMembership.org_id == org.id,
        ArchiveMembership.role == role.value)).scalar_one_or_none()
    if held is None:
        return False
    s.delete(held)
    end_sessions(s, user.id)
    append_audit(s, actor=granter.audit_label if granter else "admin", org_id=org.id, action="archive.revoke",
                 entity="user", entity_id=user.id, before={"role": role.value}, after=None)
    return True


def grant_role(s: Session, user: User, org: Organisation, role: ArchiveRole, *, granter: Actor | None = None) -> None:
    """Give ``user`` an archive role in ``org``; ``granter=None`` is the local administrator."""
    if granter is not None and not can_grant_archive(granter, org.id):
        raise Forbidden("only an owner of the organisation can give archive roles")
    exists = s.execute(select(ArchiveMembership).where(
        ArchiveMembership.user_id == user.id, ArchiveMembership.org_id == org.id,
        ArchiveMembership.role == role.value)).scalar_one_or_none()
    if exists is None:
        s.add(ArchiveMembership(user_id=user.id, org_id=org.id, role=role.value))
        append_audit(s, actor=(granter.label or f"user:{granter.user_id}") if granter else "admin", org_id=org.id,
                     action="archive.grant", entity="user", entity_id=user.id, before=None,
                     after={"role": role.value})


def create_key(s: Session, org_id: int, *, passphrase: str | None = None, clerk: Clerk = ADMIN) -> sealing.KeyPair:
    """A new key pair for ``org_id``. The public key is stored; the private key is returned, and
    stored here only wrapped under ``passphrase`` if one is given. Refuses to replace a key."""
    if s.execute(select(ArchiveKey).where(ArchiveKey.org_id == org_id)).scalar_one_or_none():
        raise CorridorError("this organisation already has an archive key", field="org", value=org_id,
                            hint="keys are not replaced: identities sealed with it would be lost")
    kp = sealing.new_keypair()
    wrapped = sealing.wrap_private_key(kp.private, passphrase) if passphrase else None
    row = ArchiveKey(org_id=org_id, public_key=kp.public, fingerprint=kp.fingerprint, wrapped_private_key=wrapped)
    s.add(row)
    s.flush()
    _audit(s, clerk, org_id, "archive.key.create", "archive_key", row.id, after={"fingerprint": kp.fingerprint,
                                                                                  "stored_wrapped": bool(wrapped)})
    return kp


def org_key(s: Session, org_id: int) -> ArchiveKey:
    row = s.execute(select(ArchiveKey).where(ArchiveKey.org_id == org_id)).scalar_one_or_none()
    if row is None:
        raise CorridorError("this organisation has no archive key yet", field="org", value=org_id,
                            hint="run `corridor archive keygen --org NAME` first")
    return row


# --------------------------------------------------------------------------- people and consent


def _year(value, field_name: str, lo: int, hi: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        v = int(value)
    except (TypeError, ValueError):
        raise CorridorError("must be a year", field=field_name, value=value) from None
    if not lo <= v <= hi:
        raise CorridorError(f"must be between {lo} and {hi}", field=field_name, value=v)
    return v


def add_person(s: Session, clerk: Clerk, org_id: int, *, pseudonym: str, sex: str = "unknown",
               birth_decade: int | str | None = None, province: str | None = None,
               year_left: int | str | None = None, identity: Mapping[str, Any] | None = None) -> ArchivePerson:
    """A pseudonymous person; ``identity`` (name, birth date, contacts, family in the North) is
    sealed with the organisation's public key before it reaches the database."""
    _require(clerk, ArchiveAction.ENTER, org_id)
    pseudonym = (pseudonym or "").strip()
    if not pseudonym or len(pseudonym) > 120:
        raise CorridorError("must be 1–120 characters", field="pseudonym", value=pseudonym)
    if sex not in ("female", "male", "other", "unknown"):
        raise CorridorError("must be female, male, other or unknown", field="sex", value=sex)
    decade = _year(birth_decade, "birth_decade", 1900, 2030)
    if decade is not None and decade % 10:
        raise CorridorError("must be a decade like 1980", field="birth_decade", value=decade)
    prov = resolve_province(province, field="province") if province else None
    person = ArchivePerson(org_id=org_id, public_id=new_public_id("P"), pseudonym=pseudonym, sex=sex,
                           birth_decade=decade, province=prov, year_left=_year(year_left, "year_left", 1945, 2100))
    clean = sealing.clean_identity(dict(identity or {}))
    if clean:
        key = org_key(s, org_id)
        person.sealed_identity = sealing.seal_identity(key.public_key, clean)
        person.key_fingerprint = key.fingerprint
    s.add(person)
    s.flush()
    _audit(s, clerk, org_id, "archive.person.create", "archive_person", person.public_id, after=_state(person))
    return person


def set_consent(s: Session, clerk: Clerk, person: ArchivePerson, use: Use | str, *, granted: bool,
                given_on: date | str, method: str) -> ArchiveConsent:
    _require(clerk, ArchiveAction.ENTER, person.org_id)
    use = consent_mod.parse_use(str(use))
    if method not in consent_mod.METHODS:
        raise CorridorError("not a consent method", field="method", value=method,
                            hint=", ".join(consent_mod.METHODS))
    if isinstance(given_on, str):
        given_on = _date(given_on, "given_on")
    row = s.execute(select(ArchiveConsent).where(ArchiveConsent.person_id == person.id,
                                                 ArchiveConsent.use == use.value)).scalar_one_or_none()
    before = _state(row) if row else None
    if row is None:
        row = ArchiveConsent(person_id=person.id, use=use.value, granted=granted, given_on=given_on,
                             method=method, recorded_by=clerk.label)
        s.add(row)
    else:
        row.granted, row.given_on, row.method, row.recorded_by = granted, given_on, method, clerk.label
    s.flush()
    _audit(s, clerk, person.org_id, "archive.consent", "archive_person", person.public_id, before, _state(row))
    return row


def _date(value, field_name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise CorridorError("must be a date like 2024-05-17", field=field_name, value=value) from None


def get_person(s: Session, clerk: Clerk, public_id: str) -> ArchivePerson:
    p = s.execute(select(ArchivePerson).where(ArchivePerson.public_id == public_id)).scalar_one_or_none()
    if p is None or not clerk.may(ArchiveAction.VIEW, p.org_id):
        raise NotFound("no such person")
    return p


#: Wrong passphrases allowed per reviewer, and per organisation (several reviewers' accounts
#: together), within 15 minutes before unsealing with the server-held key pauses. NIST SP
#: 800-63B §5.2.2 asks that failed attempts be limited; the count is kept for what is guessed at
#: (the organisation's key) as well as for who guesses, as OWASP's Authentication Cheat Sheet
#: ("Account Lockout") keeps it for the account, not the address. The check comes before the passphrase
#: is tried, so that past the limit the right passphrase is refused too: otherwise the limit would
#: slow the guessing, but the answer to the right guess would still tell the guesser they found it.
UNSEAL_PER_USER = Throttle(limit=5, window_s=900)
UNSEAL_PER_ORG = Throttle(limit=10, window_s=900)


class UnsealPaused(CorridorError):
    """Too many wrong passphrases for this reviewer or this organisation: try again later."""

    def __init__(self) -> None:
        minutes = int(UNSEAL_PER_USER.window_s // 60)
        super().__init__(f"too many wrong passphrases; unsealing is paused for up to {minutes} minutes",
                         field="passphrase")


def _unseal_keys(clerk: Clerk, org_id: int) -> tuple[str, str]:
    """The failure counters an unsealing attempt counts against: the person's, the organisation's."""
    who = f"user:{clerk.user_id}" if clerk.user_id is not None else clerk.label
    return f"unseal:{who}", f"unseal:org:{org_id}"


def unseal_paused(s: Session, clerk: Clerk, org_id: int) -> bool:
    """Whether ``clerk`` (or anyone in ``org_id``) has used up the wrong passphrases allowed."""
    mine, org = _unseal_keys(clerk, org_id)
    return UNSEAL_PER_USER.blocked(s, [mine]) or UNSEAL_PER_ORG.blocked(s, [org])


#: How long a refusal's own transaction waits for another writer before it is written in the
#: caller's transaction instead (seconds).
APART_WAIT_S = 2


def _commit_apart(s: Session, write) -> None:
    """Run ``write(session)`` in a transaction of its own and commit it, so that it stands even
    when the caller's transaction is rolled back (a refused request, a failed command).

    When the caller's transaction already holds the locks the second one needs (it has written:
    SQLite's single writer, the audit log's head row on PostgreSQL), or another writer holds
    them past :data:`APART_WAIT_S`, the record is written in the caller's transaction instead,
    which then commits it with its answer (the pages do: a refusal is a rendered page).
    """
    from sqlalchemy import text
    from sqlalchemy.engine import Connection
    from sqlalchemy.exc import OperationalError

    conn = s.connection()
    if conn.dialect.name == "postgresql" and conn.execute(
            text("SELECT pg_current_xact_id_if_assigned() IS NOT NULL")).scalar():
        write(s)   # this transaction has written: it may hold the audit head's lock itself
        return
    bind = s.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    try:
        with Session(engine) as apart, apart.begin():
            own = apart.connection()
            usual = None
            if engine.dialect.name == "postgresql":
                own.execute(text(f"SET LOCAL lock_timeout = '{APART_WAIT_S}s'"))
            elif engine.dialect.name == "sqlite":   # a connection setting: put back before it returns to the pool
                usual = own.exec_driver_sql("PRAGMA busy_timeout").scalar()
                own.exec_driver_sql(f"PRAGMA busy_timeout = {APART_WAIT_S * 1000}")
            try:
                write(apart)
                apart.flush()   # the write lock is taken here; committing needs no more waiting
            finally:
                if usual is not None:
                    own.exec_driver_sql(f"PRAGMA busy_timeout = {int(usual)}")
    except OperationalError:
        write(s)


def _unseal_refused(s: Session, clerk: Clerk, person: ArchivePerson, action: str, *, count: bool) -> None:
    """Audit a refused unsealing (never the passphrase) and, for a wrong one, count the failure."""
    keys = _unseal_keys(clerk, person.org_id)

    def write(session: Session) -> None:
        if count:
            UNSEAL_PER_USER.forget_old(session, keys)   # both counters share the window
            UNSEAL_PER_USER.failed(session, keys)
        _audit(session, clerk, person.org_id, action, "archive_person", person.public_id)

    _commit_apart(s, write)


def unseal(s: Session, clerk: Clerk, person: ArchivePerson, *, passphrase: str | None = None,
           private_key: bytes | None = None) -> dict[str, str]:
    """Open a sealed identity for one request: with the private key (offline file) or the
    passphrase of the key stored wrapped. Audited; the key is not kept.

    A wrong passphrase is counted and audited (``archive.unseal.failed``) in a transaction of its
    own, committed even though the caller's is not; past :data:`UNSEAL_PER_USER` or
    :data:`UNSEAL_PER_ORG` every attempt is refused with :class:`UnsealPaused` without trying the
    passphrase, and audited (``archive.unseal.refused``).
    """
    _require(clerk, ArchiveAction.UNSEAL, person.org_id)
    if person.sealed_identity is None:
        return {}
    if private_key is None:
        key = org_key(s, person.org_id)
        if key.wrapped_private_key is None:
            raise CorridorError("the private key is kept offline; unseal on the offline machine",
                                field="passphrase")
        if unseal_paused(s, clerk, person.org_id):
            _unseal_refused(s, clerk, person, "archive.unseal.refused", count=False)
            raise UnsealPaused()
        try:
            private_key = sealing.unwrap_private_key(key.wrapped_private_key, passphrase or "")
        except sealing.WrongPassphrase:
            _unseal_refused(s, clerk, person, "archive.unseal.failed", count=True)
            raise
    identity = sealing.open_identity(private_key, person.sealed_identity)
    _audit(s, clerk, person.org_id, "archive.unseal", "archive_person", person.public_id)
    return identity


# --------------------------------------------------------------------------- interviews


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs (separated by blank lines) as segments."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return [p for p in parts if p]


def _segments(s: Session, transcript: ArchiveTranscript, interview: ArchiveInterview,
              segments: Sequence[Mapping[str, Any]]) -> None:
    total = 0
    for seq, seg in enumerate(segments, start=1):
        text = str(seg.get("text", "")).strip()
        if not text:
            raise CorridorError("a segment is empty", field=f"segments[{seq}]")
        if len(text) > MAX_SEGMENT_CHARS:
            raise CorridorError(f"a segment is longer than {MAX_SEGMENT_CHARS:,} characters; split it",
                                field=f"segments[{seq}]")
        total += len(text)
        start_s, end_s = seg.get("start_s"), seg.get("end_s")
        if start_s is not None and end_s is not None and float(end_s) < float(start_s):
            raise CorridorError("ends before it starts", field=f"segments[{seq}].end_s", value=end_s)
        transcript.segments.append(ArchiveSegment(
            interview_id=interview.id, org_id=interview.org_id, seq=seq, text=text,
            search_text=search_mod.search_text(text),
            start_s=None if start_s is None else float(start_s), end_s=None if end_s is None else float(end_s)))
    if total > MAX_TRANSCRIPT_CHARS:
        raise CorridorError(f"longer than {MAX_TRANSCRIPT_CHARS:,} characters", field="transcript")


def add_interview(s: Session, clerk: Clerk, person: ArchivePerson, *, interviewer: str,
                  interviewed_on: date | str, place: str = "",
                  transcripts: Sequence[Mapping[str, Any]] = ()) -> ArchiveInterview:
    """An interview with its transcripts: each ``{"lang", "original": bool, "translator",
    "text"}`` (split into paragraphs) or ``{"lang", ..., "segments": [{"text", "start_s", "end_s"}]}``."""
    _require(clerk, ArchiveAction.ENTER, person.org_id)
    interviewer = (interviewer or "").strip()
    if not interviewer:
        raise CorridorError("must not be empty", field="interviewer")
    iv = ArchiveInterview(org_id=person.org_id, public_id=new_public_id("I"), person_id=person.id,
                          interviewer=interviewer[:200], interviewed_on=_date(interviewed_on, "interviewed_on"),
                          place=(place or "").strip()[:200])
    s.add(iv)
    s.flush()
    originals = 0
    for t in transcripts:
        add_transcript(s, clerk, iv, lang=t.get("lang", ""), original=bool(t.get("original")),
                       translator=t.get("translator"), text=t.get("text"), segments=t.get("segments"), _audit_it=False)
        originals += bool(t.get("original"))
    if transcripts and originals != 1:
        raise CorridorError("exactly one transcript must be the original", field="transcripts")
    _audit(s, clerk, iv.org_id, "archive.interview.create", "archive_interview", iv.public_id, after=_state(iv))
    return iv


def add_transcript(s: Session, clerk: Clerk, iv: ArchiveInterview, *, lang: str, original: bool,
                   translator: str | None = None, text: str | None = None,
                   segments: Sequence[Mapping[str, Any]] | None = None, _audit_it: bool = True) -> ArchiveTranscript:
    _require(clerk, ArchiveAction.ENTER, iv.org_id)
    if lang not in ("ko", "en"):
        raise CorridorError("must be ko or en", field="lang", value=lang)
    if not original and not (translator or "").strip():
        raise CorridorError("a translation needs its translator", field="translator")
    if any(t.lang == lang for t in iv.transcripts):
        raise CorridorError("this interview already has a transcript in this language", field="lang", value=lang)
    tr = ArchiveTranscript(interview_id=iv.id, lang=lang, is_original=original,
                           translator=(translator or "").strip()[:200] or None)
    iv.transcripts.append(tr)
    s.flush()
    segs = list(segments) if segments is not None else [{"text": p} for p in split_paragraphs(text or "")]
    if not segs:
        raise CorridorError("the transcript is empty", field=f"transcript.{lang}")
    _segments(s, tr, iv, segs)
    s.flush()
    if _audit_it:
        _audit(s, clerk, iv.org_id, "archive.transcript.create", "archive_interview", iv.public_id,
               after={"lang": lang, "segments": len(segs)})
    return tr


def get_interview(s: Session, clerk: Clerk, public_id: str, action: ArchiveAction = ArchiveAction.VIEW
                  ) -> ArchiveInterview:
    iv = s.execute(select(ArchiveInterview).where(ArchiveInterview.public_id == public_id)).scalar_one_or_none()
    if iv is None or not clerk.may(ArchiveAction.VIEW, iv.org_id):
        raise NotFound("no such interview")
    _require(clerk, action, iv.org_id)
    return iv


def interviews_of(s: Session, clerk: Clerk, org_id: int, *, limit: int = 100) -> list[ArchiveInterview]:
    _require(clerk, ArchiveAction.VIEW, org_id)
    return list(s.execute(select(ArchiveInterview).where(ArchiveInterview.org_id == org_id)
                          .order_by(ArchiveInterview.id.desc()).limit(limit)).scalars())


def person_of(s: Session, iv: ArchiveInterview) -> ArchivePerson:
    """The (sealed) person an interview is with; ``iv`` comes from :func:`get_interview`, which
    checked the clerk's right to it."""
    return s.get(ArchivePerson, iv.person_id)


def people_of(s: Session, interviews: Sequence[ArchiveInterview]) -> dict[int, ArchivePerson]:
    """The (sealed) people of interviews already read with :func:`interviews_of`, by their id."""
    ids = sorted({iv.person_id for iv in interviews})
    if not ids:
        return {}
    return {p.id: p for p in s.execute(select(ArchivePerson).where(ArchivePerson.id.in_(ids))).scalars()}


def consents_of(s: Session, person: ArchivePerson) -> dict[str, ArchiveConsent]:
    """A person's consent records, by use (:class:`corridor.archive.consent.Use` value)."""
    return {c.use: c for c in s.execute(select(ArchiveConsent).where(ArchiveConsent.person_id == person.id)).scalars()}


def add_media(s: Session, clerk: Clerk, iv: ArchiveInterview, *, kind: str, filename: str, sha256: str,
              size_bytes: int, reference: str = "", stored: bool = False,
              active_content: str | None = None) -> ArchiveMedia:
    _require(clerk, ArchiveAction.ENTER, iv.org_id)
    if kind not in ("audio", "video", "document", "image"):
        raise CorridorError("must be audio, video, document or image", field="kind", value=kind)
    if not re.fullmatch(r"[0-9a-f]{64}", sha256 or ""):
        raise CorridorError("must be a SHA-256 in hex (64 characters)", field="sha256", value=sha256)
    if not stored and not reference.strip():
        raise CorridorError("say where the file is kept", field="reference")
    m = ArchiveMedia(interview_id=iv.id, kind=kind, filename=filename[:300], sha256=sha256, size_bytes=int(size_bytes),
                     reference=reference.strip()[:500], stored=stored, active_content=active_content)
    s.add(m)
    s.flush()
    _audit(s, clerk, iv.org_id, "archive.media.add", "archive_interview", iv.public_id, after=_state(m))
    return m


# --------------------------------------------------------------------------- coding


def _segment_ids(iv: ArchiveInterview, refs: Iterable) -> list[int]:
    """Segment references as ``lang:seq`` (e.g. ``ko:3``) or bare ``seq`` of the original."""
    by_key = {}
    for tr in iv.transcripts:
        for seg in tr.segments:
            by_key[f"{tr.lang}:{seg.seq}"] = seg.id
            if tr.is_original:
                by_key[str(seg.seq)] = seg.id
    out = []
    for ref in refs:
        ref = str(ref).strip()
        if not ref:
            continue
        if ref not in by_key:
            raise CorridorError("no such segment in this interview", field="segments", value=ref,
                                hint="use a paragraph number, or lang:number such as ko:3")
        out.append(by_key[ref])
    return out


def add_event(s: Session, clerk: Clerk, iv: ArchiveInterview | None, *, org_id: int | None = None,
              title: str, summary: str = "", start_date: str | date | None = None, start_precision: str = "unknown",
              end_date: str | date | None = None, end_precision: str = "unknown", province: str | None = None,
              county: str | None = None, facility: str | None = None, facility_type: str | None = None,
              segments: Iterable = (), acts: Sequence[Mapping[str, Any]] = (),
              parties: Sequence[Mapping[str, Any]] = ()) -> ArchiveEvent:
    """A HURIDOCS event with its acts (each ``{"act_type", "victim" (person id) or "victim_label",
    "method", "perpetrators": [{"perpetrator", "label", "degree"}]}``) and parties (``{"role":
    "source"|"intervening_party", "person" or "label", "detail"}``)."""
    org = iv.org_id if iv is not None else org_id
    _require(clerk, ArchiveAction.CODE, org)
    title = (title or "").strip()
    if not title:
        raise CorridorError("must not be empty", field="title")
    thesaurus.check_code("precision", start_precision, field="start_precision")
    thesaurus.check_code("precision", end_precision, field="end_precision")
    thesaurus.check_code("facility_type", facility_type, field="facility_type", optional=True)
    if not acts:
        raise CorridorError("an event needs at least one act", field="acts")
    sd = _date(start_date, "start_date") if start_date else None
    ed = _date(end_date, "end_date") if end_date else None
    if sd and ed and ed < sd:
        raise CorridorError("ends before it starts", field="end_date", value=str(ed))
    ev = ArchiveEvent(org_id=org, public_id=new_public_id("E"), interview_id=iv.id if iv else None,
                      title=title[:300], summary=summary or "", start_date=sd, start_precision=start_precision,
                      end_date=ed, end_precision=end_precision,
                      province=resolve_province(province, field="province") if province else None,
                      county=(county or "").strip()[:120] or None, facility=(facility or "").strip()[:200] or None,
                      facility_type=facility_type or None,
                      segment_ids=_segment_ids(iv, segments) if iv is not None else [])
    for i, a in enumerate(acts):
        thesaurus.check_code("act_type", a.get("act_type"), field=f"acts[{i}].act_type")
        act = ArchiveAct(act_type=a["act_type"], victim_id=_person_id(s, org, a.get("victim")),
                         victim_label=(a.get("victim_label") or "")[:200], method=a.get("method") or None)
        for j, p in enumerate(a.get("perpetrators") or ()):
            thesaurus.check_code("perpetrator", p.get("perpetrator"), field=f"acts[{i}].perpetrators[{j}]")
            thesaurus.check_code("degree", p.get("degree", "unknown"), field=f"acts[{i}].perpetrators[{j}].degree")
            act.involvements.append(ArchiveInvolvement(perpetrator=p["perpetrator"],
                                                       perpetrator_label=(p.get("label") or "")[:200],
                                                       degree=p.get("degree", "unknown")))
        ev.acts.append(act)
    for i, p in enumerate(parties):
        role = p.get("role")
        if role not in ("source", "intervening_party"):
            raise CorridorError("must be source or intervening_party", field=f"parties[{i}].role", value=role)
        vocab = "source_connection" if role == "source" else "intervention"
        thesaurus.check_code(vocab, p.get("detail"), field=f"parties[{i}].detail")
        ev.parties.append(ArchiveEventParty(role=role, person_id=_person_id(s, org, p.get("person")),
                                            label=(p.get("label") or "")[:200], detail=p["detail"]))
    s.add(ev)
    s.flush()
    for sid in ev.segment_ids:   # segment-level indexing: the segments carry the event's act types
        for code in sorted({a.act_type for a in ev.acts}):
            if s.execute(select(ArchiveSegmentCode).where(ArchiveSegmentCode.segment_id == sid,
                                                          ArchiveSegmentCode.code == code)).first() is None:
                s.add(ArchiveSegmentCode(segment_id=sid, code=code))
    s.flush()
    _audit(s, clerk, org, "archive.event.create", "archive_event", ev.public_id, after=_state(ev))
    return ev


def _person_id(s: Session, org_id: int, ref) -> int | None:
    if ref in (None, ""):
        return None
    p = s.execute(select(ArchivePerson).where(ArchivePerson.public_id == str(ref))).scalar_one_or_none()
    if p is None or p.org_id != org_id:
        raise CorridorError("no such person in this organisation's archive", field="person", value=ref)
    return p.id


def code_segments(s: Session, clerk: Clerk, iv: ArchiveInterview, refs: Iterable, code: str) -> int:
    """Attach a thesaurus code (an act type) to segments; returns how many were new."""
    _require(clerk, ArchiveAction.CODE, iv.org_id)
    thesaurus.check_code("act_type", code, field="code")
    n = 0
    for sid in _segment_ids(iv, refs):
        if s.execute(select(ArchiveSegmentCode).where(ArchiveSegmentCode.segment_id == sid,
                                                      ArchiveSegmentCode.code == code)).first() is None:
            s.add(ArchiveSegmentCode(segment_id=sid, code=code))
            n += 1
    s.flush()
    _audit(s, clerk, iv.org_id, "archive.segment.code", "archive_interview", iv.public_id, after={"code": code, "n": n})
    return n


def add_exposure(s: Session, clerk: Clerk, iv: ArchiveInterview, *, channel: str, year: int | str | None = None,
                 source: str = "", influence: int | str | None = None, segment: str | None = None) -> ArchiveExposure:
    from corridor.evidence.vocabulary import CHANNELS

    _require(clerk, ArchiveAction.CODE, iv.org_id)
    if channel not in CHANNELS:
        raise CorridorError("not an evidence channel", field="channel", value=channel, hint=", ".join(CHANNELS))
    thesaurus.check_code("media_source", source, field="source", optional=True)
    infl = None
    if influence not in (None, ""):
        try:
            infl = int(influence)
        except (TypeError, ValueError):
            infl = 0
        if not 1 <= infl <= 5:
            raise CorridorError("must be 1 to 5", field="influence", value=influence)
    seg_ids = _segment_ids(iv, [segment]) if segment else []
    e = ArchiveExposure(interview_id=iv.id, channel=channel, year=_year(year, "year", 1945, 2100),
                        source=source or "", influence=infl, segment_id=seg_ids[0] if seg_ids else None)
    s.add(e)
    s.flush()
    _audit(s, clerk, iv.org_id, "archive.exposure.add", "archive_interview", iv.public_id, after=_state(e))
    return e


def events_of(s: Session, iv: ArchiveInterview) -> list[ArchiveEvent]:
    return list(s.execute(select(ArchiveEvent).where(ArchiveEvent.interview_id == iv.id)
                          .order_by(ArchiveEvent.id)).scalars())


def exposures_of(s: Session, iv: ArchiveInterview) -> list[ArchiveExposure]:
    return list(s.execute(select(ArchiveExposure).where(ArchiveExposure.interview_id == iv.id)
                          .order_by(ArchiveExposure.id)).scalars())


# --------------------------------------------------------------------------- review


def transcript_hash(tr: ArchiveTranscript) -> str:
    h = hashlib.sha256()
    for seg in tr.segments:
        h.update(f"{seg.seq}\x00{seg.text}\x01".encode())
    return h.hexdigest()


def suggestions(s: Session, clerk: Clerk, tr: ArchiveTranscript, iv: ArchiveInterview) -> list[tuple[int, redact.Span]]:
    """Detector suggestions for each segment: (segment seq, span)."""
    _require(clerk, ArchiveAction.REVIEW, iv.org_id)
    return [(seg.seq, span) for seg in tr.segments for span in redact.detect(seg.text, tr.lang)]


def record_review(s: Session, clerk: Clerk, iv: ArchiveInterview, tr: ArchiveTranscript,
                  spans: Iterable[Sequence], *, approved: bool = True) -> ArchiveReview:
    """A reviewer's decision: the spans (segment seq, start, end, kind) to hide in ``tr``."""
    _require(clerk, ArchiveAction.REVIEW, iv.org_id)
    lengths = {seg.seq: len(seg.text) for seg in tr.segments}
    clean = []
    for sp in spans:
        seq, start, end, kind = int(sp[0]), int(sp[1]), int(sp[2]), str(sp[3])
        if seq not in lengths or not 0 <= start < end <= lengths[seq] or kind not in redact.KINDS:
            raise CorridorError("span outside the transcript", field="spans", value=[seq, start, end, kind])
        clean.append([seq, start, end, kind])
    rv = ArchiveReview(transcript_id=tr.id, reviewer=clerk.label, text_sha256=transcript_hash(tr),
                       spans=sorted(clean), approved=approved)
    s.add(rv)
    s.flush()
    _audit(s, clerk, iv.org_id, "archive.review", "archive_interview", iv.public_id,
           after={"lang": tr.lang, "spans": len(clean), "approved": approved})
    return rv


def current_review(s: Session, tr: ArchiveTranscript) -> ArchiveReview | None:
    """The latest approved review of ``tr``, if it was made on the text as it is now."""
    rv = s.execute(select(ArchiveReview).where(ArchiveReview.transcript_id == tr.id)
                   .order_by(ArchiveReview.id.desc()).limit(1)).scalar_one_or_none()
    if rv is None or not rv.approved or rv.text_sha256 != transcript_hash(tr):
        return None
    return rv


def redacted_segments(tr: ArchiveTranscript, rv: ArchiveReview) -> list[dict]:
    by_seq: dict[int, list] = {}
    for seq, start, end, kind in rv.spans:
        by_seq.setdefault(seq, []).append((start, end, kind))
    return [{"seq": seg.seq, "start_s": seg.start_s, "end_s": seg.end_s,
             "text": redact.apply(seg.text, by_seq.get(seg.seq, []), tr.lang)} for seg in tr.segments]


# --------------------------------------------------------------------------- search


def search(s: Session, clerk: Clerk, org_id: int, query: search_mod.Query) -> search_mod.Results:
    _require(clerk, ArchiveAction.SEARCH, org_id)
    if query.use:
        consent_mod.parse_use(query.use, field="use")
    if query.act_type:
        thesaurus.check_code("act_type", query.act_type, field="act_type")
    if query.code:
        thesaurus.check_code("act_type", query.code, field="code")
    if query.province and query.province not in PROVINCES:
        raise CorridorError("not a province", field="province", value=query.province)
    return search_mod.run(s, org_id, query)


def _search_purpose(token: str, org_id: int, user_id: int | None) -> str:
    """What a saved search's sealed parameters are bound to (associated data): its token, its
    organisation and who saved it. Moved to another row, another organisation or another owner,
    they no longer open."""
    return f"search:{token}:org:{org_id}:user:{user_id}"


def save_search(s: Session, clerk: Clerk, org_id: int, query: search_mod.Query) -> str:
    """Keep a search under a random token; its URL then shows no search terms, and the database
    holds them only sealed with the server key (:mod:`corridor.access.serverkey`)."""
    _require(clerk, ArchiveAction.SEARCH, org_id)
    import json

    from corridor.access.serverkey import seal

    token = secrets.token_urlsafe(18)
    params = json.dumps(query.as_params(), ensure_ascii=False).encode()
    sealed = seal(params, _search_purpose(token, org_id, clerk.user_id))
    s.add(ArchiveSavedSearch(token=token, org_id=org_id, user_id=clerk.user_id, sealed_params=sealed))
    s.flush()
    return token


def load_search(s: Session, clerk: Clerk, token: str) -> tuple[int, search_mod.Query]:
    """The saved search behind ``token``: the same answer (not found) for a token that does not
    exist, one the reader may not use, and one whose sealed terms do not open for its row (moved
    there from another), so a URL reveals nothing to an outsider. A missing server key is still
    reported as such."""
    row = s.get(ArchiveSavedSearch, token) if re.fullmatch(r"[A-Za-z0-9_-]{10,43}", token or "") else None
    if row is None or not clerk.may(ArchiveAction.SEARCH, row.org_id):
        raise NotFound("no such search")
    import json

    from corridor.access.serverkey import load_key, open_sealed

    key = load_key()
    try:
        params = json.loads(open_sealed(row.sealed_params, _search_purpose(token, row.org_id, row.user_id), key=key))
    except (CorridorError, ValueError, TypeError):
        raise NotFound("no such search") from None
    return row.org_id, search_mod.Query(**params)
