"""Access and error logs a person can read, or JSON lines for a collector, with nothing secret in them.

One access line per request: time, method, path, status, duration and, when known, who asked
(an account id or a token's organisation, never a name). What is never written, whatever the
request carries:

* the query string (archive search text, saved-search links, a language choice) — only the path;
* any header (Authorization tokens, cookies) and any body (passwords, TOTP codes, forms);
* exception messages of the application, which may quote a value a person typed: an error line
  names the exception's type and where it was raised, and the request's path.

Paths hold only database ids and public activity ids, which a reader of the server's logs (its
administrator) can read in the database anyway. Client addresses are not logged either: they
identify people, and the sign-in throttle keeps its own counts in the database.

``corridor serve --log-format text`` (default) writes::

    2026-12-07T06:40:12Z INFO access GET /dashboard 200 41ms user=3

and ``--log-format json`` one JSON object per line with the same fields.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
from datetime import UTC, datetime

ACCESS = logging.getLogger("corridor.access")
ERRORS = logging.getLogger("corridor.error")
FORMATS = ("text", "json")


class _Text(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        fields = getattr(record, "fields", {})
        extra = " ".join(f"{k}={v}" for k, v in fields.items() if k not in ("event", "method", "path", "status", "ms"))
        if "method" in fields:
            line = f"{fields['method']} {fields['path']} {fields['status']} {fields['ms']}ms"
        else:
            line = record.getMessage()
        return f"{when} {record.levelname} {record.name.rsplit('.', 1)[-1]} {line}" + (f" {extra}" if extra else "")


class _Json(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        when = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        out = {"time": when, "level": record.levelname, "logger": record.name}
        fields = getattr(record, "fields", None)
        out.update(fields if fields else {"message": record.getMessage()})
        return json.dumps(out, ensure_ascii=False)


def configure(log_format: str = "text", stream=None) -> None:
    """Send Corridor's access and error logs to ``stream`` (standard error) in ``log_format``;
    uvicorn's own access log is replaced by ours (it writes query strings)."""
    if log_format not in FORMATS:
        from corridor.errors import CorridorError

        raise CorridorError("must be text or json", field="--log-format", value=log_format)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(_Json() if log_format == "json" else _Text())
    for logger in (ACCESS, ERRORS):
        logger.handlers[:] = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False
    logging.getLogger("uvicorn.access").disabled = True
    # uvicorn logs an escaping exception with its message and traceback, which may quote what a
    # person typed; the access middleware has written the error line already.
    uv = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _NoTraceback) for f in uv.filters):
        uv.addFilter(_NoTraceback())


class _NoTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.exc_info is None


def _who(scope) -> dict:
    """The ids the request's identity left for the log (:func:`corridor.web.auth.identify`)."""
    state = scope.get("state") or {}
    who = state.get("log_who") if isinstance(state, dict) else None
    return dict(who) if who else {}


def log_exception(exc: BaseException, path: str) -> None:
    """One error line: the exception's type and where it was raised (file and line), never its
    message, which may quote what a person typed."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else "?"
    ERRORS.error("error", extra={"fields": {"event": "error", "type": type(exc).__name__, "at": where,
                                            "path": path}})


class AccessLogMiddleware:
    """ASGI middleware writing one access line per HTTP request (and an error line for an
    exception that escapes the application)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not ACCESS.handlers:
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = {"code": 500}

        async def sending(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            log_exception(exc, scope.get("path", ""))
            raise
        finally:
            fields = {"event": "access", "method": scope.get("method", ""), "path": scope.get("path", ""),
                      "status": status["code"], "ms": round((time.perf_counter() - start) * 1000)}
            fields.update(_who(scope))
            ACCESS.info("access", extra={"fields": fields})
