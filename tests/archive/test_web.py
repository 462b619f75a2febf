"""The archive pages through real HTTP requests: roles, entry, coding, search URLs, review, export."""

from __future__ import annotations

import json
import re
import warnings

import pytest

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from fastapi.testclient import TestClient

from corridor.web.app import create_app
from tests.archive.conftest import EN_TEXT, KO_TEXT

PASSWORD = "a long pass phrase 1"


@pytest.fixture()
def app(db_url, world):
    application = create_app(db_url)
    yield application
    application.state.engine.dispose()


def signed_in(app, username):
    client = TestClient(app)
    form = re.search(r'name="csrf" value="([^"]*)"', client.get("/login").text)   # login CSRF
    r = client.post("/login", data={"username": username, "password": PASSWORD, "code": "",
                                    "csrf": form.group(1) if form else ""}, follow_redirects=False)
    assert r.status_code == 303, r.text
    return client


def csrf(client, url="/archive"):
    return re.search(r'name="csrf" value="([^"]+)"', client.get(url).text).group(1)


def enter_interview(client, **extra):
    data = {"csrf": csrf(client), "org_id": "1", "pseudonym": "Witness 9", "sex": "female", "birth_decade": "1980",
            "province": "North Hamgyong", "year_left": "2016", "identity.name": "박은별",
            "identity.contacts": "+82-10-5555-0199", "consent.internal": "on", "consent.un_gov": "on",
            "consent_date": "2024-05-01", "consent_method": "written", "interviewer": "staff-3",
            "interviewed_on": "2024-05-02", "place": "Seoul", "lang": "ko", "text": KO_TEXT,
            "translation": EN_TEXT, "translator": "T. Han", **extra}
    r = client.post("/archive/interviews/new", data=data, follow_redirects=False)
    assert r.status_code == 303, r.text
    return r.headers["location"].rsplit("/", 1)[1]


def test_pages_need_an_archive_role(app):
    for user in ("editor-a",):   # a campaign editor of the same organisation
        client = signed_in(app, user)
        assert client.get("/archive").status_code == 404
        assert client.get("/archive/search").status_code == 404
    assert TestClient(app).get("/archive", follow_redirects=False).headers["location"] == "/login"


def test_entry_coding_search_review_export(app):
    interviewer = signed_in(app, "interviewer-a")
    iv = enter_interview(interviewer)
    page = interviewer.get(f"/archive/interviews/{iv}").text
    assert "박은별" not in page and "Witness 9" in page and "정영호" in page     # sealed; text is internal
    assert 'id="event-form"' not in page                                          # interviewers do not code

    coder = signed_in(app, "coder-a")
    r = coder.post(f"/archive/interviews/{iv}/events", data={
        "csrf": csrf(coder), "title": "Forced repatriation", "act_type": "forced_repatriation",
        "victim_is_witness": "on", "perpetrator": "china_police", "degree": "direct", "start_date": "2015-03-01",
        "start_precision": "month", "province": "North Hamgyong", "facility_type": "kuryujang",
        "source_connection": "victim", "segments": "1, en:1"}, follow_redirects=False)
    assert r.status_code == 303
    bad = coder.post(f"/archive/interviews/{iv}/events", data={"csrf": csrf(coder), "title": "x",
                                                               "act_type": "flying", "segments": ""})
    assert bad.status_code == 422 and "act_type=&#39;flying&#39;" in bad.text

    r = coder.post("/archive/search", data={"csrf": csrf(coder), "q": "회령", "act_type": "forced_repatriation"},
                   follow_redirects=False)
    url = r.headers["location"]
    assert r.status_code == 303 and "회령" not in url and "%" not in url and "act" not in url
    results = coder.get(url)
    assert results.status_code == 200 and results.text.count("<li>") >= 1 and iv in results.text

    # the same URL to someone without the role in that organisation: exactly a missing page
    for other in ("reviewer-b", "editor-a"):
        client = signed_in(app, other)
        shown, missing = client.get(url), client.get("/archive/search/" + "Q" * 24)
        assert shown.status_code == missing.status_code == 404
        assert shown.text == missing.text and iv not in shown.text

    reviewer = signed_in(app, "reviewer-a")
    review = reviewer.get(f"/archive/interviews/{iv}/review/ko").text
    spans = re.findall(r'name="span" value="([^"]+)"', review)
    assert spans
    for lang in ("ko", "en"):
        page = reviewer.get(f"/archive/interviews/{iv}/review/{lang}").text
        values = re.findall(r'name="span" value="([^"]+)"', page)
        r = reviewer.post(f"/archive/interviews/{iv}/review/{lang}",
                          data={"csrf": csrf(reviewer), "span": values, "extra": ""}, follow_redirects=False)
        assert r.status_code == 303
    refused = reviewer.post(f"/archive/interviews/{iv}/export", data={"csrf": csrf(reviewer), "use": "public",
                                                                      "format": "json"})
    assert refused.status_code == 403 and "no consent for public" in refused.text
    r = reviewer.post(f"/archive/interviews/{iv}/export", data={"csrf": csrf(reviewer), "use": "un_gov",
                                                                "format": "json"})
    assert r.status_code == 200 and r.headers["content-disposition"].startswith("attachment")
    doc = json.loads(r.content)
    text = json.dumps(doc, ensure_ascii=False)
    assert doc["use"] == "un_gov" and "정영호" not in text and "박은별" not in text and "[이름]" in text
    assert doc["interviews"][0]["events"][0]["acts"][0]["act_type"] == "forced_repatriation"


def test_csrf_is_required_for_archive_writes(app):
    client = signed_in(app, "interviewer-a")
    r = client.post("/archive/interviews/new", data={"pseudonym": "x"})
    assert r.status_code == 403


def test_korean_pages(app):
    client = signed_in(app, "interviewer-a")
    page = client.get("/archive/interviews/new?lang=ko").text
    assert "실제 신원" in page and "용도별 동의" in page and "증언 기록" in page
