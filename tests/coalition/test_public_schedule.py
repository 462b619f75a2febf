"""A season of EiBi recorded as public activities of a reference organisation.

The fixture ``data/sked-a26.csv`` holds real rows of EiBi's summer 2026 file (ISO-8859-1, CRLF):
a KBS Hanminjok mediumwave broadcast, North Korea's own KCBS, a Shiokaze row whose site code the
table lacks, Unification Media Group (summer and winter rows), Free North Korea Radio, Voice of
America from Kuwait (beyond the model's range) and from the Philippines past midnight UTC, and
Radio Free Asia with start and stop dates. Shortwave schedule data: EiBi (Eike Bierwirth),
eibispace.de.
"""

from pathlib import Path

import pytest
from sqlalchemy import select

from corridor.access import Forbidden
from corridor.access.rules import Action, Actor, Role, allowed
from corridor.channels.radio import eibi
from corridor.coalition import coordination, ledger, public_schedule
from corridor.coalition.tables import ActivityRecord, Campaign
from corridor.errors import CorridorError
from corridor.store import session_scope

SKED = Path(__file__).parent / "data" / "sked-a26.csv"


def flat_power(_b, _site):
    return {"power_kw": 100.0, "assumed": True, "antenna": "isotropic", "gain_dbi": 0.0, "source": "test"}


def test_rows_keep_outside_broadcasts_and_name_what_is_left_out():
    rows = public_schedule.season_rows(eibi.read_season(SKED), power=flat_power)
    stations = sorted({r["spec"]["station"] for r in rows.rows})
    assert stations == ["Free North Korea Radio", "KBS Hanminjok", "Radio Free Asia", "Unification Media Group",
                        "Voice of America"]
    reasons = {(x["station"], x["reason"]) for x in rows.left_out}
    assert ("KCBS Pyongyang", "North Korea's own station, not an outside voice") in reasons
    assert ("Unification Media Group", "inactive in this season") in reasons        # a winter-only row
    assert ("Voice of America", "site beyond the radio model's range (7,000 km)") in reasons
    assert rows.unknown_sites == [{"station": "Shiokaze", "site": "J:y"}]


def test_a_broadcast_past_midnight_is_two_activities_on_the_right_days():
    rows = public_schedule.season_rows(eibi.read_season(SKED), power=flat_power)
    voa = sorted((r for r in rows.rows if r["spec"]["frequency_khz"] == 12130), key=lambda r: r["id"])
    assert [r["id"][-1] for r in voa] == ["a", "b"]
    evening, morning = voa
    assert (evening["spec"]["utc_start"], evening["spec"]["utc_end"]) == ("20:30", "24:00")
    assert (morning["spec"]["utc_start"], morning["spec"]["utc_end"]) == ("00:00", "01:30")
    assert evening["spec"]["days"] == ["mon", "tue", "wed", "thu", "fri"]
    assert morning["spec"]["days"] == ["tue", "wed", "thu", "fri", "sat"]        # the next UTC day
    # persistence 6, 25 June to 10 July: the part after midnight runs one day later
    assert evening["start"].startswith("2026-06-25") and evening["end"].startswith("2026-07-10")
    assert morning["start"].startswith("2026-06-26") and morning["end"].startswith("2026-07-11")


def test_dates_of_a_start_stop_broadcast_are_its_own():
    rows = public_schedule.season_rows(eibi.read_season(SKED), power=flat_power)
    rfa = next(r for r in rows.rows if r["spec"]["station"] == "Radio Free Asia")
    assert rfa["start"].startswith("2026-06-27") and rfa["end"].startswith("2026-10-25")
    assert "EiBi (Eike Bierwirth)" in rfa["spec"]["source"]


def _owner(org_id):
    return Actor(0, {org_id: Role.OWNER}, label="test")


