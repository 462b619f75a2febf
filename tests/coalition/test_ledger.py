"""The ledger against a real (migrated) SQLite database."""

from datetime import date

import pytest
from sqlalchemy import text

from corridor import access
from corridor.access import audit, members
from corridor.access.rules import Role, Visibility
from corridor.access.tables import Organisation
from corridor.coalition import aggregates, exchange, ledger
from corridor.coalition.tables import ActivityRecord
from corridor.errors import CorridorError
from corridor.store import session_scope
from tests.coalition.conftest import LS, actor


def make_campaign(engine, people, org="Free Voice"):
    with session_scope(engine) as s:
        a = actor(s, people, org, Role.EDITOR)
        c = ledger.create_campaign(s, a, org_id=people[(org, Role.EDITOR)][1], name="Border sound",
                                   channel="loudspeaker", start_date=date(2024, 6, 1),
                                   budget_amount=1_364_000, budget_currency="KRW")
        ledger.add_activity(s, a, c.id, {"id": "ls-1", "start": "2024-06-01T22:00:00+09:00",
                                          "spec": LS, "provinces": ["Kaesong"]})
        return c.id


def test_private_until_shared_and_never_writable_by_others(engine, coalition):
    cid = make_campaign(engine, coalition)
    with session_scope(engine) as s:
        other = actor(s, coalition, "Sky Letters", Role.OWNER)
        assert ledger.visible_campaigns(s, other) == []
        with pytest.raises(access.NotFound):
            ledger.get_campaign(s, other, cid)
        owner = actor(s, coalition, "Free Voice", Role.OWNER)
        c = ledger.get_campaign(s, owner, cid)
        assert c.budget_usd == pytest.approx(1000.0)
        assert c.activities[0].provinces == ["North Hwanghae"]  # Kaesong is in North Hwanghae (2008)
        ledger.set_visibility(s, owner, cid, Visibility.COALITION)
    with session_scope(engine) as s:
        other = actor(s, coalition, "Sky Letters", Role.VIEWER)
        assert [c.id for c in ledger.visible_campaigns(s, other)] == [cid]
        with pytest.raises(access.Forbidden):
            ledger.update_campaign(s, other, cid, name="mine now")
        with pytest.raises(access.Forbidden):
            ledger.set_visibility(s, actor(s, coalition, "Sky Letters", Role.OWNER), cid, Visibility.PRIVATE)


def test_roles_inside_an_organisation(engine, coalition):
    cid = make_campaign(engine, coalition)
    with session_scope(engine) as s:
        viewer = actor(s, coalition, "Free Voice", Role.VIEWER)
        assert ledger.get_campaign(s, viewer, cid).name == "Border sound"
        with pytest.raises(access.Forbidden):
            ledger.update_campaign(s, viewer, cid, name="x")
        editor = actor(s, coalition, "Free Voice", Role.EDITOR)
        with pytest.raises(access.Forbidden):
            ledger.set_visibility(s, editor, cid, Visibility.COALITION)   # sharing is the owner's call
        ledger.update_campaign(s, editor, cid, name="Border sound 2")


def test_owner_cannot_grant_more_than_held(engine, coalition):
    with session_scope(engine) as s:
        editor = actor(s, coalition, "Free Voice", Role.EDITOR)
        newbie = members.create_user(s, "newbie@fv", "another long phrase")
        org = s.get(Organisation, coalition[("Free Voice", Role.EDITOR)][1])
        with pytest.raises(access.Forbidden):
            members.set_membership(s, newbie, org, Role.OWNER, granter=editor)
        owner = actor(s, coalition, "Free Voice", Role.OWNER)
        members.set_membership(s, newbie, org, Role.EDITOR, granter=owner)


def test_invalid_activity_writes_nothing(engine, coalition):
    cid = make_campaign(engine, coalition)
    with pytest.raises(CorridorError) as err:
        with session_scope(engine) as s:
            a = actor(s, coalition, "Free Voice", Role.EDITOR)
            ledger.add_activity(s, a, cid, {"id": "ls-2", "start": "2024-06-02T22:00", "spec": LS})
            ledger.add_activity(s, a, cid, {"id": "ls-3", "start": "2024-06-03T22:00",
                                            "spec": {**LS, "sound_power_db": -1}})
    assert "spec.sound_power_db" in str(err.value)
    with session_scope(engine) as s:
        assert [r.public_id for r in s.query(ActivityRecord).all()] == ["ls-1"]


