"""Issue 15, item 2.10: guessing the archive key's passphrase on the server.

When an organisation keeps its private key on the server wrapped under a passphrase, a reviewer
opens one identity by typing it. A stolen reviewer account (or a hostile reviewer) could guess
that passphrase through the page, one Argon2id check per request. The attack: guess over HTTP.
After the limit, every attempt is refused before the passphrase is tried, the right one
included, until the window passes (otherwise the limit would only slow the guessing, and the
answer to the right guess would still tell the attacker they found it); and every failure is in
the audit log, committed even though the request answered with an error.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from corridor.access import members
from corridor.access.rules import ArchiveRole, Role
from corridor.access.tables import AuditEntry, Failure, Organisation, User
from corridor.archive import records, sealing
from corridor.archive.tables import ArchivePerson
from corridor.store import session_scope
from tests.archive.conftest import KEY_PASSPHRASE, fast_kdf  # noqa: F401  (cheap Argon2id)
from tests.attacks.signin import sign_in as login
from tests.web.conftest import PASSWORD, csrf_of

SECRET_NAME = "박은별"


@pytest.fixture()
def sealed(app, world):
    """Organisation A keeps its key wrapped on the server; one witness with a sealed identity;
    three reviewers (two existing members and a new one)."""
    with session_scope(app.state.engine) as s:
        org = s.get(Organisation, world["orgs"]["A"])
        records.create_key(s, org.id, passphrase=KEY_PASSPHRASE)
        person = records.add_person(s, records.ADMIN, org.id, pseudonym="Witness 3", identity={"name": SECRET_NAME})
        iv = records.add_interview(s, records.ADMIN, person, interviewer="staff", interviewed_on="2024-05-02",
                                   transcripts=[{"lang": "ko", "original": True, "text": "증언"}])
        third = members.create_user(s, "reviewer-3", PASSWORD)
        members.set_membership(s, third, org, Role.VIEWER)
        for name in ("viewer-a", "editor-a", "reviewer-3"):
            user = s.execute(sa.select(User).where(User.username == name)).scalar_one()
            records.grant_role(s, user, org, ArchiveRole.REVIEWER)
        return iv.public_id


def _client(app, username):
    client = TestClient(app)
    assert login(client, username).status_code == 303
    return client


def _try(client, iv, passphrase):
    csrf = csrf_of(client.get(f"/archive/interviews/{iv}").text)
    return client.post(f"/archive/interviews/{iv}/unseal", data={"csrf": csrf, "passphrase": passphrase})


def _actions(engine, action):
    with session_scope(engine) as s:
        return s.execute(sa.select(AuditEntry).where(AuditEntry.action == action)).scalars().all()


def _age_failures(engine, minutes):
    with session_scope(engine) as s:
        s.execute(sa.update(Failure).values(at=datetime.now(UTC) - timedelta(minutes=minutes)))


def test_guessing_is_stopped_and_every_failure_audited(app, world, sealed):
    reviewer = _client(app, "viewer-a")
    guesses = [f"guess number {i} of many" for i in range(records.UNSEAL_PER_USER.limit)]
    for guess in guesses:
        r = _try(reviewer, sealed, guess)
        assert r.status_code == 403 and "wrong passphrase" in r.text and SECRET_NAME not in r.text
    # the limit is reached: the right passphrase is refused too, before it is tried
    r = _try(reviewer, sealed, KEY_PASSPHRASE)
    assert r.status_code == 429 and SECRET_NAME not in r.text
    failed = _actions(app.state.engine, "archive.unseal.failed")
    assert len(failed) == len(guesses)
    assert {e.actor for e in failed} == {f"user:{world['users'][('A', Role.VIEWER)]}"}
    assert {e.org_id for e in failed} == {world["orgs"]["A"]}
    assert len(_actions(app.state.engine, "archive.unseal.refused")) == 1
    assert not _actions(app.state.engine, "archive.unseal")
    # no passphrase (guessed or right) is written anywhere in the database
    with app.state.engine.connect() as conn:
        cells = " ".join(str(v) for t in ("audit_log", "access_failure")
                         for row in conn.execute(sa.text(f"SELECT * FROM {t}")) for v in row)
    assert not any(g in cells for g in guesses) and KEY_PASSPHRASE not in cells
    # after the window, the reviewer with the right passphrase opens the identity
    _age_failures(app.state.engine, records.UNSEAL_PER_USER.window_s / 60 + 1)
    r = _try(reviewer, sealed, KEY_PASSPHRASE)
    assert r.status_code == 200 and SECRET_NAME in r.text
    assert len(_actions(app.state.engine, "archive.unseal")) == 1


def test_several_reviewer_accounts_share_the_organisation_limit(app, world, sealed):
    """Stolen accounts of several reviewers do not multiply the guesses against one key."""
    per_user, per_org = records.UNSEAL_PER_USER.limit, records.UNSEAL_PER_ORG.limit
    assert per_org < 2 * per_user + 1
    guesses = 0
    for name in ("viewer-a", "editor-a"):
        c = _client(app, name)
        for i in range(per_user):
            if guesses >= per_org:
                break
            assert _try(c, sealed, f"{name} guess {i} xxxx").status_code == 403
            guesses += 1
    third = _client(app, "reviewer-3")
    r = _try(third, sealed, KEY_PASSPHRASE)
    assert r.status_code == 429 and SECRET_NAME not in r.text


def test_failures_are_kept_when_the_caller_rolls_back(app, world, sealed):
    """The library records a failure in a transaction of its own: a caller's rollback keeps it."""
    engine = app.state.engine
    with pytest.raises(sealing.WrongPassphrase), session_scope(engine) as s:
        user = s.execute(sa.select(User).where(User.username == "viewer-a")).scalar_one()
        iv = records.get_interview(s, records.clerk_for(s, user), sealed)
        person = s.get(ArchivePerson, iv.person_id)
        records.unseal(s, records.clerk_for(s, user), person, passphrase="a wrong pass phrase")
    with session_scope(engine) as s:
        assert s.execute(sa.select(sa.func.count(Failure.id))).scalar() == 2   # per user and per organisation
    assert len(_actions(engine, "archive.unseal.failed")) == 1
    with session_scope(engine) as s:
        from corridor.access.audit import verify_audit

        assert verify_audit(s)[1] is None
