"""Item 2.2: collisions that reveal a private schedule.

Organisation A keeps a shortwave slot private: its frequency, hours, days and target provinces
are what the North Korean state would most like to know (to jam it, or to find who listens).
A hostile editor of organisation B saves probing activities, each a little different in
frequency, hours, days or target, and reads ``GET /api/v1/overlaps`` and the ``/overlaps`` page.
When the answer carries numbers (the frequency gap, the minutes a week in common, the other
side's activity), a few dozen probes rebuild A's slot exactly.

What must hold: a slot B may not read is reported to B only as "a coalition member uses a slot
that collides with yours", for B's own saved activities, with no number, province or id of A's;
every such match is shown to A (who and when) on A's own overlaps page and answer, and written
to the audit log under A's organisation, so that probing is seen by its victim.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from corridor.access import audit, members
from corridor.access.rules import Role
from corridor.access.tables import AuditEntry, User
from corridor.coalition import ledger
from corridor.coalition.tables import ActivityRecord
from corridor.geo.names import PROVINCES
from corridor.store import session_scope
from tests.attacks.signin import sign_in
from tests.web.conftest import bearer

SITE = {"station": "Test", "lat": 37.221, "lon": 126.558, "power_kw": 100, "jammers": "none"}
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

#: A's private slot: 7590 kHz, 15:00–16:00 UTC on Monday, Wednesday and Friday, to the north-east.
SECRET_KHZ = 7590.0
SECRET_DAYS = {"mon", "wed", "fri"}
SECRET_HOURS = {15}
SECRET_PROVINCES = {"North Hamgyong", "Ryanggang"}
SECRET_ID = "a-night-service-42"


def _secret_slot(app, world):
    with session_scope(app.state.engine) as s:
        owner = members.actor_for(s, s.get(User, world["users"][("A", Role.OWNER)]))
        c = ledger.create_campaign(s, owner, org_id=world["orgs"]["A"], name="Night service",
                                   channel="radio", start_date=date(2026, 10, 25))
        ledger.add_activity(s, owner, c.id, {
            "id": SECRET_ID, "start": "2026-10-25T15:00:00Z", "end": "2027-03-28T16:00:00Z",
            "spec": {**SITE, "frequency_khz": SECRET_KHZ, "utc_start": "15:00", "utc_end": "16:00",
                     "days": sorted(SECRET_DAYS)},
            "provinces": sorted(SECRET_PROVINCES)})


def _probe(client, headers, cid, pid, khz, *, start="00:00", end="24:00", days=("daily",), provinces=()):
    r = client.post(f"/api/v1/campaigns/{cid}/activities", headers=headers, json={
        "id": pid, "start": "2026-11-02T00:00:00Z", "end": "2027-03-01T00:00:00Z",
        "spec": {**SITE, "frequency_khz": khz, "utc_start": start, "utc_end": end, "days": list(days)},
        "provinces": list(provinces)})
    assert r.status_code == 201, r.text
    return pid


def _probe_everything(client, world):
    """B's editor saves the probes of a methodical attacker; returns the probe plan."""
    headers = bearer(world["tokens"][("B", Role.EDITOR)])
    cid = client.post("/api/v1/campaigns", headers=headers, json={
        "org_id": world["orgs"]["B"], "name": "Test transmissions", "channel": "radio",
        "start_date": "2026-11-01"}).json()["id"]
    plan = {"coarse": _probe(client, headers, cid, "p-coarse", 7587.0),
            "fine": _probe(client, headers, cid, "p-fine", 7588.0),
            "days": {d: _probe(client, headers, cid, f"p-day-{d}", 7587.0, days=[d]) for d in DAYS},
            "hours": {h: _probe(client, headers, cid, f"p-hour-{h}", 7587.0, start=f"{h:02d}:00",
                                end=f"{h + 1:02d}:00") for h in range(24)},
            "provinces": {p: _probe(client, headers, cid, f"p-prov-{i}", 7587.0, provinces=[p])
                          for i, p in enumerate(PROVINCES)}}
    return headers, plan


