"""In headless Chromium: tag activities with content themes on the campaign page, in English and
then in Korean, and see them listed with their labels in each language."""

from datetime import date

import pytest

from corridor.access import members
from corridor.access.rules import Role
from corridor.access.tables import User
from corridor.coalition import ledger
from corridor.store import session_scope
from tests.web.browser import chromium_page, live_server, sign_in
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _fill_loudspeaker(page, ident):
    page.fill("#a-id", ident)
    page.fill("#a-start", "2024-06-01T22:00")
    page.fill("#spec-lon", "126.7")
    page.fill("#spec-lat", "37.9")
    page.fill("#spec-sound_power_db", "160")


def test_tag_an_activity_with_themes_in_english_and_korean(app, world, tmp_path):
    with session_scope(app.state.engine) as s:
        editor = members.actor_for(s, s.get(User, world["users"][("A", Role.EDITOR)]))
        cid = ledger.create_campaign(s, editor, org_id=world["orgs"]["A"], name="Night sound",
                                     channel="loudspeaker", start_date=date(2024, 6, 1)).id
    with live_server(app) as base, chromium_page(viewport={"width": 1100, "height": 1400}) as page:
        sign_in(page, base, "editor-a", PASSWORD)

        page.goto(f"{base}/campaigns/{cid}")
        _fill_loudspeaker(page, "night-en")
        page.get_by_label("World news", exact=True).check()
        page.get_by_label("Share (0–1): World news").fill("0.4")
        page.get_by_label("Messages from families", exact=True).check()
        page.get_by_label("Share (0–1): Messages from families").fill("0.7")      # adds to 1.1: refused
        page.get_by_role("button", name="Add", exact=True).click()
        page.wait_for_selector("#form-error")
        assert "more than 1" in page.inner_text("#form-error")
        assert page.is_checked("#theme-family_messages")                            # kept for correction
        page.get_by_label("Share (0–1): Messages from families").fill("0.6")
        _fill_loudspeaker(page, "night-en")
        page.get_by_role("button", name="Add", exact=True).click()
        page.wait_for_selector("#activities")
        row = page.inner_text("#activities")
        assert "World news 40 %" in row and "Messages from families 60 %" in row
        page.screenshot(path=str(tmp_path / "themes-en.png"), full_page=True)

        page.click("#lang-switch")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "ko"
        assert "국제 뉴스 40 %" in page.inner_text("#activities")
        _fill_loudspeaker(page, "night-ko")
        page.get_by_label("종교", exact=True).check()
        page.get_by_label("탈북민 증언", exact=True).check()
        page.get_by_role("button", name="추가", exact=True).click()
        page.wait_for_selector("#activities >> text=night-ko")
        text = page.inner_text("#activities")
        assert "종교" in text and "탈북민 증언" in text
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=str(tmp_path / "themes-ko.png"), full_page=True)
    with session_scope(app.state.engine) as s:
        stored = {a.public_id: a.themes for a in ledger.get_campaign(s, editor, cid).activities}
    assert stored == {"night-en": {"world_news": 0.4, "family_messages": 0.6},
                      "night-ko": {"religion": None, "testimonies": None}}
