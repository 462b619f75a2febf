"""Consent per person and per use, and which exports each use allows.

Uses, from narrowest to widest: ``internal`` (the organisation's own work), ``partners``
(shared with named coalition partners), ``un_gov`` (submissions to UN mechanisms and
governments), ``public`` (published with the pseudonym and coded details), ``anonymised_public``
(published only as redacted text and codes, with no pseudonym, sex or birth decade). Consent to
one use does not imply another: each is asked and recorded separately (the FOOTPRINTS / NK Watch
dispute of 2021 was about publishing UN petitions without the families' consent). Withdrawn or
missing consent blocks every export that needs it.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from corridor.errors import CorridorError


class Use(StrEnum):
    INTERNAL = "internal"
    PARTNERS = "partners"
    UN_GOV = "un_gov"
    PUBLIC = "public"
    ANONYMISED_PUBLIC = "anonymised_public"


USE_LABELS: dict[Use, tuple[str, str]] = {
    Use.INTERNAL: ("Internal use by the organisation", "단체 내부 사용"),
    Use.PARTNERS: ("Sharing with coalition partners", "연대 단체와 공유"),
    Use.UN_GOV: ("UN mechanisms and governments", "유엔 기구와 정부 제출"),
    Use.PUBLIC: ("Publication under the pseudonym", "가명으로 공개"),
    Use.ANONYMISED_PUBLIC: ("Anonymised publication", "익명화 공개"),
}

#: How consent was given.
METHODS: dict[str, tuple[str, str]] = {
    "written": ("Signed form", "서면 동의서"),
    "oral_recorded": ("Oral, recorded", "구두 (녹음)"),
    "oral_witnessed": ("Oral, witnessed", "구두 (입회인)"),
    "electronic": ("Electronic", "전자 동의"),
}

#: What an export for each use contains about a person (everything else is left out).
PERSON_FIELDS: dict[Use, tuple[str, ...]] = {
    Use.INTERNAL: ("public_id", "pseudonym", "sex", "birth_decade", "province", "year_left"),
    Use.PARTNERS: ("public_id", "pseudonym", "sex", "birth_decade", "province", "year_left"),
    Use.UN_GOV: ("public_id", "pseudonym", "sex", "birth_decade", "province", "year_left"),
    Use.PUBLIC: ("pseudonym", "province", "year_left"),
    Use.ANONYMISED_PUBLIC: (),
}


def parse_use(value: str, *, field: str = "use") -> Use:
    try:
        return Use(value)
    except ValueError:
        raise CorridorError("not a consent use", field=field, value=value,
                            hint=", ".join(u.value for u in Use)) from None


def needs_review(use: Use) -> bool:
    """Everything that leaves the organisation passes a reviewer's redaction first."""
    return use is not Use.INTERNAL


def granted_uses(consents: Iterable) -> set[Use]:
    """Uses a person's consent rows grant (rows with ``use`` and ``granted``)."""
    return {Use(c.use) for c in consents if c.granted}


def allows(consents: Iterable, use: Use) -> bool:
    return use in granted_uses(consents)
