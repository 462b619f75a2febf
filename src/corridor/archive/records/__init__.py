"""The archive's operations: every read and write goes through here, with its permission check.

Functions take a SQLAlchemy ``Session`` and a :class:`Clerk` (who is acting, with their archive
roles). Like the ledger they never commit: the caller owns the transaction. Every write and
every export, unsealing and search-sharing appends to the hash-chained audit log
(:func:`corridor.access.audit.append_audit`) in the same transaction; audit entries carry
hashes of states, never the text of a testimony or an identity.

One module per kind of operation: :mod:`~corridor.archive.records.common` (the clerk, the
permission check, the audit entry), :mod:`~corridor.archive.records.roles` (archive roles and
keys), :mod:`~corridor.archive.records.people` (people and consent),
:mod:`~corridor.archive.records.unsealing` (opening a sealed identity, with its limit on wrong
passphrases), :mod:`~corridor.archive.records.interviews` (interviews, transcripts and media),
:mod:`~corridor.archive.records.coding` (HURIDOCS events and exposure codes),
:mod:`~corridor.archive.records.review` (redaction review) and
:mod:`~corridor.archive.records.searches` (search and saved searches). This package names every
operation, as the one module did before: the pages, the command line, the exports and the
backups use the archive as one thing (``records.add_interview(...)``, ``records.unseal(...)``),
and need not know which module holds which operation.
"""

from corridor.archive.records.coding import (
    add_event,
    add_exposure,
    code_segments,
    events_of,
    exposures_of,
)
from corridor.archive.records.common import ADMIN, Clerk, clerk_for, new_public_id
from corridor.archive.records.interviews import (
    MAX_SEGMENT_CHARS,
    MAX_TRANSCRIPT_CHARS,
    add_interview,
    add_media,
    add_transcript,
    consents_of,
    get_interview,
    interviews_of,
    people_of,
    person_of,
    split_paragraphs,
)
from corridor.archive.records.people import add_person, get_person, set_consent
from corridor.archive.records.review import (
    current_review,
    record_review,
    redacted_segments,
    suggestions,
    transcript_hash,
)
from corridor.archive.records.roles import create_key, grant_role, org_key, revoke_role
from corridor.archive.records.searches import load_search, save_search, search
from corridor.archive.records.unsealing import (
    APART_WAIT_S,
    UNSEAL_PER_ORG,
    UNSEAL_PER_USER,
    UnsealPaused,
    unseal,
    unseal_paused,
)

__all__ = [
    "ADMIN", "APART_WAIT_S", "MAX_SEGMENT_CHARS", "MAX_TRANSCRIPT_CHARS", "UNSEAL_PER_ORG",
    "UNSEAL_PER_USER", "Clerk", "UnsealPaused", "add_event", "add_exposure", "add_interview",
    "add_media", "add_person", "add_transcript", "clerk_for", "code_segments", "consents_of",
    "create_key", "current_review", "events_of", "exposures_of", "get_interview", "get_person",
    "grant_role", "interviews_of", "load_search", "new_public_id", "org_key", "people_of", "person_of",
    "record_review", "redacted_segments", "revoke_role", "save_search", "search", "set_consent",
    "split_paragraphs", "suggestions", "transcript_hash", "unseal", "unseal_paused",
]
