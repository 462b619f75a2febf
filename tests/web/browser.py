"""A live server in a thread and a headless Chromium (Debian's, driven by Playwright)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from contextlib import contextmanager

import httpx
import uvicorn

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, *, tries: int = 300) -> None:
    """Poll ``base/healthz`` until the server answers (at most ``tries`` × 0.1 s)."""
    for _ in range(tries):
        try:
            httpx.get(base + "/healthz", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"no server at {base}")


@contextmanager
def live_server(app):
    """Serve ``app`` in a thread on a port of its own: the socket is bound here, before the server
    starts, so parallel test processes can never pick the same port."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        yield base
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


@contextmanager
def chromium_page(**context):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            ctx = browser.new_context(**context)
            yield ctx.new_page()
        finally:
            browser.close()


def sign_in(page, base: str, username: str, password: str) -> None:
    """Sign in through the English sign-in page and wait for the campaigns list."""
    page.goto(base + "/login?lang=en")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + "/campaigns")
