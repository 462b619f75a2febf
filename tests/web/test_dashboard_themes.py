"""The dashboard by content theme: a theme table, a theme filter that changes the gaps, the
what-if by theme, Korean labels, and nothing of another organisation's private themes."""

from __future__ import annotations

import re
from datetime import date

from corridor.access.rules import Actor, Role, Visibility
from corridor.coalition import ledger
from corridor.store.engine import session_scope
from tests.web.conftest import LS, login


def _campaign(app, world, org_key, name, visibility, lon, themes):
    org_id = world["orgs"][org_key]
    owner = Actor(user_id=world["users"][(org_key, Role.OWNER)], roles={org_id: Role.OWNER})
    with session_scope(app.state.engine) as s:
        c = ledger.create_campaign(s, owner, org_id=org_id, name=name, channel="loudspeaker",
                                   start_date=date(2024, 7, 1))
        ledger.add_activity(s, owner, c.id, {"id": f"{name}-1", "title": f"{name} array",
                                             "start": "2024-07-21T22:00:00+09:00", "spec": {**LS, "lon": lon},
                                             "themes": themes, "cost_amount": 1000, "cost_currency": "USD"})
        if visibility is not Visibility.PRIVATE:
            ledger.set_visibility(s, owner, c.id, visibility)
        return c.id


def _rows(html):
    return re.findall(r'<tr data-theme="([a-z_]+)">', html)


def _gap_provinces(html):
    m = re.search(r'<span id="gap-provinces">(.*?)</span>', html, re.S)
    return None if m is None else m.group(1).strip()


def test_the_theme_table_and_the_filter_change_the_gaps(app, world, client):
    _campaign(app, world, "A", "alpha", Visibility.PRIVATE, 126.70, {"world_news": 0.6, "entertainment": 0.4})
    assert login(client, "editor-a").status_code == 303
    page = client.get("/dashboard?lang=en").text
    assert _rows(page) == ["world_news", "entertainment"]
    assert "Themes no activity carries" in page and "Religion" in page.split('id="themes-missing"')[1]
    overall = _gap_provinces(page)
    assert overall

    news = client.get("/dashboard", params={"theme": "world_news", "lang": "en"}).text
    assert 'data-theme="world_news"' in news and _gap_provinces(news)
    assert "carrying this theme" in news

    # a theme nobody carries: the whole country is a gap, and the page says so instead of a table
    religion = client.get("/dashboard", params={"theme": "religion", "lang": "en"}).text
    assert 'id="gap-none"' in religion and _gap_provinces(religion) is None

    # a misspelt theme names the nearest valid one, and the page still answers
    bad = client.get("/dashboard", params={"theme": "relgion", "lang": "en"})
    assert bad.status_code == 200 and "did you mean &#39;religion&#39;" in bad.text

    ko = client.get("/dashboard", params={"theme": "world_news", "lang": "ko"}).text
    assert "주제별: 무엇을 전하는가" in ko and "국제 뉴스" in ko


def test_the_what_if_answers_by_theme(app, world, client):
    _campaign(app, world, "A", "alpha", Visibility.PRIVATE, 126.70, ["world_news"])
    _campaign(app, world, "A", "delta", Visibility.PRIVATE, 127.05, ["world_news", "religion"])
    login(client, "editor-a")
    from sqlalchemy import select

    from corridor.coalition.tables import ActivityRecord

    with session_scope(app.state.engine) as s:
        delta = s.execute(select(ActivityRecord.id).where(ActivityRecord.public_id == "delta-1")).scalar_one()
    base = client.get("/dashboard/whatif", params={"times": ""}).json()["themes"]
    off = client.get("/dashboard/whatif", params={"times": f"{delta}:0"}).json()["themes"]
    assert set(base) == {"world_news", "religion"} and set(off) == {"world_news"}
    assert off["world_news"]["reached_median"] <= base["world_news"]["reached_median"]


def test_another_organisations_private_themes_stay_invisible(app, world, client):
    _campaign(app, world, "A", "alpha", Visibility.PRIVATE, 126.70, ["religion"])
    _campaign(app, world, "B", "beta", Visibility.COALITION, 126.80, ["world_news"])
    login(client, "editor-b")
    page = client.get("/dashboard?lang=en").text
    assert _rows(page) == ["world_news"]
    assert "religion" not in client.get("/dashboard/whatif", params={"times": ""}).text
    filtered = client.get("/dashboard", params={"theme": "religion", "lang": "en"}).text
    assert 'id="gap-none"' in filtered          # as if nobody carried it: B cannot tell A does
