"""The main job: `corridor demo --no-serve`, then `corridor assess --json`, the PDF report and the
dashboard in headless Chromium, all on the demo coalition (built once for this module)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from tests.cli_runner import assert_user_error, run_process

pytestmark = pytest.mark.slow


#: Monte Carlo draws for every command here: half the default, the same in each command so that
#: the coverages the demo computed are reused (the figures' checks hold at any number of draws).
DRAWS = ("--draws", "100")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo-out")
    proc = run_process("demo", "--no-serve", "--out", out, *DRAWS, timeout=1800)
    assert proc.returncode == 0, proc.stderr[-3000:]
    password = re.search(r"password (\S+)", (out / "demo-login.txt").read_text()).group(1)
    return {"out": out, "stdout": proc.stdout, "password": password}


@pytest.fixture(scope="module")
def assessed(demo):
    proc = run_process("assess", "--json", *DRAWS, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_the_demo_writes_its_outputs_and_prints_a_table(demo):
    out = demo["out"]
    for name in ("assessment.json", "reach-map.png", "reach-map-ko.png", "gap-map.png", "channels.png",
                 "population-map.png", "summary.json"):
        assert (out / name).stat().st_size > 1000, name
    assert (out / "demo-login.txt").stat().st_mode & 0o077 == 0          # the password is not world-readable
    assert "coalition" in demo["stdout"] and "fictional" in demo["stdout"] and "SYNTHETIC" in demo["stdout"]
    saved = json.loads((out / "assessment.json").read_text())
    assert set(saved["channels"]) == {"radio", "balloon", "border", "satellite", "loudspeaker"}
    assert saved["evidence"]["synthetic"] is True
    # the January launches are a safety output: most leaflets come down in the South
    assert saved["safety"] and all(s["south_share"]["median"] > 0.2 for s in saved["safety"])


def test_assess_json_has_every_channel_and_a_coalition_between_bounds(assessed):
    ch = assessed["channels"]
    assert set(ch) == {"radio", "balloon", "border", "satellite", "loudspeaker"} and assessed["demo"] is True
    for v in ch.values():
        assert v["reached_lower90"] <= v["reached_median"] <= v["reached_upper90"]
        assert {"reached_median", "reached_lower90", "reached_upper90", "cost_per_person_usd"} <= set(v)
    c = assessed["coalition"]
    for q in ("reached_median", "reached_lower90", "reached_upper90"):
        assert max(v[q] for v in ch.values()) - 1 <= c[q] <= sum(v[q] for v in ch.values()) + 1
    assert ch["radio"]["cost_per_person_usd"] == pytest.approx(ch["radio"]["cost_usd"] / ch["radio"]["reached_median"])


def test_assess_suggests_where_a_budget_goes(demo):
    proc = run_process("assess", "--json", "--budget", "30000", *DRAWS, timeout=900)
    plan = json.loads(proc.stdout)["suggestion"]
    assert 0 < plan["spent_usd"] <= 30000 and plan["steps"]
    assert plan["explanation"].startswith("Spending")


def test_assess_bad_input(demo):
    assert_user_error(run_process("assess", "--draws", "5"), "--draws")
    assert_user_error(run_process("assess", "--budget", "-1"), "--budget")
    assert_user_error(run_process("assess", "--scheduler", "nowhere"), "--scheduler")
    assert_user_error(run_process("report", "--lang", "fr", "--out", "x.pdf"), "--lang")


def _pdf_text_and_pages(path):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
        pages = [np.asarray(pdf[i].render(scale=0.6).to_pil().convert("L")) for i in range(len(pdf))]
    finally:
        pdf.close()
    return text, pages


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_report_renders_and_matches_assess_json(demo, tmp_path, lang):
    pdf = tmp_path / f"report-{lang}.pdf"
    proc = run_process("report", "--out", pdf, "--lang", lang, *DRAWS, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    published = json.loads(run_process("assess", "--json", "--published", *DRAWS, timeout=900).stdout)
    text, pages = _pdf_text_and_pages(pdf)
    assert len(pages) >= 3
    for img in pages:                       # every page has content, not a blank sheet
        assert img.std() > 5
    flat = re.sub(r"\s+", "", text)
    c = published["coalition"]
    for q in ("reached_median", "reached_lower90", "reached_upper90"):
        assert f"{c[q]:,.0f}" in flat, q
    for name, v in published["channels"].items():
        assert f"{v['reached_median']:,.0f}" in flat, name
    assert "satellite" not in published["channels"]          # the private campaign is left out
    if lang == "ko":
        assert "어떤 방법이 가장 많은 사람에게 닿는가" in text
    assert "DEMO" in text or "데모" in text


def test_the_dashboard_in_a_browser(demo, tmp_path):
    from corridor.demo import demo_database_url, demo_evidence_path
    from corridor.web.app import create_app
    from tests.web.browser import chromium_page, live_server

    app = create_app(demo_database_url(), evidence=demo_evidence_path(), draws=int(DRAWS[1]))
    with live_server(app) as base, chromium_page(viewport={"width": 1280, "height": 900}) as page:
        page.goto(base + "/login")
        page.fill("input[name=username]", "demo")
        page.fill("input[name=password]", demo["password"])
        page.click("button[type=submit]")
        page.wait_for_url("**/campaigns")
        page.click("nav a[href='/dashboard']")
        page.wait_for_url("**/dashboard", timeout=300_000)
        for img in ("reach-map", "gap-map", "channel-chart"):
            page.wait_for_function(f"document.getElementById('{img}').complete && "
                                   f"document.getElementById('{img}').naturalWidth > 600", timeout=120_000)
        assert "SYNTHETIC" in page.inner_text("#synthetic-banner")
        assert page.locator("#safety li").count() == 2
        before = page.inner_text("#coalition-median")
        radio_before = page.inner_text('#channels tr[data-channel="radio"] [data-field="reached_median"]')
        page.screenshot(path=str(tmp_path / "dashboard-en.png"), full_page=True)
        first_radio = page.locator('input[data-activity]').first
        first_radio.fill("0")
        page.fill("#whatif-budget", "20000")
        page.click("#whatif-run")
        page.wait_for_selector("#whatif-change", timeout=60_000)
        assert page.inner_text("#coalition-median") != before
        assert page.inner_text('#channels tr[data-channel="radio"] [data-field="reached_median"]') != radio_before
        assert page.locator("#whatif-steps li").count() >= 1
        page.goto(base + "/dashboard?lang=ko")
        page.wait_for_function("document.getElementById('reach-map').naturalWidth > 600", timeout=120_000)
        assert "어떤 방법이 가장 많은 사람에게 닿는가" in page.inner_text("h1")
        assert "평양시" in page.inner_text("#provinces")
        page.screenshot(path=str(tmp_path / "dashboard-ko.png"), full_page=True)
        # by theme: the demo's dramas travel on USB, satellite and loudspeakers, never on the radio,
        # so filtering the gaps by entertainment greys every radio hour
        assert page.locator("#themes tr[data-theme]").count() >= 4
        silent_all = page.locator("#hours .hour.silent").count()
        assert silent_all < 24
        page.select_option("#theme-select", "entertainment")
        page.click("#theme-filter button[type=submit]")
        page.wait_for_url("**theme=entertainment**")
        assert page.get_attribute("#gaps", "data-theme") == "entertainment"
        assert page.locator("#hours .hour.silent").count() == 24
        assert "오락" in page.inner_text("#gaps-h")
        page.goto(base + "/dashboard?lang=en&theme=world_news")
        assert "World news" in page.inner_text("#gaps-h")
        assert page.locator("#hours .hour.silent").count() < 24          # world news is on the radio
        link = page.locator("#campaign-figures a").first
        link.click()
        assert page.locator("#activity-figures tbody tr").count() >= 1


def test_the_same_ledger_gives_the_same_figures_in_another_process(assessed):
    again = json.loads(run_process("assess", "--json", *DRAWS, timeout=900).stdout)
    assert again["channels"] == assessed["channels"] and again["coalition"] == assessed["coalition"]


def test_the_demo_answers_by_theme_each_person_once(demo, assessed):
    """At least four themes; each theme's total lies between its largest activity and the sum."""
    full = json.loads(run_process("assess", "--json", "--full", *DRAWS, timeout=900).stdout)
    themes = full["themes"]
    assert len([c for c in themes if c != "unknown"]) >= 4
    assert set(assessed["themes"]) == set(themes)
    # the SYNTHETIC survey measures every theme: each sits beside its check
    checked = [code for code, v in themes.items() if v.get("evidence")]
    assert len(checked) >= 4
    for code in checked:
        ev = themes[code]["evidence"]
        assert 0 <= ev["surveyed_share"]["lower90"] <= ev["surveyed_share"]["median"] <= ev["surveyed_share"]["upper90"] <= 1
    carriers = {}
    for row in full["activities"]:
        for code in row.get("themes") or {}:
            carriers.setdefault(code, []).append(row)
    for code, v in themes.items():
        rows = carriers[code]
        for q in ("reached_median", "reached_lower90", "reached_upper90"):
            largest, total = max(r[q] for r in rows), sum(r[q] for r in rows)
            assert largest - 1 <= v[q] <= total + 1, (code, q)
