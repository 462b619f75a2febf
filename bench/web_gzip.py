"""Cached gzip (compressed once per cached body) against Starlette's GZipMiddleware (compressed on
every response) for the API's read fast path, in process (httpx ASGI transport, no network).

Run from the repository root: .venv/bin/python bench/web_gzip.py [--campaigns 300] [--requests 2000]
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

import httpx


def seed(url: str, n: int) -> str:
    from corridor.access import members
    from corridor.access.accounts import new_api_token
    from corridor.access.rules import Role, Visibility
    from corridor.access.tables import ApiToken
    from corridor.coalition import ledger
    from corridor.store import make_engine, session_scope, upgrade

    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as s:
        org = members.create_organisation(s, "Organisation 00")
        user = members.create_user(s, "owner0@example.org", "a long pass phrase 1")
        members.set_membership(s, user, org, Role.OWNER)
        actor = members.actor_for(s, user)
        token, digest = new_api_token()
        s.add(ApiToken(token_hash=digest, org_id=org.id, user_id=user.id, role="viewer"))
        for c in range(n):
            camp = ledger.create_campaign(s, actor, org_id=org.id, name=f"Campaign {c} for the border towns",
                                          channel="loudspeaker", goal="News and music for listeners near the line",
                                          start_date=date(2026, 1, 1), budget_amount=1000.0 + c)
            ledger.set_visibility(s, actor, camp.id, Visibility.COALITION)
    engine.dispose()
    return token


async def run(app, path: str, headers: dict, n: int) -> tuple[float, int, str]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for _ in range(20):                                   # warm: full path fills both caches
            r = await client.get(path, headers=headers)
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            r = await client.get(path, headers=headers)
            times.append(time.perf_counter() - t0)
        assert r.status_code == 200, r.text
        return statistics.median(times) * 1e6, int(r.headers.get("content-length", len(r.content))), \
            r.headers.get("content-encoding", "identity")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--campaigns", type=int, default=300)
    ap.add_argument("--requests", type=int, default=2000)
    args = ap.parse_args()
    from starlette.middleware.gzip import GZipMiddleware

    import corridor.web.app as webapp

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        token = seed(url, args.campaigns)
        api = {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}
        static = {"Accept-Encoding": "gzip"}
        cached_min = webapp.GZIP_MIN_BYTES
        variants = {
            "cached gzip (current)": (cached_min, None),
            "GZipMiddleware level 6": (10**12, 6),
            "GZipMiddleware level 9 (default)": (10**12, 9),
            "no compression": (10**12, None),
        }
        for name, (minimum, level) in variants.items():
            webapp.GZIP_MIN_BYTES = minimum
            app = webapp.create_app(url, migrate=False)
            if level is not None:
                app.add_middleware(GZipMiddleware, minimum_size=cached_min, compresslevel=level)
            for label, path, headers in (("GET /api/v1/campaigns", "/api/v1/campaigns", api),
                                         ("GET /static/corridor.css", "/static/corridor.css", static)):
                med, size, enc = asyncio.run(run(app, path, headers, args.requests))
                print(f"{name:34s} {label:24s} median {med:7.0f} µs  {size:7d} bytes ({enc})")
            app.state.engine.dispose()
        webapp.GZIP_MIN_BYTES = cached_min


if __name__ == "__main__":
    main()
