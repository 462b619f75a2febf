"""In headless Chromium: sign in, create a radio campaign, see a collision with another
organisation's shared schedule, switch to Korean. Screenshots are kept under the test's tmp folder."""

from datetime import date

import pytest

from corridor.access import members
from corridor.access.rules import Role, Visibility
from corridor.access.tables import User
from corridor.coalition import ledger
from corridor.store import session_scope
from tests.web.browser import chromium_page, live_server, sign_in
from tests.web.conftest import PASSWORD

RADIO = {"station": "Sky Letters Radio", "site": "Tashkent", "lat": 41.30, "lon": 69.20, "power_kw": 100,
         "frequency_khz": 7590, "utc_start": "15:00", "utc_end": "16:00", "days": ["daily"]}

pytestmark = pytest.mark.browser


def test_sign_in_create_radio_campaign_see_collision_switch_to_korean(app, world, tmp_path):
    # Organisation B shares a schedule on 7590 kHz, 15:00–16:00 UTC.
    with session_scope(app.state.engine) as s:
        owner_b = members.actor_for(s, s.get(User, world["users"][("B", Role.OWNER)]))
        c = ledger.create_campaign(s, owner_b, org_id=world["orgs"]["B"], name="Evening news", channel="radio",
                                   start_date=date(2026, 10, 25))
        ledger.add_activity(s, owner_b, c.id, {"id": "sl-evening", "title": "Evening news",
                                               "start": "2026-10-25T15:00:00Z", "end": "2027-03-28T16:00:00Z",
                                               "spec": RADIO})
        ledger.set_visibility(s, owner_b, c.id, Visibility.COALITION)
    with live_server(app) as base, chromium_page(viewport={"width": 1100, "height": 900}) as page:
        sign_in(page, base, "editor-a", PASSWORD)
        assert "Evening news" in page.content()          # B's shared campaign is listed

        page.click("#new-campaign")
        page.get_by_label("Name").fill("Our night programme")
        page.get_by_label("Channel").select_option("radio")
        page.get_by_label("Start date").fill("2026-11-01")
        page.get_by_role("button", name="Create").click()
        page.wait_for_selector("#activity-form")

        page.fill("#a-id", "fv-night")
        page.fill("#a-start", "2026-11-01T15:30")
        page.fill("#spec-station", "Free Voice")
        page.fill("#spec-lat", "41.30")
        page.fill("#spec-lon", "69.20")
        page.fill("#spec-power_kw", "100")
        page.fill("#spec-frequency_khz", "7585")
        page.fill("#spec-utc_start", "15:30")
        page.fill("#spec-utc_end", "16:30")
        page.fill("#spec-days", "daily")
        page.screenshot(path=str(tmp_path / "activity-form.png"), full_page=True)
        page.get_by_role("button", name="Add", exact=True).click()
        page.wait_for_selector("#activities")
        assert "fv-night" in page.inner_text("#activities")

        page.goto(base + "/overlaps")
        text = page.inner_text("#collisions")
        assert "fv-night on 7585 kHz" in text and "sl-evening" in text and "5 kHz apart" in text
        page.screenshot(path=str(tmp_path / "overlaps-en.png"), full_page=True)

        page.click("#lang-switch")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "ko"
        assert "방송 충돌" in page.content() and "중복과 공백" in page.content()
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=str(tmp_path / "overlaps-ko.png"), full_page=True)


def test_a_private_schedule_collides_without_revealing_itself(app, world):
    with session_scope(app.state.engine) as s:
        owner_b = members.actor_for(s, s.get(User, world["users"][("B", Role.OWNER)]))
        editor_a = members.actor_for(s, s.get(User, world["users"][("A", Role.EDITOR)]))
        cb = ledger.create_campaign(s, owner_b, org_id=world["orgs"]["B"], name="Secret", channel="radio",
                                    start_date=date(2026, 10, 25))
        ledger.add_activity(s, owner_b, cb.id, {"id": "secret-slot", "start": "2026-10-25T15:00:00Z", "spec": RADIO})
        ca = ledger.create_campaign(s, editor_a, org_id=world["orgs"]["A"], name="Ours", channel="radio",
                                    start_date=date(2026, 10, 25))
        ledger.add_activity(s, editor_a, ca.id, {"id": "ours", "start": "2026-10-25T15:00:00Z", "spec": RADIO})
    with live_server(app) as base, chromium_page() as page:
        sign_in(page, base, "editor-a", PASSWORD)
        page.goto(base + "/overlaps")
        text = page.inner_text("#collisions")
        assert "a coalition member uses a slot that collides with yours" in text and "secret-slot" not in page.content()


def test_pages_fit_a_phone_and_work_from_the_keyboard(app, world, tmp_path):
    with live_server(app) as base, chromium_page(viewport={"width": 390, "height": 844}) as page:
        page.goto(base + "/login?lang=ko")
        page.keyboard.press("Tab")                      # the skip link comes first
        assert page.evaluate("document.activeElement.className") == "skip"
        page.get_by_label("사용자 이름").fill("editor-a")
        page.get_by_label("비밀번호").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_label("비밀번호").press("Enter")  # the form submits from the keyboard
        assert page.url == base + "/campaigns", page.inner_text("main")
        for path in ("/campaigns", "/campaigns/new", "/calendar", "/overlaps", "/orgs"):
            page.goto(base + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, (path, overflow)
            unlabelled = page.evaluate("""[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
                .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).length""")
            assert unlabelled == 0, path
        page.evaluate("document.fonts.ready.then(() => true)")
        # Hangul comes from the font Corridor serves itself (no system Korean font is assumed).
        assert page.evaluate("""document.fonts.check('16px "Corridor Hangul"', '사용자 이름')""")
        assert "loaded" in page.evaluate("[...document.fonts].map(f => f.status)")
        page.screenshot(path=str(tmp_path / "phone-orgs-ko.png"), full_page=True)
