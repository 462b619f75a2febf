"""Content themes on activities: the contract, activity files, the ledger (with its audit log),
HXL exchange and the migration that adds the column, on a real SQLite database."""

from datetime import date

import pytest
import sqlalchemy as sa

from corridor.access import audit
from corridor.access.members import state
from corridor.access.rules import Role, Visibility
from corridor.access.tables import AuditEntry
from corridor.channels.base import Activity, parse_activity
from corridor.channels.files import read_activity
from corridor.coalition import exchange, hxl, ledger
from corridor.coalition.tables import ActivityRecord
from corridor.errors import CorridorError
from corridor.store import current_revision, make_engine, session_scope, upgrade
from tests.coalition.conftest import LS, actor


def make_campaign(engine, people, org="Free Voice"):
    with session_scope(engine) as s:
        a = actor(s, people, org, Role.EDITOR)
        c = ledger.create_campaign(s, a, org_id=people[(org, Role.EDITOR)][1], name="Border sound",
                                   channel="loudspeaker", start_date=date(2024, 6, 1))
        return c.id


# --------------------------------------------------------------------------- the contract


def test_an_activity_carries_themes_in_the_vocabularys_order():
    a = Activity.create("loudspeaker", LS, id="x", start="2024-06-01T22:00:00+09:00",
                        themes="religion; world_news:0.25")
    assert a.themes == {"world_news": 0.25, "religion": None}
    assert Activity.create("loudspeaker", LS, id="y", start="2024-06-01T22:00:00+09:00").themes == {}
    # validated again when made from a mapping directly
    assert Activity.model_validate({"id": "z", "channel": "loudspeaker", "start": "2024-06-01T22:00",
                                    "spec": LS, "themes": ["entertainment"]}).themes == {"entertainment": None}


def test_a_misspelt_theme_names_the_file_field_and_nearest_codes():
    with pytest.raises(CorridorError) as err:
        parse_activity({"id": "x", "channel": "loudspeaker", "start": "2024-06-01T22:00", "spec": LS,
                        "themes": {"wrld_news": 0.5}}, source="plan.yaml")
    text = str(err.value)
    assert text.startswith("plan.yaml: themes='wrld_news'") and "'world_news'" in text


@pytest.mark.parametrize("themes, field", [({"religion": 1.5}, "themes.religion"),
                                           ({"religion": 0.7, "world_news": 0.6}, "themes")])
def test_shares_above_one_are_refused_naming_the_field(themes, field):
    with pytest.raises(CorridorError) as err:
        Activity.create("loudspeaker", LS, id="x", start="2024-06-01T22:00", themes=themes)
    assert err.value.field == field


def test_activity_files_carry_themes(tmp_path):
    path = tmp_path / "night.yaml"
    path.write_text("channel: loudspeaker\nstart: 2024-06-01T22:00:00+09:00\n"
                    "spec: {lon: 126.7, lat: 37.9, sound_power_db: 160}\n"
                    "themes: {south_korea_news: 0.5, entertainment: 0.5}\n", encoding="utf-8")
    assert read_activity(path).themes == {"south_korea_news": 0.5, "entertainment": 0.5}
    path.write_text(path.read_text(encoding="utf-8").replace("entertainment", "entertainmnet"), encoding="utf-8")
    with pytest.raises(CorridorError) as err:
        read_activity(path)
    assert str(path) in str(err.value) and "themes" in str(err.value) and "'entertainment'" in str(err.value)


# --------------------------------------------------------------------------- the ledger


def test_the_ledger_stores_edits_and_audits_themes(engine, coalition):
    cid = make_campaign(engine, coalition)
    with session_scope(engine) as s:
        a = actor(s, coalition, "Free Voice", Role.EDITOR)
        rec = ledger.add_activity(s, a, cid, {"id": "ls-1", "start": "2024-06-01T22:00:00+09:00", "spec": LS,
                                              "themes": {"family_messages": 0.4, "testimonies": None}})
        plain = ledger.add_activity(s, a, cid, {"id": "ls-2", "start": "2024-06-02T22:00:00+09:00", "spec": LS})
        rid, plain_id = rec.id, plain.id
    with session_scope(engine) as s:
        a = actor(s, coalition, "Free Voice", Role.VIEWER)
        assert ledger.get_activity(s, a, rid).themes == {"family_messages": 0.4, "testimonies": None}
        assert ledger.get_activity(s, a, plain_id).themes is None       # none given: NULL, as old rows
    with session_scope(engine) as s:
        a = actor(s, coalition, "Free Voice", Role.EDITOR)
        ledger.update_activity(s, a, rid, {"title": "renamed"})        # themes kept when not given
        assert ledger.get_activity(s, a, rid).themes == {"family_messages": 0.4, "testimonies": None}
        ledger.update_activity(s, a, rid, {"themes": "religion:1"})
    with session_scope(engine) as s:
        edit = s.execute(sa.select(AuditEntry).where(AuditEntry.action == "activity.edit")
                         .order_by(AuditEntry.seq.desc())).scalars().first()
        rec = s.get(ActivityRecord, rid)
        assert rec.themes == {"religion": 1.0}
        # the entry vouches for the row as it is, themes included
        assert edit.row_hash == audit.row_hash(ActivityRecord.__table__, state(rec))
        assert audit.audit_report(s).ok
    with engine.begin() as conn:          # themes changed behind the ledger's back are caught
        conn.execute(sa.update(ActivityRecord.__table__).where(ActivityRecord.__table__.c.id == rid)
                     .values(themes={"democracy_rights": 1.0}))
    with session_scope(engine) as s:
        assert any(p.entity == "activity" and p.entity_id == str(rid) for p in audit.audit_report(s).rows)