def test_import_is_public_readable_by_every_member_and_replaced_on_reimport(engine, coalition):
    _, org = coalition[("Free Voice", Role.OWNER)]
    _, other = coalition[("Sky Letters", Role.VIEWER)]
    season = eibi.read_season(SKED)
    with session_scope(engine) as s:
        first = public_schedule.import_file(s, _owner(org), org, season)
    with session_scope(engine) as s:
        again = public_schedule.import_file(s, _owner(org), org, season)
    assert first["activities"] == again["activities"] == 6 and again["replaced"] == 1
    with session_scope(engine) as s:
        campaigns = s.execute(select(Campaign).where(Campaign.org_id == org)).scalars().all()
        assert [c.visibility for c in campaigns] == ["public"]
        assert s.query(ActivityRecord).filter_by(org_id=org).count() == 6
        reader = Actor(1, {other: Role.VIEWER})
        assert allowed(reader, Action.CAMPAIGN_VIEW, campaigns[0])
        assert ledger.get_campaign(s, reader, campaigns[0].id).name.startswith("Public schedule A26")


def test_a_member_sees_a_collision_with_a_public_broadcast_in_full(engine, coalition):
    _, org = coalition[("Free Voice", Role.OWNER)]
    _, other = coalition[("Sky Letters", Role.EDITOR)]
    with session_scope(engine) as s:
        public_schedule.import_file(s, _owner(org), org, eibi.read_season(SKED))
    editor = Actor(2, {other: Role.EDITOR})
    with session_scope(engine) as s:
        camp = ledger.create_campaign(s, editor, org_id=other, name="Our evening", channel="radio",
                                      start_date=__import__("datetime").date(2026, 7, 1))
        ledger.add_activity(s, editor, camp.id, {
            "id": "ours", "start": "2026-07-01T20:00:00Z", "end": "2026-07-31T21:00:00Z", "title": "ours",
            "spec": {"station": "Our radio", "lat": 41.3, "lon": 69.2, "power_kw": 100, "frequency_khz": 7615,
                     "utc_start": "20:30", "utc_end": "21:00"}})
    with session_scope(engine) as s:
        answer = coordination.overlaps_for(s, editor)
    text = repr(answer)
    assert "7615" in text and "eibi-A26" in text          # the public slot is named, not hidden


def test_an_editor_cannot_publish_a_public_schedule(engine, coalition):
    _, org = coalition[("Free Voice", Role.EDITOR)]
    with session_scope(engine) as s, pytest.raises(Forbidden):
        public_schedule.import_file(s, Actor(3, {org: Role.EDITOR}), org, eibi.read_season(SKED))
    with session_scope(engine) as s:
        assert s.query(Campaign).filter_by(org_id=org).count() == 0


def test_a_file_that_is_not_a_season_is_refused_by_name(tmp_path):
    with pytest.raises(CorridorError) as err:
        public_schedule.read_upload(b"id,channel\n1,radio\n", "ledger.csv")
    assert "ledger.csv" in str(err.value) and "header" in str(err.value)
    with pytest.raises(CorridorError) as err:
        public_schedule.read_upload(b"x" * (public_schedule.MAX_BYTES + 1), "big.csv")
    assert "larger" in str(err.value)


def test_public_broadcasts_are_the_landscape_not_the_coalitions_reach(engine, coalition):
    """Another broadcaster's schedule is not counted as the coalition's work in an assessment."""
    from corridor.assess.items import items_from_ledger

    _, org = coalition[("Free Voice", Role.OWNER)]
    _, other = coalition[("Sky Letters", Role.VIEWER)]
    with session_scope(engine) as s:
        public_schedule.import_file(s, _owner(org), org, eibi.read_season(SKED))
    with session_scope(engine) as s:
        assert items_from_ledger(s, scope="readable", actor=Actor(1, {other: Role.VIEWER})) == []
        assert items_from_ledger(s, scope="all") == []
        assert items_from_ledger(s, scope="published") == []
        assert len(items_from_ledger(s, scope="readable", actor=_owner(org))) == 6   # its own still count
