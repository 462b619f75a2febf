"""In a real browser: enter an interview, code an event, search for it, export a redacted version.

Screenshots go to ``$CORRIDOR_SCREENSHOTS`` (default: the test's temporary folder).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from corridor.store import session_scope
from tests.archive.conftest import EN_TEXT, KO_TEXT

pytestmark = pytest.mark.browser


@pytest.fixture()
def app(db_url, world):
    from corridor.access import members
    from corridor.access.rules import ArchiveRole, Role
    from corridor.access.tables import Organisation
    from corridor.archive import records
    from corridor.web.app import create_app

    application = create_app(db_url)
    with session_scope(application.state.engine) as s:
        org = s.get(Organisation, world["orgs"]["A"])
        user = members.create_user(s, "archivist-a", "a long pass phrase 1")
        members.set_membership(s, user, org, Role.VIEWER)
        for role in ArchiveRole:
            records.grant_role(s, user, org, role)
    yield application
    application.state.engine.dispose()


def test_interview_to_redacted_export(app, tmp_path):
    from tests.web.browser import chromium_page, live_server

    shots = Path(os.environ.get("CORRIDOR_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with live_server(app) as base, chromium_page(accept_downloads=True, viewport={"width": 1100, "height": 1400},
                                                 locale="ko-KR") as page:
        page.goto(base + "/login")
        page.fill("#username", "archivist-a")
        page.fill("#password", "a long pass phrase 1")
        page.click("button[type=submit]")
        page.goto(base + "/archive")
        page.click("#new-interview")
        page.fill("#pseudonym", "증언자 12")
        page.select_option("#sex", "female")
        page.fill("#birth_decade", "1980")
        page.select_option("#province", "North Hamgyong")
        page.fill("#year_left", "2016")
        page.fill("[id='identity.name']", "박은별")
        page.fill("[id='identity.family_in_north']", "어머니 최순자")
        page.check("[id='consent.internal']")
        page.check("[id='consent.un_gov']")
        page.fill("#interviewer", "staff-3")
        page.fill("#text", KO_TEXT)
        page.fill("#translation", EN_TEXT)
        page.fill("#translator", "T. Han")
        page.screenshot(path=str(shots / "archive_1_entry.png"), full_page=True)
        page.click("#save-interview")
        page.wait_for_selector("#event-form")
        assert "박은별" not in page.content()
        interview_url = page.url

        page.fill("#ev-title", "회령 보위부 구류장 구금")
        page.select_option("#ev-act", "forced_repatriation")
        page.select_option("#ev-perp", "mss")
        page.fill("#ev-start", "2015-03-01")
        page.select_option("#ev-precision", "month")
        page.select_option("#ev-province", "North Hamgyong")
        page.select_option("#ev-facility-type", "kuryujang")
        page.fill("#ev-segments", "1, en:1")
        page.click("#save-event")
        page.wait_for_selector("#event-table")
        page.screenshot(path=str(shots / "archive_2_coded.png"), full_page=True)

        page.goto(base + "/archive/search")
        page.fill("#q", "회령")
        page.select_option("#act_type", "forced_repatriation")
        page.click("#do-search")
        page.wait_for_selector("#results")
        assert "회령" not in page.url
        page.screenshot(path=str(shots / "archive_3_search.png"), full_page=True)
        page.click("#results a >> nth=0")
        assert page.url.split("#")[0] == interview_url

        for lang in ("ko", "en"):
            page.click(f"#review-{lang}")
            page.wait_for_selector("#review-form")
            if lang == "ko":
                page.screenshot(path=str(shots / "archive_4_review.png"), full_page=True)
            page.click("#approve")
            page.wait_for_selector("#export-form")
            if lang == "ko":
                page.goto(interview_url)
        page.screenshot(path=str(shots / "archive_5_export.png"), full_page=True)
        page.select_option("#use", "un_gov")
        with page.expect_download() as info:
            page.click("#do-export")
        doc = json.loads(Path(info.value.path()).read_text(encoding="utf-8"))
    text = json.dumps(doc, ensure_ascii=False)
    assert doc["use"] == "un_gov" and "[이름]" in text and "[장소]" in text
    for secret in ("박은별", "정영호", "Jong Yong-ho", "회령", "Hoeryong"):
        assert secret not in text, secret
    assert doc["interviews"][0]["events"][0]["acts"][0]["act_type"] == "forced_repatriation"