def test_a_bad_theme_writes_nothing(engine, coalition):
    cid = make_campaign(engine, coalition)
    with pytest.raises(CorridorError) as err, session_scope(engine) as s:
        a = actor(s, coalition, "Free Voice", Role.EDITOR)
        ledger.add_activity(s, a, cid, {"id": "ok", "start": "2024-06-01T22:00", "spec": LS})
        ledger.add_activity(s, a, cid, {"id": "bad", "start": "2024-06-02T22:00", "spec": LS,
                                        "themes": {"religion": 0.6, "unknown": None}})
    assert err.value.field == "themes"
    with session_scope(engine) as s:
        assert s.scalar(sa.select(sa.func.count(ActivityRecord.id))) == 0


# --------------------------------------------------------------------------- HXL


def test_themes_round_trip_through_hxl(engine, coalition, tmp_path):
    cid = make_campaign(engine, coalition)
    with session_scope(engine) as s:
        owner = actor(s, coalition, "Free Voice", Role.OWNER)
        ledger.add_activity(s, owner, cid, {"id": "ls-1", "start": "2024-06-01T22:00:00+09:00", "spec": LS,
                                            "themes": {"world_news": 0.6, "entertainment": None}})
        ledger.add_activity(s, owner, cid, {"id": "ls-2", "start": "2024-06-02T22:00:00+09:00", "spec": LS})
        ledger.set_visibility(s, owner, cid, Visibility.COALITION)
    with session_scope(engine) as s:
        reader = actor(s, coalition, "Sky Letters", Role.OWNER)
        path = hxl.write_hxl(exchange.export_rows(s, reader), tmp_path / "ledger.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "#activity +themes" in lines[1].split(",")
    assert "world_news:0.6;entertainment" in lines[2].split(",")
    rows = hxl.read_hxl(path)
    assert [r.get("themes") for r in rows] == [{"world_news": 0.6, "entertainment": None}, None]
    for r in rows:
        r["id"] = "copy-" + r["id"]
    with session_scope(engine) as s:
        owner = actor(s, coalition, "Sky Letters", Role.OWNER)
        exchange.import_rows(s, owner, coalition[("Sky Letters", Role.OWNER)][1], rows, source="ledger.csv")
    with session_scope(engine) as s:
        got = dict(s.execute(sa.select(ActivityRecord.public_id, ActivityRecord.themes)
                             .where(ActivityRecord.public_id.like("copy-%"))).all())
    assert got == {"copy-ls-1": {"world_news": 0.6, "entertainment": None}, "copy-ls-2": None}


@pytest.mark.parametrize("cell, words", [("wrold_news", "'world_news'"), ("religion:2", "themes.religion"),
                                         ("religion:0.6;world_news:0.6", "more than 1")])
def test_a_bad_themes_cell_names_the_row_and_column(tmp_path, cell, words):
    path = tmp_path / "in.csv"
    path.write_text("#activity+id,#sector+channel,#date+start,#activity+themes\n"
                    "a,loudspeaker,2024-01-01,world_news\n"
                    f"b,loudspeaker,2024-01-02,{cell}\n", encoding="utf-8")
    with pytest.raises(CorridorError) as err:
        hxl.read_hxl(path, source="in.csv")
    text = str(err.value)
    assert text.startswith("in.csv: row 3 #activity +themes=") and words in text


# --------------------------------------------------------------------------- the migration


def test_migration_adds_and_removes_the_column_keeping_old_rows(db_url):
    upgrade(db_url, "0006_audit_rows")
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO organisation (id, name, created_at) VALUES (1, 'Old', '2024-01-01')"))
            conn.execute(sa.text(
                "INSERT INTO campaign (id, org_id, name, channel, goal, start_date, budget_currency, visibility,"
                " created_at, updated_at) VALUES (1, 1, 'c', 'loudspeaker', '', '2024-06-01', 'USD', 'private',"
                " '2024-01-01', '2024-01-01')"))
            conn.execute(sa.text(
                "INSERT INTO activity (id, public_id, campaign_id, org_id, channel, title, start, spec, provinces,"
                " cost_currency, created_at, updated_at) VALUES (1, 'old-1', 1, 1, 'loudspeaker', '',"
                " '2024-06-01 13:00:00', '{}', '[]', 'USD', '2024-01-01', '2024-01-01')"))
        assert "themes" not in {c["name"] for c in sa.inspect(engine).get_columns("activity")}
        assert upgrade(db_url, "0007_activity_themes") == "0007_activity_themes"
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT public_id, themes FROM activity")).all() == [("old-1", None)]
            conn.execute(sa.text("UPDATE activity SET themes = '{\"religion\": null}'"))   # a literal: JSON on PostgreSQL too
            conn.commit()
        from alembic import command

        from corridor.store.migrate import alembic_config

        with engine.begin() as conn:
            cfg = alembic_config(db_url)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0006_audit_rows")
        assert current_revision(db_url) == "0006_audit_rows"
        assert "themes" not in {c["name"] for c in sa.inspect(engine).get_columns("activity")}
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT public_id FROM activity")).scalars().all() == ["old-1"]
    finally:
        engine.dispose()