def _recover(answer, plan):
    """What the attacker rebuilds from one overlaps answer (None where the answer holds no clue)."""
    lines = {}
    for line in answer["collisions"]:
        lines.setdefault(line.get("activity"), []).append(line)

    def gap(pid):
        for line in lines.get(pid, []):
            if isinstance(line.get("frequency_gap_khz"), (int, float)):
                return float(line["frequency_gap_khz"])
        return None

    def minutes(pid):
        for line in lines.get(pid, []):
            if isinstance(line.get("minutes_per_week"), (int, float)):
                return line["minutes_per_week"]
        return None

    g1, g2 = gap(plan["coarse"]), gap(plan["fine"])
    khz = None
    if g1 is not None and g2 is not None:
        both = {7587.0 - g1, 7587.0 + g1} & {7588.0 - g2, 7588.0 + g2}
        khz = both.pop() if len(both) == 1 else None
    days = {d for d, pid in plan["days"].items() if (minutes(pid) or 0) > 0} or None
    hours = {h for h, pid in plan["hours"].items() if (minutes(pid) or 0) > 0} or None
    provinces = {p for p, pid in plan["provinces"].items() if minutes(pid)} or None
    return {"khz": khz, "days": days, "hours": hours, "provinces": provinces,
            "weekly_minutes": minutes(plan["coarse"])}


def test_probing_activities_do_not_rebuild_a_private_slot(app, world, client):
    _secret_slot(app, world)
    headers, plan = _probe_everything(client, world)
    answer = client.get("/api/v1/overlaps", headers=headers).json()
    got = _recover(answer, plan)
    # Before the fix this rebuilt the slot exactly: 7590 kHz, Mon/Wed/Fri, 15 UTC, two provinces.
    assert got == {"khz": None, "days": None, "hours": None, "provinces": None, "weekly_minutes": None}

    # What B is told of A's slot: one line per probe that collides, no number, id or province.
    for line in answer["collisions"]:
        assert line["other_activity"] is None and set(line) <= {
            "org_id", "activity", "frequency_khz", "other_activity", "text", "shown"}
        assert line["text"].endswith("a coalition member uses a slot that collides with yours")
    flat = repr(answer)
    assert SECRET_ID not in flat and "7590" not in flat and "North Hamgyong" not in flat
    assert "minutes_per_week" not in flat and "frequency_gap_khz" not in flat

    # The page says the same and nothing more.
    assert sign_in(client, "editor-b").status_code == 303
    page = client.get("/overlaps?lang=en").text
    assert "a coalition member uses a slot that collides with yours" in page
    assert SECRET_ID not in page and "7590" not in page and "kHz apart" not in page and "min a week" not in page


def test_no_hypothetical_questions(app, world, client):
    """The answer is about saved activities only: a query naming a slot changes nothing."""
    _secret_slot(app, world)
    headers = bearer(world["tokens"][("B", Role.EDITOR)])
    plain = client.get("/api/v1/overlaps", headers=headers).json()
    asked = client.get("/api/v1/overlaps", headers=headers, params={
        "frequency_khz": SECRET_KHZ, "utc_start": "15:00", "utc_end": "16:00", "days": "mon"}).json()
    assert plain == asked and plain["collisions"] == []
    assert client.post("/api/v1/overlaps", headers=headers, json={"frequency_khz": SECRET_KHZ}).status_code in (401, 403, 404, 405)


