"""The dashboard and per-campaign figures: privacy of what is counted, what-if, Korean labels."""

from __future__ import annotations

from datetime import date

from corridor.access.rules import Actor, Role, Visibility
from corridor.coalition import ledger
from corridor.store.engine import session_scope
from tests.web.conftest import LS, login


def _campaign(app, world, org_key, name, visibility, lon):
    org_id = world["orgs"][org_key]
    owner = Actor(user_id=world["users"][(org_key, Role.OWNER)], roles={org_id: Role.OWNER})
    with session_scope(app.state.engine) as s:
        c = ledger.create_campaign(s, owner, org_id=org_id, name=name, channel="loudspeaker",
                                   start_date=date(2024, 7, 1))
        ledger.add_activity(s, owner, c.id, {"id": f"{name}-1", "title": f"{name} array", "start": "2024-07-21T22:00:00+09:00",
                                             "spec": {**LS, "lon": lon}, "cost_amount": 1000, "cost_currency": "USD"})
        if visibility is not Visibility.PRIVATE:
            ledger.set_visibility(s, owner, c.id, visibility)
        return c.id


def test_each_reader_sees_the_assessment_of_what_they_may_read(app, world, client):
    a_private = _campaign(app, world, "A", "alpha", Visibility.PRIVATE, 126.70)
    _campaign(app, world, "B", "beta", Visibility.AGGREGATE, 126.80)
    assert login(client, "editor-a").status_code == 303
    page = client.get("/dashboard")
    assert page.status_code == 200 and "alpha" in page.text and "beta" not in page.text
    assert 'id="hidden-note"' in page.text                     # B's aggregate-only activity: counted out, said so
    assert client.get(f"/dashboard/campaigns/{a_private}").status_code == 200
    png = client.get("/dashboard/figure/reach.png")
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    off = client.get("/dashboard/whatif", params={"times": f"{_activity_id(app, 'alpha-1')}:0"}).json()
    assert off["channels"] == {} and off["coalition"]["reached_median"] == 0
    assert client.get("/dashboard/whatif", params={"times": "999:1"}).status_code == 422
    assert client.get("/dashboard/whatif", params={"times": "garbage"}).status_code == 422

    other = type(client)(app)
    assert login(other, "editor-b").status_code == 303
    page_b = other.get("/dashboard")
    assert "alpha" not in page_b.text and "beta" in page_b.text  # A's private campaign stays invisible
    assert other.get(f"/dashboard/campaigns/{a_private}").status_code == 404


def test_signed_out_readers_are_sent_to_sign_in(client):
    for url in ("/dashboard", "/dashboard/figure/reach.png", "/dashboard/whatif"):
        r = client.get(url, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/login"


def test_campaign_form_labels_are_in_korean(app, world, client):
    cid = _campaign(app, world, "A", "gamma", Visibility.PRIVATE, 126.70)
    login(client, "editor-a")
    html = client.get(f"/campaigns/{cid}?lang=ko").text
    assert "음향 출력 (dB)" in html and "경도" in html
    assert "Sound power (dB)" in client.get(f"/campaigns/{cid}?lang=en").text


def _activity_id(app, public_id):
    from sqlalchemy import select

    from corridor.coalition.tables import ActivityRecord

    with session_scope(app.state.engine) as s:
        return s.execute(select(ActivityRecord.id).where(ActivityRecord.public_id == public_id)).scalar_one()


def test_the_dashboard_speaks_korean_in_the_assumptions_and_the_suggestion(app, world, client):
    _campaign(app, world, "A", "gamma", Visibility.PRIVATE, 126.70)
    assert login(client, "editor-a").status_code == 303
    ko, en = client.get("/dashboard?lang=ko").text, client.get("/dashboard?lang=en").text
    assert "몬테카를로 추출" in ko and "Monte Carlo draws per activity" not in ko
    assert "Monte Carlo draws per activity" in en
    assert "확성기" in ko                                       # the channel's name, from the registry
    plan = client.get("/dashboard/whatif", params={"budget": "5000", "lang": "ko"}).json()["suggestion"]
    assert any("\uac00" <= ch <= "\ud7a3" for ch in plan["explanation"])
