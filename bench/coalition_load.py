"""Load test of the coalition service: 10,000 activities across 20 organisations.

Starts ``corridor serve`` on 127.0.0.1 against SQLite (and PostgreSQL when it answers at
127.0.0.1:5432, database ``test``), then drives the campaign list and a month of the calendar
with ``wrk`` (Debian package ``wrk``) at 50 concurrent connections for 10 s each, after 2 s of
warm-up whose p99 is printed too, and prints
requests per second and p50/p99 latency. The server runs two worker processes (one per core of
the reference machine). Aim: p99 under 100 ms. Read endpoints are served from a cache keyed by
the reader's roles, the URL and the ledger's version, so the figures are those of a ledger that
is read far more often than written.

Run: ``.venv/bin/python bench/coalition_load.py [--seconds 10] [--connections 50]``
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta, timezone

import httpx
import sqlalchemy as sa

ORGS, CAMPAIGNS_PER_ORG, ACTIVITIES_PER_CAMPAIGN = 20, 10, 50
WORKERS = 2
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def seed(url: str) -> str:
    """Fill the ledger (through the ledger's own functions, validation and audit included)."""
    from corridor.access import members
    from corridor.access.accounts import new_api_token
    from corridor.access.rules import Role, Visibility
    from corridor.access.tables import ApiToken
    from corridor.coalition import ledger
    from corridor.store import make_engine, session_scope, upgrade

    upgrade(url)
    engine = make_engine(url)
    token = None
    t0 = time.perf_counter()
    with session_scope(engine) as s:
        for o in range(ORGS):
            org = members.create_organisation(s, f"Organisation {o:02d}")
            user = members.create_user(s, f"owner{o}@example.org", "a long pass phrase 1")
            members.set_membership(s, user, org, Role.OWNER)
            actor = members.actor_for(s, user)
            if o == 0:
                token, digest = new_api_token()
                s.add(ApiToken(token_hash=digest, org_id=org.id, user_id=user.id, role="viewer"))
            for c in range(CAMPAIGNS_PER_ORG):
                camp = ledger.create_campaign(s, actor, org_id=org.id, name=f"Campaign {o}-{c}", channel="loudspeaker",
                                              start_date=date(2026, 1, 1))
                for a in range(ACTIVITIES_PER_CAMPAIGN):
                    start = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(hours=7 * (c * ACTIVITIES_PER_CAMPAIGN + a))
                    ledger.add_activity(s, actor, camp.id, {
                        "id": f"a-{o}-{c}-{a}", "start": start.isoformat(),
                        "spec": {"lon": 126.70, "lat": 37.90, "sound_power_db": 160}, "provinces": ["Kangwon"]})
                if c % 2 == 0:
                    ledger.set_visibility(s, actor, camp.id, Visibility.COALITION)
    engine.dispose()
    print(f"  seeded {ORGS * CAMPAIGNS_PER_ORG * ACTIVITIES_PER_CAMPAIGN:,} activities in {time.perf_counter() - t0:.0f} s")
    return token


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, token: str, seconds: int, connections: int) -> dict:
    # Accept-Encoding as browsers, httpx and requests send it: large answers travel compressed.
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency",
                          "-H", f"Authorization: Bearer {token}", "-H", "Accept-Encoding: gzip", url],
                         capture_output=True, text=True).stdout
    def ms(label):
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": ms("50%"), "p99": ms("99%"), "non2xx": int(errors.group(1)) if errors else 0}


def run(label: str, url: str, seconds: int, connections: int) -> None:
    print(f"{label}:")
    token = seed(url)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "corridor", "serve", "--port", str(port), "--db", url,
                               "--workers", str(WORKERS)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                httpx.get(base + "/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        for name, path in (("campaign list", "/api/v1/campaigns"),
                           ("calendar, one month", "/api/v1/calendar?start=2026-03-01&end=2026-03-31")):
            n = len(httpx.get(base + path, headers={"Authorization": f"Bearer {token}"}).json())
            # Warm-up (reported, not counted): the first answers of each worker after a start or a
            # write compute the JSON; the steady state serves it from the cache.
            w = wrk(base + path, token, 2, connections)
            r = wrk(base + path, token, seconds, connections)
            flag = "ok" if r["p99"] < 100 else "ABOVE AIM"
            print(f"  {name:<22} {n:>5} items  {r['rps']:>7.0f} req/s  p50 {r['p50']:>6.1f} ms  "
                  f"p99 {r['p99']:>6.1f} ms  ({flag}; non-2xx {r['non2xx']}; first 2 s: p99 {w['p99']:.0f} ms)")
    finally:
        server.terminate()
        server.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("CORRIDOR_CACHE_DIR", tmp)
        run("SQLite", f"sqlite:///{tmp}/load.db", args.seconds, args.connections)
    try:
        admin = sa.create_engine(POSTGRES, connect_args={"connect_timeout": 3})
        schema = "bench_" + uuid.uuid4().hex[:8]
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        print(f"PostgreSQL: not reachable at 127.0.0.1:5432 ({type(exc).__name__}); skipped")
        return
    try:
        run("PostgreSQL", f"{POSTGRES}?options=-csearch_path%3D{schema}", args.seconds, args.connections)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))


if __name__ == "__main__":
    main()
