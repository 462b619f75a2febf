"""A network attacker strips HTTPS: over HTTPS every answer carries HSTS and cookies are Secure.

Over plain HTTP (a laptop running the demo) HSTS would be ignored by the browser (RFC 6797
§8.1) and is not sent.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD


def test_https_answers_carry_hsts_and_secure_cookies(app, world):
    client = TestClient(app, base_url="https://testserver")
    for path in ("/login", "/healthz", "/api/v1/campaigns", "/no-such-page", "/login?lang=ko"):
        r = client.get(path)
        hsts = r.headers.get("strict-transport-security", "")
        assert "max-age=" in hsts and int(hsts.split("max-age=")[1].split(";")[0]) >= 31536000, (path, hsts)
    for cookie in client.get("/login?lang=ko").headers.get_list("set-cookie"):
        assert "secure" in cookie.lower(), cookie
    page = client.get("/login")
    form = {"username": "editor-a", "password": PASSWORD, "code": ""}
    if 'name="csrf"' in page.text:
        form["csrf"] = page.text.split('name="csrf" value="')[1].split('"')[0]
    r = client.post("/login", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    session = [c for c in r.headers.get_list("set-cookie") if c.startswith("corridor_session=")]
    assert session and "secure" in session[0].lower()


def test_plain_http_sends_no_hsts(client, world):
    assert "strict-transport-security" not in client.get("/login").headers
