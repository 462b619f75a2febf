"""Coding what a witness saw by content theme, through the interview page, and on into the evidence."""

from __future__ import annotations

from corridor.archive import exports, records
from corridor.store.engine import session_scope
from tests.archive.test_web import app, csrf, enter_interview, signed_in  # noqa: F401  (fixture)


def test_a_coder_ticks_themes_and_they_reach_the_evidence(app):   # noqa: F811
    iv = enter_interview(signed_in(app, "interviewer-a"))
    coder = signed_in(app, "coder-a")
    page = coder.get(f"/archive/interviews/{iv}?lang=ko").text
    assert 'name="theme-religion"' in page and "종교" in page          # the boxes, with Korean labels
    r = coder.post(f"/archive/interviews/{iv}/exposures", data={
        "csrf": csrf(coder), "channel": "dvd", "year": "2012", "theme-entertainment": "1",
        "theme-south_korea_news": "1"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    page = coder.get(f"/archive/interviews/{iv}?lang=en").text
    assert "Entertainment" in page and "News of South Korea" in page

    # a forged box names the nearest valid theme, and nothing is coded
    bad = coder.post(f"/archive/interviews/{iv}/exposures", data={
        "csrf": csrf(coder), "channel": "dvd", "theme-religon": "1"})
    assert bad.status_code == 422 and "religion" in bad.text
    with session_scope(app.state.engine) as s:
        exposures = records.exposures_of(s, records.get_interview(s, records.ADMIN, iv))
        assert [e.themes for e in exposures] == ["south_korea_news entertainment"]
        exports.to_evidence(s, records.ADMIN, 1)
    from sqlalchemy import select

    from corridor.evidence.tables import ThemeExposure
    with session_scope(app.state.engine) as s:
        got = {(t.channel, t.theme) for t in s.execute(select(ThemeExposure)).scalars()}
    assert got == {("dvd", "entertainment"), ("dvd", "south_korea_news")}
