"""The read fast path: a cached JSON answer for an API token, served before the framework runs.

Read endpoints keep their JSON in the app's :class:`~corridor.web.app.ResponseCache`, keyed by
the reader's roles, the URL and the ledger's version (see :func:`corridor.web.api.cached_json`).
A repeated read by a known API token needs none of the framework (routing, dependency injection,
an ORM session): only the ledger's version, one indexed row read. This middleware answers such a
request directly when, and only when, the full path has already answered the same question:

* the token's grant is in the token cache for the *current* ledger version (put there by the
  full path: :func:`corridor.access.members.token_grant` checked the token, its owner's
  membership and role), and it is still live (:meth:`~corridor.access.members.TokenGrant.live`);
* the exact key (:func:`answer_key`: roles, path, query, version) is in the response cache.

It decides nothing itself: who may read what is the access core's answer, cached.

Large bodies go gzip-compressed to clients that accept it (compressed once per cached body), on
both paths.

Anything else (a first request, a cookie session, a write, an unknown token, a new ledger version)
goes through the full path unchanged, so the answers, and who may see them, are the same.
"""

from __future__ import annotations

import threading

from starlette.datastructures import URL, QueryParams

from corridor.access import members
from corridor.access.accounts import token_hash
from corridor.coalition.ledger import VERSION_SQL

API_PREFIX = "/api/v1/"


class LedgerVersion:
    """Reads the audit head's sequence number on one dedicated connection (no pool, no ORM)."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self._conn = None
        self._lock = threading.Lock()

    def read(self) -> int | None:
        with self._lock:
            try:
                if self._conn is None:
                    self._conn = self.engine.raw_connection()
                    self._conn.detach()      # ours alone: never returned to the pool
                cur = self._conn.cursor()
                try:
                    cur.execute(VERSION_SQL)
                    row = cur.fetchone()
                finally:
                    cur.close()
                self._conn.commit()          # end the read transaction (PostgreSQL; no-op on SQLite)
                return int(row[0]) if row else 0
            except Exception:  # noqa: BLE001  (any trouble: drop the connection, the full path answers)
                try:
                    if self._conn is not None:
                        self._conn.close()
                finally:
                    self._conn = None
                return None


class FastReadMiddleware:
    """Pure ASGI: answer cached API reads of known tokens without entering the framework."""

    def __init__(self, app, *, state) -> None:
        self.app = app
        self.state = state
        self.version = None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(API_PREFIX):
            return await self.app(scope, receive, send)
        auth = encoding = None
        for k, v in scope.get("headers", []):
            if k == b"authorization":
                auth = v.decode("latin-1")
            elif k == b"accept-encoding":
                encoding = v.decode("latin-1")
        if not auth or auth[:7].lower() != "bearer ":
            return await self.app(scope, receive, send)
        key = self._key(scope, auth[7:].strip())
        hit = None if key is None else self.state.response_cache.answer(key, encoding)
        if hit is None:
            return await self.app(scope, receive, send)
        body, gzipped = hit
        headers = [(b"content-type", b"application/json"), (b"vary", b"Accept-Encoding"),
                   (b"content-length", str(len(body)).encode())]
        if gzipped:
            headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _key(self, scope, token: str):
        """The response cache's key for this request, if the full path has vouched for the token."""
        if self.version is None:
            self.version = LedgerVersion(self.state.engine)
        version = self.version.read()
        if version is None:
            return None
        digest = token_hash(token)
        grant = self.state.token_cache.get((digest, version))
        if grant is None or not grant.live():    # unknown here, or expired: the full path answers
            return None
        # the token's last use, as the full path writes it (a dictionary lookup on most requests)
        members.note_token_use(self.state.engine, digest, self.state.__dict__.setdefault("token_use_noted", {}))
        query = str(QueryParams(scope.get("query_string", b"").decode("latin-1")))
        return answer_key(grant.actor(), URL(scope=scope).path, query, version)


def answer_key(actor, path: str, query: str, version: int) -> tuple:
    """The response cache's key for a read: what decides its answer (the reader's roles, the URL
    and the ledger's version). The one definition for both paths, so they cannot disagree."""
    return (tuple(sorted((org, role.value) for org, role in actor.roles.items())), path, query, version)
