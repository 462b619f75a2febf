"""Pure coalition rules: permissions, the audit chain, currency."""

from datetime import date

import pytest

from corridor.access.audit import GENESIS, entry_hash, state_hash, verify_chain
from corridor.access.rules import (
    CAMPAIGNS,
    Action,
    Actor,
    Role,
    Visibility,
    allowed,
    can_grant,
)
from corridor.coalition.currency import to_usd
from corridor.errors import CorridorError

OWN, OTHER = 1, 2


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("action", list(Action))
def test_permission_matrix(role, visibility, action):
    member = Actor(10, {OWN: role})
    outsider = Actor(11, {OTHER: role})
    # Inside the organisation, the role decides; visibility does not restrict the owners of a record.
    assert allowed(member, action, org_id=OWN, visibility=visibility) == (action in CAMPAIGNS.own[role])
    # Outside it, only reading, and only what the visibility lets out; never a write.
    got = allowed(outsider, action, org_id=OWN, visibility=visibility)
    assert got == (action in CAMPAIGNS.foreign[visibility])
    if visibility is Visibility.PRIVATE:
        assert not got
    if action in {Action.CAMPAIGN_EDIT, Action.CAMPAIGN_DELETE, Action.CAMPAIGN_SHARE,
                  Action.ORG_MANAGE_MEMBERS, Action.AUDIT_VIEW}:
        assert not got
    # Someone in no organisation sees nothing.
    assert not allowed(Actor(12, {}), action, org_id=OWN, visibility=visibility)


def test_roles_are_nested():
    assert CAMPAIGNS.own[Role.VIEWER] < CAMPAIGNS.own[Role.EDITOR] < CAMPAIGNS.own[Role.OWNER]


def test_an_owner_never_grants_more_than_they_hold():
    owner = Actor(1, {OWN: Role.OWNER, OTHER: Role.EDITOR})
    assert can_grant(owner, OWN, Role.OWNER)
    assert can_grant(owner, OWN, Role.VIEWER)
    assert not can_grant(owner, OTHER, Role.VIEWER)      # only an editor there
    assert not can_grant(Actor(2, {OWN: Role.EDITOR}), OWN, Role.VIEWER)
    assert not can_grant(Actor(3, {}), OWN, Role.VIEWER)


def _chain(n):
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        fields = {"seq": seq, "actor": "alice", "action": "campaign.edit", "entity": "campaign",
                  "entity_id": seq, "at": f"2026-01-0{seq}T10:00:00Z",
                  "before": state_hash({"budget": seq}), "after": state_hash({"budget": seq + 1})}
        h = entry_hash(prev, fields)
        entries.append({**fields, "prev_hash": prev, "hash": h})
        prev = h
    return entries


def test_audit_chain_detects_edits_deletions_and_reordering():
    entries = _chain(5)
    assert verify_chain(entries) is None
    tampered = [dict(e) for e in entries]
    tampered[2]["actor"] = "mallory"
    assert verify_chain(tampered).seq == 3
    assert verify_chain(entries[:2] + entries[3:]).seq == 3
    assert verify_chain([entries[1], entries[0]] + entries[2:]).seq == 1
    # Recomputing one entry's hash does not help: the next entry no longer follows it.
    forged = [dict(e) for e in entries]
    forged[1]["actor"] = "mallory"
    forged[1]["hash"] = entry_hash(forged[1]["prev_hash"], {k: v for k, v in forged[1].items()
                                                             if k not in {"hash", "prev_hash"}})
    assert verify_chain(forged).seq == 3


def test_row_fields_join_the_hash_only_when_recorded():
    """Entries from before row hashes keep their hash; a recorded row hash cannot be swapped."""
    from corridor.access.tables import AuditEntry

    old = AuditEntry(seq=1, at="2026-01-01T10:00:00+00:00", actor="alice", org_id=1, action="campaign.edit",
                     entity="campaign", entity_id="1", before=None, after=None)
    assert "row_hash" not in old.fields() and "row_pk" not in old.fields()
    new = AuditEntry(**{**old.fields(), "row_pk": "1", "row_hash": "a" * 64})
    assert new.fields()["row_hash"] == "a" * 64
    assert entry_hash(GENESIS, new.fields()) != entry_hash(GENESIS, old.fields())
    entries = [{**old.fields(), "prev_hash": GENESIS, "hash": entry_hash(GENESIS, old.fields())}]
    second = {**new.fields(), "seq": 2}
    entries.append({**second, "prev_hash": entries[0]["hash"], "hash": entry_hash(entries[0]["hash"], second)})
    assert verify_chain(entries) is None                     # old and new entries mixed in one log
    entries[1] = {**entries[1], "row_hash": "b" * 64}
    assert verify_chain(entries).seq == 2


def test_row_hash_leaves_out_only_the_listed_columns():
    from corridor.access.audit import (
        ONUPDATE_REASON,
        UNAUDITED_COLUMNS,
        excluded_columns,
        row_hash,
    )
    from corridor.access.tables import ApiToken, User
    from corridor.coalition.tables import Campaign

    assert excluded_columns(Campaign.__table__) == {"updated_at": ONUPDATE_REASON}
    assert set(excluded_columns(User.__table__)) == set(UNAUDITED_COLUMNS["user_account"]) == {"totp_last_step"}
    assert set(excluded_columns(ApiToken.__table__)) == {"last_used_at"}
    table = User.__table__
    row = {c.name: None for c in table.columns} | {"id": 1, "username": "kim", "password_hash": "h",
                                                     "totp_secret": b"sealed", "active": True}
    base = row_hash(table, row)
    assert row_hash(table, {**row, "totp_last_step": 123}) == base
    for column, value in (("password_hash", "other"), ("totp_secret", b"other"), ("active", False),
                          ("username", "lee")):
        assert row_hash(table, {**row, column: value}) != base, column


def test_anchor_checks_name_truncation_and_rewriting():
    from corridor.access.audit import Anchor, check_anchor
    from corridor.access.tables import AuditEntry

    log = [AuditEntry(seq=e["seq"], hash=e["hash"]) for e in _chain(5)]
    first = log[0].hash
    assert check_anchor(log, Anchor(5, log[4].hash, first, "2026-01-01T00:00:00+00:00")) is None
    assert check_anchor(log, Anchor(3, log[2].hash, first, "2026-01-01T00:00:00+00:00")) is None
    assert "truncated" in check_anchor(log[:3], Anchor(5, log[4].hash, first, "2026-01-01T00:00:00+00:00"))
    assert "rewritten" in check_anchor(log, Anchor(5, "f" * 64, first, "2026-01-01T00:00:00+00:00"))
    assert "another audit log" in check_anchor(log, Anchor(5, log[4].hash, "e" * 64, "2026-01-01T00:00:00+00:00"))


def test_currency_conversion():
    c = to_usd(1_364_000, "krw", date(2024, 5, 1))
    assert c.usd == pytest.approx(1000.0) and c.rate_year == 2024 and c.note == ""
    later = to_usd(1_364_000, "KRW", date(2026, 3, 1))
    assert later.rate_year == 2024 and "2026" in later.note
    with pytest.raises(CorridorError, match="unknown currency"):
        to_usd(1, "XYZ", date(2024, 1, 1))
    with pytest.raises(CorridorError, match="negative"):
        to_usd(-5, "USD", date(2024, 1, 1))