def test_the_victim_sees_every_probe_that_matched(app, world, client):
    _secret_slot(app, world)
    headers_b, plan = _probe_everything(client, world)
    answer_b = client.get("/api/v1/overlaps", headers=headers_b).json()
    matched = {line["activity"] for line in answer_b["collisions"]}
    expected = ({plan["coarse"], plan["fine"]} | {plan["days"][d] for d in SECRET_DAYS}
                | {plan["hours"][h] for h in SECRET_HOURS} | {plan["provinces"][p] for p in SECRET_PROVINCES})
    assert matched == expected            # one bit per saved probe: that is all B learns ...

    # ... and A sees each of them: which of its slots, which organisation and activity, when.
    answer_a = client.get("/api/v1/overlaps", headers=bearer(world["tokens"][("A", Role.VIEWER)])).json()
    matches = answer_a["matches"]
    assert {m["by_activity"] for m in matches} == expected
    assert all(m["activity"] == SECRET_ID and m["by_organisation"] == "Sky Letters" and m["named"] and m["at"]
               for m in matches)

    assert sign_in(client, "viewer-a").status_code == 303
    page = client.get("/overlaps?lang=en").text
    assert 'id="matches"' in page and "Sky Letters" in page and "p-hour-15" in page

    # ... in the audit log too, under A's organisation (B's members cannot read it there).
    with session_scope(app.state.engine) as s:
        rows = s.execute(select(AuditEntry).where(AuditEntry.action == "collision.match")).scalars().all()
        assert len(rows) == len(expected) and {r.org_id for r in rows} == {world["orgs"]["A"]}
        assert audit.verify_audit(s)[1] is None       # the matches are chained like every entry

    # B sees no matches of its own (its probes collided with A, not the other way round).
    assert answer_b["matches"] == []


def test_decoy_slots_do_not_name_whoever_saves_a_schedule(app, world, client):
    """The reverse probe: B first saves a grid of private decoy slots, then waits for A to save its
    schedule (and edit it). The matches B's decoys collect must not name A or its activity: an
    organisation is named only once it has written several different colliding schedules."""
    headers_b = bearer(world["tokens"][("B", Role.EDITOR)])
    cid = client.post("/api/v1/campaigns", headers=headers_b, json={
        "org_id": world["orgs"]["B"], "name": "Decoys", "channel": "radio", "start_date": "2026-11-01"}).json()["id"]
    for khz in (7586.0, 7590.0, 7594.0):
        _probe(client, headers_b, cid, f"decoy-{khz:g}", khz)
    _secret_slot(app, world)
    with session_scope(app.state.engine) as s:                 # A edits its slot twice (same schedule)
        owner = members.actor_for(s, s.get(User, world["users"][("A", Role.OWNER)]))
        rec = s.execute(select(ActivityRecord).where(ActivityRecord.public_id == SECRET_ID)).scalar_one()
        for title in ("Night service", "Night service (winter)"):
            ledger.update_activity(s, owner, rec.id, {"title": title})
    answer_b = client.get("/api/v1/overlaps", headers=headers_b).json()
    assert len(answer_b["matches"]) == 9                       # every match is listed, with when and which decoy
    assert all(m["by_organisation"] is None and m["by_activity"] is None and not m["named"]
               for m in answer_b["matches"])
    assert "Free Voice" not in repr(answer_b) and SECRET_ID not in repr(answer_b)
    assert sign_in(client, "editor-b").status_code == 303
    page = client.get("/overlaps?lang=en").text
    assert "Free Voice" not in page and SECRET_ID not in page and "a coalition member, named once" in page


def test_shared_slots_are_shown_in_full(app, world, client):
    """A slot B may read (coalition-shared) is shown with its numbers; nothing is noted for it."""
    headers_a = bearer(world["tokens"][("A", Role.OWNER)])
    cid = client.post("/api/v1/campaigns", headers=headers_a, json={
        "org_id": world["orgs"]["A"], "name": "Shared", "channel": "radio", "start_date": "2026-11-01"}).json()["id"]
    _probe(client, headers_a, cid, "a-shared", 7590.0, start="15:00", end="16:00")
    assert client.post(f"/api/v1/campaigns/{cid}/share", headers=headers_a,
                       json={"visibility": "coalition"}).status_code == 200
    headers_b = bearer(world["tokens"][("B", Role.EDITOR)])
    cb = client.post("/api/v1/campaigns", headers=headers_b, json={
        "org_id": world["orgs"]["B"], "name": "Ours", "channel": "radio", "start_date": "2026-11-01"}).json()["id"]
    _probe(client, headers_b, cb, "b-evening", 7587.0, start="15:30", end="16:30")
    (line,) = client.get("/api/v1/overlaps", headers=headers_b).json()["collisions"]
    assert line["other_activity"] == "a-shared" and line["frequency_gap_khz"] == 3
    assert line["minutes_per_week"] == 7 * 30
    assert client.get("/api/v1/overlaps", headers=headers_a).json()["matches"] == []
