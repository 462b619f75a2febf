"""People and consent: a pseudonymous person with an identity sealed before it reaches the
database, and their consent per use (:mod:`corridor.archive.consent`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from corridor.access.errors import NotFound
from corridor.access.rules import ArchiveAction
from corridor.archive import consent as consent_mod
from corridor.archive import sealing
from corridor.archive.consent import Use
from corridor.archive.records.common import (
    Clerk,
    _audit,
    _date,
    _require,
    _state,
    _year,
    new_public_id,
)
from corridor.archive.records.roles import org_key
from corridor.archive.tables import ArchiveConsent, ArchivePerson
from corridor.errors import CorridorError
from corridor.geo.names import resolve_province


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


def get_person(s: Session, clerk: Clerk, public_id: str) -> ArchivePerson:
    p = s.execute(select(ArchivePerson).where(ArchivePerson.public_id == public_id)).scalar_one_or_none()
    if p is None or not clerk.may(ArchiveAction.VIEW, p.org_id):
        raise NotFound("no such person")
    return p
