"""HTTPS end to end, with the parts a coalition server runs: PostgreSQL, ``corridor serve --workers
2`` and Caddy in front of it with the shipped ``deploy/Caddyfile`` (its site address and upstream
replaced for the test, and ``tls internal``, Caddy's own local authority, instead of a public
certificate), all on 127.0.0.1. Headless Chromium signs in over HTTPS and creates a campaign; the
session cookie must carry ``Secure`` and every answer HSTS.

Caddy is installed by ``make test`` (Debian's package ``caddy``), as the browser is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from corridor.access import members
from corridor.access.rules import Role
from corridor.store import session_scope, upgrade
from corridor.store.engine import make_engine
from tests.web.browser import chromium_page, free_port
from tests.web.conftest import PASSWORD

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PG = os.environ.get("CORRIDOR_TEST_POSTGRES_URL") or "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_schema() -> tuple[str, str]:
    try:
        admin = sa.create_engine(PG, connect_args={"connect_timeout": 3})
        with admin.begin() as conn:
            schema = "https_" + uuid.uuid4().hex[:10]
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
    except sa.exc.OperationalError:
        pytest.skip("PostgreSQL does not answer at 127.0.0.1:5432 (the coalition server's database)")
    return f"{PG}{'&' if '?' in PG else '?'}options=-csearch_path%3D{schema}", schema


def _caddyfile(https_port: int, upstream: int, folder: Path) -> Path:
    """The shipped Caddyfile with the test's address, upstream and local certificates."""
    text = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    assert "corridor.example.org {" in text and "reverse_proxy 127.0.0.1:8000" in text
    head = ("{\n\tadmin off\n\tauto_https disable_redirects\n\tskip_install_trust\n"
            f"\tstorage file_system {folder / 'caddy-data'}\n}}\n\n")
    text = text.replace("corridor.example.org {", f"https://127.0.0.1:{https_port} {{\n\ttls internal", 1)
    text = text.replace("reverse_proxy 127.0.0.1:8000", f"reverse_proxy 127.0.0.1:{upstream}")
    path = folder / "Caddyfile"
    path.write_text(head + text, encoding="utf-8")
    return path


def _wait(url: str, proc: subprocess.Popen, what: str) -> None:
    for _ in range(300):
        if proc.poll() is not None:
            raise AssertionError(f"{what} stopped: {proc.stderr.read().decode(errors='replace')[-2000:]}")
        try:
            if httpx.get(url, timeout=1, verify=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what} did not answer at {url}")


@pytest.fixture()
def https_server(tmp_path):
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy is not installed (make test installs Debian's package)")
    url, schema = _postgres_schema()
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as s:
        org = members.create_organisation(s, "Free Voice")
        user = members.create_user(s, "editor-a", PASSWORD)
        members.set_membership(s, user, org, Role.EDITOR)
    engine.dispose()
    app_port, https_port = free_port(), free_port()
    env = {**os.environ, "CORRIDOR_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path / "xdg-data"), "XDG_CONFIG_HOME": str(tmp_path / "xdg-config")}
    server = subprocess.Popen([sys.executable, "-m", "corridor", "serve", "--workers", "2", "--port", str(app_port),
                               "--db", url], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    proxy = subprocess.Popen([caddy, "run", "--adapter", "caddyfile",
                              "--config", str(_caddyfile(https_port, app_port, tmp_path))],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait(f"http://127.0.0.1:{app_port}/readyz", server, "corridor serve")
        _wait(f"https://127.0.0.1:{https_port}/healthz", proxy, "caddy")
        yield f"https://127.0.0.1:{https_port}"
    finally:
        for proc in (proxy, server):
            proc.terminate()
        for proc in (proxy, server):
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        admin = sa.create_engine(PG)
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_sign_in_and_create_a_campaign_over_https(https_server):
    base = https_server
    with chromium_page(ignore_https_errors=True) as page:
        first = page.goto(base + "/login")
        assert first.url.startswith("https://")
        assert "max-age=" in (first.headers.get("strict-transport-security") or "")
        page.get_by_label("Username").fill("editor-a")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/campaigns")
        page.click("#new-campaign")
        page.get_by_label("Name").fill("Our night programme")
        page.get_by_label("Channel").select_option("radio")
        page.get_by_label("Start date").fill("2026-11-01")
        page.get_by_role("button", name="Create").click()
        page.wait_for_load_state()
        assert "Our night programme" in page.content()
        cookies = {c["name"]: c for c in page.context.cookies(base)}
        session = cookies["corridor_session"]
        assert session["secure"] and session["httpOnly"]
        answer = page.goto(base + "/campaigns")
        assert "max-age=" in (answer.headers.get("strict-transport-security") or "")
    # the proxy answers plain HTTP with nothing but a refusal or a redirect, never the app
    r = httpx.get(base.replace("https://", "http://") + "/login", timeout=3, follow_redirects=False)
    assert r.status_code in (301, 308, 400) and "Sign in" not in r.text
