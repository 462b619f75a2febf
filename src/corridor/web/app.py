"""The FastAPI application: pages and JSON API over the ledger, with security headers.

``create_app(url)`` builds an app on a database URL (SQLite by default); ``corridor serve``
runs it with uvicorn. The database is migrated to the latest schema on start.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker
from starlette.datastructures import Headers, QueryParams
from starlette.requests import cookie_parser

from corridor import __version__, access
from corridor.access.throttle import Throttle
from corridor.errors import CorridorError
from corridor.presentation import fonts
from corridor.access.setup import prepare_database
from corridor.store import make_engine
from corridor.web.lang import COOKIE, choose_language
from corridor.web.templating import current_lang, make_environment, static_dir

MAX_BODY_BYTES = 5_000_000
#: Seconds a client is asked to wait when the database is busy (503).
RETRY_AFTER_S = 2

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'self'; img-src 'self' data:; style-src 'self'; "
                                "script-src 'self'; font-src 'self'; object-src 'none'; "
                                "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cache-Control": "no-store",
}


#: Sent only over HTTPS (RFC 6797 §7.2: a browser ignores it over plain HTTP): two years.
HSTS = "max-age=63072000; includeSubDomains"


class BodyTooLarge(HTTPException):
    """The request body passed :data:`MAX_BODY_BYTES` while it was being read."""

    def __init__(self) -> None:
        super().__init__(413, f"request body larger than {MAX_BODY_BYTES // 1_000_000} MB")


class GuardMiddleware:
    """Pure ASGI middleware: body-size cap, request language, security headers, language cookie.

    The body is capped while it streams in: a declared ``Content-Length`` over the cap is refused
    before anything is read, and a chunked body is refused with 413 as soon as the bytes received
    pass the cap, whoever sends it (no credentials are needed to be refused early).
    """

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY_BYTES:
            response = JSONResponse({"detail": BodyTooLarge().detail}, status_code=413,
                                    headers={"Connection": "close"})
            return await response(scope, receive, send)
        asked = QueryParams(scope.get("query_string", b"")).get("lang")
        lang = choose_language(asked, cookie_parser(headers.get("cookie", "")).get(COOKIE),
                               headers.get("accept-language"))
        scope.setdefault("state", {})["lang"] = lang
        token = current_lang.set(lang)
        received = 0
        started = False

        async def capped_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > MAX_BODY_BYTES:
                    raise BodyTooLarge()
            return message

        async def send_with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                raw = list(message.get("headers", []))
                present = {k.lower() for k, _ in raw}
                extra = dict(SECURITY_HEADERS)
                if scope.get("scheme") == "https":
                    extra["Strict-Transport-Security"] = HSTS
                for key, value in extra.items():
                    if key.lower().encode() not in present:
                        raw.append((key.lower().encode(), value.encode()))
                if asked == lang:
                    secure = "; Secure" if scope.get("scheme") == "https" else ""
                    raw.append((b"set-cookie", f"{COOKIE}={lang}; Max-Age={365 * 86400}; Path=/; "
                                               f"SameSite=strict; HttpOnly{secure}".encode()))
                message = {**message, "headers": raw}
            await send(message)

        try:
            await self.app(scope, capped_receive, send_with_headers)
        except BodyTooLarge as exc:
            if started:
                raise
            response = JSONResponse({"detail": exc.detail}, status_code=413, headers={"Connection": "close"})
            await response(scope, receive, send_with_headers)
        finally:
            current_lang.reset(token)


def create_app(url: str | None = None, *, migrate: bool = True, evidence: Path | None = None,
               draws: int = 200) -> FastAPI:
    """The web service on the database at ``url``. ``evidence``: an evidence JSON the dashboard
    uses to check and cap modelled reach (see ``corridor assess --evidence``)."""
    if migrate:
        prepare_database(url)
    engine = make_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    # No /docs or /redoc pages: they load scripts from a CDN, which the CSP (and an offline
    # deployment) forbids. The schema itself is at /openapi.json.
    app = FastAPI(title="Corridor", version=__version__, docs_url=None, redoc_url=None,
                  description="The coalition ledger: campaigns and activities of organisations that "
                              "send outside information into North Korea. Private by default.")
    app.state.engine = engine
    app.state.sessions = factory
    app.state.templates = make_environment()
    app.state.throttle = Throttle(limit=5, window_s=900)   # failures held in the database
    app.state.response_cache = ResponseCache()
    app.state.token_cache = LockedLRU(10_000)   # API token → its grant, per ledger version
    app.state.evidence_path = evidence
    app.state.draws = draws

    from corridor.web.fastpath import FastReadMiddleware

    app.add_middleware(FastReadMiddleware, state=app.state)   # inside the guard: same headers
    app.add_middleware(GuardMiddleware)
    from corridor.web.logs import AccessLogMiddleware

    app.add_middleware(AccessLogMiddleware)                    # outermost: every answer, fast path included

    @app.exception_handler(OperationalError)
    async def busy(request: Request, exc: OperationalError):
        # A locked SQLite file, a lock timeout or a server that went away: the request can be
        # tried again shortly. Nothing of the error is echoed (it may name tables or values).
        return JSONResponse(status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)},
                            content={"detail": "the database is busy; try again in a few seconds"})

    @app.exception_handler(CorridorError)
    async def user_error(request: Request, exc: CorridorError):
        return JSONResponse(status_code=422, content={"detail": exc.one_line(), "field": exc.field,
                                                      "value": None if exc.value is ... else str(exc.value)})

    @app.exception_handler(access.NotFound)
    async def not_found(request: Request, exc: access.NotFound):
        return JSONResponse(status_code=404, content={"detail": str(exc)})

    @app.exception_handler(access.Forbidden)
    async def forbidden(request: Request, exc: access.Forbidden):
        return JSONResponse(status_code=403, content={"detail": str(exc)})

    app.mount("/static", StaticFiles(directory=str(static_dir())), name="static")

    @app.get("/fonts/{name}", include_in_schema=False)
    def font(name: str):
        if name not in {"NanumGothic.ttf", "NanumGothicBold.ttf"}:
            raise HTTPException(404)
        return FileResponse(fonts.web_font(name), media_type="font/ttf",
                            headers={"Cache-Control": "public, max-age=604800"})

    @app.get("/healthz", include_in_schema=False)
    def health():
        """The process is alive (nothing else is said: no version, no database)."""
        return {"ok": True}

    @app.get("/readyz", include_in_schema=False)
    def ready():
        """The database answers and its schema is current; 503 otherwise, with no details."""
        from corridor.store.migrate import is_current

        if is_current(app.state.engine):
            return {"ok": True}
        return JSONResponse({"ok": False}, status_code=503)

    from corridor.web import account_pages, api, org_pages, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(account_pages.router)
    app.include_router(org_pages.router)
    from corridor.web import dashboard

    app.include_router(dashboard.router)
    from corridor.web import archive_pages

    app.include_router(archive_pages.router)
    return app


class LockedLRU:
    """A bounded map that forgets the least recently used entries (:class:`cachetools.LRUCache`),
    behind a lock: it is shared by the event loop (the fast path) and the worker threads."""

    def __init__(self, size: int) -> None:
        from threading import Lock

        from cachetools import LRUCache

        self.size = size
        self._data: LRUCache = LRUCache(maxsize=size)
        self._lock = Lock()

    def get(self, key):
        with self._lock:
            return self._data.get(key)

    def put(self, key, value) -> None:
        with self._lock:
            self._data[key] = value

    def __len__(self) -> int:
        return len(self._data)


class ResponseCache(LockedLRU):
    """JSON bodies of read endpoints, keyed by what decides them: the reader's roles, the URL and
    the ledger's version (the audit log's sequence number, which every write advances)."""

    def __init__(self, size: int = 512) -> None:
        super().__init__(size)
        self._flight: dict = {}

    def computing(self, key):
        """A lock for one key (single flight); locks of keys no longer computed are dropped."""
        from threading import Lock

        with self._lock:
            lock = self._flight.get(key)
            if lock is None:
                if len(self._flight) > 4 * self.size:
                    self._flight = {k: v for k, v in self._flight.items() if v.locked()}
                lock = self._flight[key] = Lock()
        return lock

    def answer(self, key, accept_encoding: str | None) -> tuple[bytes, bool] | None:
        """The cached body for a client with this ``Accept-Encoding``: ``(body, gzipped)``, or
        None when not cached. Large bodies go gzip-compressed (made once per key) to clients
        that accept it."""
        import gzip

        body = self.get(key)
        if body is None:
            return None
        if len(body) < GZIP_MIN_BYTES or not accepts_gzip(accept_encoding):
            return body, False
        gz_key = ("gzip", key)
        packed = self.get(gz_key)
        if packed is None:
            packed = gzip.compress(body, compresslevel=6, mtime=0)
            self.put(gz_key, packed)
        return packed, True


#: Bodies smaller than this are sent as they are (compression would not pay).
GZIP_MIN_BYTES = 1400

# Why API reads are compressed here, once per cached body, and not by Starlette's GZipMiddleware
# (which compresses every response again): a repeated read of a 300-campaign list (97 KB of JSON,
# 3.9 KB compressed), median of 2,000 fast-path requests in process (httpx's ASGI transport):
# 236 µs with this cache, 436 µs with GZipMiddleware at level 6, 643 µs at its default level 9,
# 191 µs uncompressed. Pages are not compressed at all: they carry the CSRF token next to text a
# visitor typed, which compression would leak (BREACH, CVE-2013-3587).


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an ``Accept-Encoding`` header allows gzip and does not refuse it with ``q=0``
    (RFC 9110 §12.5.3; Starlette's GZipMiddleware only looks for the substring "gzip")."""
    for part in (accept_encoding or "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory`` workers: the database from ``$CORRIDOR_DATABASE_URL``,
    already migrated by the parent process; the log format from ``$CORRIDOR_LOG_FORMAT`` (set by
    ``corridor serve``)."""
    from corridor.web.logs import configure

    configure(os.environ.get("CORRIDOR_LOG_FORMAT", "text"))
    return create_app(None, migrate=False)
