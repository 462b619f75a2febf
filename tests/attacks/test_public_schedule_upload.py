"""Uploading a public broadcast schedule (an EiBi season file) on the Organisations page.

Only an owner may publish a season as public activities of their organisation; an editor, an
owner of another organisation and a forged form are refused before the file is read, and a file
that is not a season is refused by name, with nothing written and nothing of it echoed. What an
owner publishes is readable by every member of the coalition, and shown on the dashboard's
radio landscape. The fixture holds real rows of EiBi's A26 file (Shortwave schedule data: EiBi
(Eike Bierwirth), eibispace.de).
"""

from pathlib import Path

from sqlalchemy import func, select

from corridor.access.rules import Role
from corridor.coalition.tables import ActivityRecord, Campaign
from corridor.store import session_scope
from tests.attacks.signin import form_token, sign_in, sign_in_owner
from tests.web.conftest import bearer

SKED = Path(__file__).parents[1] / "coalition" / "data" / "sked-a26.csv"


def _upload(client, org_id, data: bytes, name="sked-a26.csv", csrf=None):
    token = csrf if csrf is not None else form_token(client.get("/orgs").text)
    return client.post(f"/orgs/{org_id}/public-schedule", data={"csrf": token},
                       files={"file": (name, data, "text/csv")})


def _count(app, model, org_id):
    with session_scope(app.state.engine) as s:
        return s.scalar(select(func.count()).select_from(model).where(model.org_id == org_id))


def test_an_owner_publishes_and_every_member_reads_it(app, client, world):
    sign_in_owner(app, client, world, "A")
    r = _upload(client, world["orgs"]["A"], SKED.read_bytes())
    assert r.status_code == 200, r.text
    assert "Recorded 6 public broadcasts of season A26" in r.text
    assert "Shiokaze" in r.text and "J:y" in r.text                  # the unknown site, by name
    assert "EiBi (Eike Bierwirth), eibispace.de" in r.text
    # a viewer of the other organisation reads the public campaign in full
    listed = client.get("/api/v1/campaigns", headers=bearer(world["tokens"][("B", Role.VIEWER)])).json()
    public = [c for c in listed if c["visibility"] == "public"]
    assert len(public) == 1 and public[0]["name"].startswith("Public schedule A26")


def test_the_dashboard_shows_the_public_broadcasts_on_air(app, client, world):
    sign_in_owner(app, client, world, "A")
    assert _upload(client, world["orgs"]["A"], SKED.read_bytes()).status_code == 200
    client.cookies.clear()
    assert sign_in(client, "viewer-b").status_code == 303
    page = client.get("/dashboard?day=2026-07-01").text
    section = page[page.index('id="radio-landscape"'):]
    # Free North Korea Radio, 7615 kHz, 20:00-21:00 UTC = 05:00 KST
    row = section[section.index('data-hour="5"'):]
    assert "Free North Korea Radio (7615)" in row[:row.index("</tr>")]
    assert "no-public-schedule" not in section


def test_an_editor_cannot_publish(app, client, world):
    assert sign_in(client, "editor-a").status_code == 303
    r = _upload(client, world["orgs"]["A"], SKED.read_bytes())
    assert r.status_code == 403
    assert _count(app, Campaign, world["orgs"]["A"]) == 0


def test_an_owner_cannot_publish_into_another_organisation(app, client, world):
    sign_in_owner(app, client, world, "A")
    r = _upload(client, world["orgs"]["B"], SKED.read_bytes())
    assert r.status_code == 404
    assert _count(app, Campaign, world["orgs"]["B"]) == 0


def test_a_forged_form_is_refused(app, client, world):
    sign_in_owner(app, client, world, "A")
    r = _upload(client, world["orgs"]["A"], SKED.read_bytes(), csrf="forged")
    assert r.status_code == 403
    assert _count(app, ActivityRecord, world["orgs"]["A"]) == 0


def test_a_file_that_is_not_a_season_is_refused_by_name_and_not_echoed(app, client, world):
    sign_in_owner(app, client, world, "A")
    secret = b"#activity+id,#sector+channel\nsecret-plan-42,radio\n"
    r = _upload(client, world["orgs"]["A"], secret, name="plans.csv")
    assert r.status_code == 422
    assert "plans.csv" in r.text and "secret-plan-42" not in r.text
    assert _count(app, Campaign, world["orgs"]["A"]) == 0
    # a path in the file name is never echoed as a path
    r = _upload(client, world["orgs"]["A"], secret, name="../../etc/passwd")
    assert r.status_code == 422 and "../" not in r.text


def test_without_a_day_the_dashboard_shows_a_day_the_public_season_covers(app, client, world):
    sign_in_owner(app, client, world, "A")
    assert _upload(client, world["orgs"]["A"], SKED.read_bytes()).status_code == 200
    page = client.get("/dashboard").text
    section = page[page.index('id="radio-landscape"'):]
    # today (2026-12 onwards) is past the A26 season: a day a month into it is shown, and said so
    assert 'id="landscape-season-day"' in section
    assert 'value="2026-04-28"' in section
