"""Content themes over HTTP: the JSON API (create, patch, read, calendar, HXL) and the activity
form of the pages, in English and Korean; a private activity's themes stay invisible to others."""

from corridor.access.rules import Role
from tests.web.conftest import LS, bearer, csrf_of, login


def _campaign(client, world, key="A", role=Role.EDITOR):
    r = client.post("/api/v1/campaigns", headers=bearer(world["tokens"][(key, role)]),
                    json={"org_id": world["orgs"][key], "name": "Night sound", "channel": "loudspeaker",
                          "start_date": "2024-06-01"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _activity(client, world, cid, themes, *, key="A", ident="ls-1"):
    return client.post(f"/api/v1/campaigns/{cid}/activities", headers=bearer(world["tokens"][(key, Role.EDITOR)]),
                       json={"id": ident, "start": "2024-06-01T22:00:00+09:00", "spec": LS, "themes": themes})


def _count(client, world, cid, key="A"):
    r = client.get(f"/api/v1/campaigns/{cid}/activities", headers=bearer(world["tokens"][(key, Role.VIEWER)]))
    return len(r.json())


def test_themes_round_trip_through_the_api(client, world):
    cid = _campaign(client, world)
    r = _activity(client, world, cid, {"religion": None, "world_news": 0.5})
    assert r.status_code == 201, r.text
    aid = r.json()["id"]
    assert r.json()["themes"] == {"world_news": 0.5, "religion": None}        # vocabulary order
    editor = bearer(world["tokens"][("A", Role.EDITOR)])
    assert client.get(f"/api/v1/activities/{aid}", headers=editor).json()["themes"] == {
        "world_news": 0.5, "religion": None}
    r = client.patch(f"/api/v1/activities/{aid}", headers=editor, json={"title": "renamed"})
    assert r.json()["themes"] == {"world_news": 0.5, "religion": None}        # kept when not sent
    r = client.patch(f"/api/v1/activities/{aid}", headers=editor, json={"themes": ["family_messages"]})
    assert r.status_code == 200 and r.json()["themes"] == {"family_messages": None}
    assert client.get("/api/v1/calendar", headers=editor).json()[0]["themes"] == {"family_messages": None}
    r = client.patch(f"/api/v1/activities/{aid}", headers=editor, json={"themes": None})
    assert r.json()["themes"] == {}
    r = _activity(client, world, cid, None, ident="ls-2")
    assert r.status_code == 201 and r.json()["themes"] == {}


def test_a_misspelt_theme_is_a_422_naming_the_nearest_and_writes_nothing(client, world):
    cid = _campaign(client, world)
    r = _activity(client, world, cid, {"democracy_right": 0.3})
    assert r.status_code == 422
    body = r.json()
    assert body["field"] == "themes" and "'democracy_rights'" in body["detail"]
    assert "Traceback" not in r.text
    assert _count(client, world, cid) == 0


def test_shares_above_one_are_refused_naming_the_field(client, world):
    cid = _campaign(client, world)
    r = _activity(client, world, cid, {"entertainment": 1.2})
    assert r.status_code == 422 and r.json()["field"] == "themes.entertainment"
    r = _activity(client, world, cid, {"entertainment": 0.7, "south_korea_news": 0.4})
    assert r.status_code == 422 and r.json()["field"] == "themes" and "more than 1" in r.json()["detail"]
    assert _count(client, world, cid) == 0
    ok = _activity(client, world, cid, {"entertainment": 0.6}).json()["id"]
    r = client.patch(f"/api/v1/activities/{ok}", headers=bearer(world["tokens"][("A", Role.EDITOR)]),
                     json={"themes": {"entertainment": 0.6, "religion": 0.6}})
    assert r.status_code == 422
    assert client.get(f"/api/v1/activities/{ok}",
                      headers=bearer(world["tokens"][("A", Role.VIEWER)])).json()["themes"] == {"entertainment": 0.6}


def test_a_private_activitys_themes_are_invisible_to_another_organisation(client, world):
    cid = _campaign(client, world)
    aid = _activity(client, world, cid, {"testimonies": 0.9}).json()["id"]
    other = bearer(world["tokens"][("B", Role.EDITOR)])
    assert client.get(f"/api/v1/activities/{aid}", headers=other).status_code == 404
    assert client.get(f"/api/v1/campaigns/{cid}/activities", headers=other).status_code == 404
    assert "testimonies" not in client.get("/api/v1/calendar", headers=other).text
    assert "testimonies" not in client.get("/api/v1/export.hxl", headers=other).text
    r = client.patch(f"/api/v1/activities/{aid}", headers=other, json={"themes": ["religion"]})
    assert r.status_code == 404
    # its own organisation sees them, in the HXL export too
    assert "testimonies:0.9" in client.get("/api/v1/export.hxl",
                                           headers=bearer(world["tokens"][("A", Role.VIEWER)])).text


def _page_campaign(client, world):
    csrf = csrf_of(client.get("/campaigns/new").text)
    r = client.post("/campaigns/new", data={"csrf": csrf, "org_id": world["orgs"]["A"], "name": "Night sound",
                                            "channel": "loudspeaker", "start_date": "2024-06-01"},
                    follow_redirects=False)
    return r.headers["location"], csrf


FORM = {"id": "a1", "start": "2024-06-01T22:00", "spec.lon": "126.7", "spec.lat": "37.9",
        "spec.sound_power_db": "160", "spec.band_hz": "500", "spec.period": "night"}


def test_the_activity_form_tags_themes_in_english_and_korean(client, world):
    login(client, "editor-a")
    client.get("/campaigns?lang=en")
    url, csrf = _page_campaign(client, world)
    page = client.get(url).text
    assert 'name="themes" value="democracy_rights"' in page and "Democracy, rights and law" in page
    r = client.post(url + "/activities", data={**FORM, "csrf": csrf, "themes": ["world_news", "religion"],
                                              "theme_share.world_news": "0.25"}, follow_redirects=False)
    assert r.status_code == 303
    page = client.get(url).text
    assert "World news 25 %" in page and "Religion" in page
    client.get("/campaigns?lang=ko")
    page = client.get(url).text
    assert "내용 주제" in page and "국제 뉴스 25 %" in page and "종교" in page
    # a share typed beside an unticked theme counts as ticking it
    r = client.post(url + "/activities", data={**FORM, "id": "a2", "csrf": csrf, "theme_share.practical": "1"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert "생활 정보 100 %" in client.get(url).text


def test_the_activity_form_refuses_bad_themes_in_the_pages_language(client, world):
    login(client, "editor-a")
    client.get("/campaigns?lang=ko")
    url, csrf = _page_campaign(client, world)
    r = client.post(url + "/activities", data={**FORM, "csrf": csrf, "themes": ["religion"],
                                              "theme_share.religion": "1.5"})
    assert r.status_code == 422
    assert "“종교”의 비율은 0에서 1 사이의 수여야 합니다" in r.text
    assert 'value="religion" id="theme-religion" checked' in r.text          # what was ticked is kept
    r = client.post(url + "/activities", data={**FORM, "csrf": csrf, "themes": ["religion", "world_news"],
                                              "theme_share.religion": "0.6", "theme_share.world_news": "0.6"})
    assert r.status_code == 422 and "한 활동의 비율을 모두 더하면 1.2(으)로, 1을 넘습니다" in r.text
    r = client.post(url + "/activities", data={**FORM, "csrf": csrf, "themes": ["religon"]})
    assert r.status_code == 422 and "내용 주제가 아닙니다" in r.text and "종교 (religion)" in r.text
    client.get("/campaigns?lang=en")
    r = client.post(url + "/activities", data={**FORM, "csrf": csrf, "themes": ["religion"],
                                              "theme_share.religion": "-1"})
    assert r.status_code == 422 and "The share of “Religion” must be a number from 0 to 1" in r.text
    assert "No activities yet." in client.get(url).text                      # nothing was written


def test_an_hxl_upload_with_a_bad_themes_cell_names_row_and_column_and_writes_nothing(client, world):
    csv_text = ("#activity+id,#sector+channel,#date+start,#activity+themes,#meta+lon,#meta+lat,#meta+sound_power_db\n"
                "u1,loudspeaker,2024-06-01T22:00:00+09:00,religion:0.5,126.7,37.9,160\n"
                "u2,loudspeaker,2024-06-02T22:00:00+09:00,relgion,126.7,37.9,160\n")
    owner = bearer(world["tokens"][("A", Role.OWNER)])
    r = client.post("/api/v1/import", headers=owner, data={"org_id": world["orgs"]["A"]},
                    files={"file": ("plan.csv", csv_text.encode(), "text/csv")})
    assert r.status_code == 422
    assert r.json()["detail"].startswith("plan.csv: row 3 #activity +themes='relgion'")
    assert "'religion'" in r.json()["detail"]
    assert client.get("/api/v1/calendar", headers=owner).json() == []
    r = client.post("/api/v1/import", headers=owner, data={"org_id": world["orgs"]["A"]},
                    files={"file": ("plan.csv", csv_text.replace("relgion", "testimonies").encode(), "text/csv")})
    assert r.status_code == 200, r.text
    got = {e["public_id"]: e["themes"] for e in client.get("/api/v1/calendar", headers=owner).json()}
    assert got == {"u1": {"religion": 0.5}, "u2": {"testimonies": None}}