def test_aggregates_suppress_small_cells(engine, coalition):
    cid = make_campaign(engine, coalition)
    with session_scope(engine) as s:
        owner = actor(s, coalition, "Free Voice", Role.OWNER)
        assert aggregates.aggregates(s, owner) == []          # nothing published yet
        ledger.set_visibility(s, owner, cid, Visibility.AGGREGATE)
        for i in range(3):
            ledger.add_activity(s, owner, cid, {"id": f"agg-{i}", "start": "2024-07-0%dT22:00+09:00" % (i + 1),
                                                "spec": LS, "provinces": ["Kangwon"]})
    with session_scope(engine) as s:
        own = {(r["province"], r["month"]): r
               for r in aggregates.aggregates(s, actor(s, coalition, "Free Voice", Role.VIEWER))}
        assert own[("Kangwon", "2024-07")]["readable"] == 3 and own[("Kangwon", "2024-07")]["others"] is None
        # One organisation alone never shows another its counts, nor does the server to nobody.
        assert aggregates.aggregates(s, actor(s, coalition, "Sky Letters", Role.VIEWER)) == []
        assert aggregates.aggregates(s) == []


def test_audit_chain_records_every_write_and_detects_tampering(engine, coalition):
    make_campaign(engine, coalition)
    with session_scope(engine) as s:
        n, broken = audit.verify_audit(s)
        assert broken is None and n >= 10          # orgs, users, memberships, campaign, activity
        actions = [e.action for e in audit.iter_audit(s)]
        assert actions[-2:] == ["campaign.create", "activity.create"]
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'user:999' WHERE seq = 3"))
    with session_scope(engine) as s:
        assert audit.verify_audit(s)[1].seq == 3


def test_import_is_all_or_nothing(engine, coalition):
    rows = [{"_row": 3, "id": "imp-1", "channel": "loudspeaker", "start": "2024-05-01T21:00:00+09:00",
             "spec": LS, "provinces": ["Kangwon"]},
            {"_row": 4, "id": "imp-2", "channel": "loudspeaker", "start": "2024-05-02T21:00:00+09:00",
             "spec": {**LS, "band_hz": 123}}]
    with pytest.raises(CorridorError) as err:
        with session_scope(engine) as s:
            owner = actor(s, coalition, "Sky Letters", Role.OWNER)
            exchange.import_rows(s, owner, coalition[("Sky Letters", Role.OWNER)][1], rows, source="in.csv")
    assert "in.csv row 4" in str(err.value) and "spec.band_hz" in str(err.value)
    with session_scope(engine) as s:
        assert ledger.counts(s)["activities"] == 0
        owner = actor(s, coalition, "Sky Letters", Role.OWNER)
        report = exchange.import_rows(s, owner, coalition[("Sky Letters", Role.OWNER)][1], rows[:1], source="in.csv")
        assert report == {"activities": 1, "campaigns": 1}


RADIO = {"station": "T", "lat": 37.221, "lon": 126.558, "power_kw": 100, "frequency_khz": 1188,
         "utc_start": "15:00", "utc_end": "16:00"}


@pytest.mark.parametrize("value", ["/etc/passwd", "../secrets.yaml", "jammers.yaml", "~/x", "Makefile"])
def test_specs_cannot_make_the_server_read_files(engine, coalition, value):
    with session_scope(engine) as s:
        a = actor(s, coalition, "Free Voice", Role.EDITOR)
        cid = ledger.create_campaign(s, a, org_id=coalition[("Free Voice", Role.EDITOR)][1], name="R",
                                     channel="radio", start_date=date(2024, 6, 1)).id
    with pytest.raises(CorridorError, match="accepts only default, none") as err:
        with session_scope(engine) as s:
            a = actor(s, coalition, "Free Voice", Role.EDITOR)
            ledger.add_activity(s, a, cid, {"id": "x", "start": "2024-06-02T15:00Z",
                                            "spec": {**RADIO, "jammers": value}})
    assert err.value.field == "spec.jammers"