"""Every API route × every role × own and other organisation × private, shared and aggregate records.

No route ever returns another organisation's private record; a refusal is 403 for a record the
caller may read but not change and 404 (exactly as for a missing id) for one it may not read;
a refused write changes nothing. Pages, archive routes and the derived views have their own
matrices (tests/web/test_page_matrix.py, tests/archive/test_archive_matrix.py); the helpers
here (the route list and the database snapshot) are shared with them.
"""

import itertools

import pytest

from corridor.access import members
from corridor.access.rules import Role, Visibility
from corridor.access.tables import Organisation, User
from corridor.coalition import ledger
from corridor.store import Base, session_scope
from tests.web.conftest import build_world, LS, bearer

pytestmark = pytest.mark.db      # the module's own database (api_world) runs on PostgreSQL too

# --------------------------------------------------------------------------- shared helpers


def routes_of(app) -> set[tuple[str, str]]:
    """(method, path) of every route and mount of ``app``, HEAD left out (it follows GET).

    FastAPI keeps an included router whole (``app.routes`` holds the router, not its routes), so
    the routers are walked: a list of only the top-level routes would leave the matrix empty.
    """
    def walk(routes):
        for r in routes:
            inner = getattr(r, "original_router", None)
            if inner is not None:
                yield from walk(inner.routes)
            else:
                yield r

    out = set()
    for r in walk(app.routes):
        for method in getattr(r, "methods", None) or {"GET"}:
            if method != "HEAD":
                out.add((method, r.path))
    return out


#: Tables a refused request may touch: sessions, the failure counter and the audit trail (a
#: refusal may be audited); everything else must be exactly as before.
BOOKKEEPING = {"web_session", "access_failure", "audit_log", "audit_head"}
#: Columns a refused request may touch: a token's last use (written at most once a day whatever
#: the token was refused for doing; ``corridor doctor`` reads it).
BOOKKEEPING_COLUMNS = {("api_token", "last_used_at")}


def snapshot(engine) -> dict[str, list]:
    """Every row of every table except :data:`BOOKKEEPING`, in a comparable form (read through
    the driver's own cursor: the matrix takes two snapshots per refused write)."""
    out = {}
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        for table in Base.metadata.sorted_tables:
            if table.name not in BOOKKEEPING:
                cols = ", ".join(f'"{c.name}"' for c in table.columns
                                 if (table.name, c.name) not in BOOKKEEPING_COLUMNS)
                cur.execute(f'SELECT {cols} FROM "{table.name}"')
                out[table.name] = sorted(map(repr, cur.fetchall()))
        cur.close()
        raw.rollback()
    finally:
        raw.close()
    return out


def changed_tables(before: dict, after: dict) -> list[str]:
    return [t for t in before if before[t] != after.get(t)]


# --------------------------------------------------------------------------- the API matrix

# What each route is sent: the change a caller would want (refused ones must change nothing).
WRITE_BODIES = {
    ("POST", "/api/v1/campaigns"): lambda ids: {"org_id": ids["org"], "name": "New one", "channel": "loudspeaker",
                                                "start_date": "2024-08-01"},
    ("PATCH", "/api/v1/campaigns/{campaign_id}"): lambda ids: {"name": "Renamed"},
    ("POST", "/api/v1/campaigns/{campaign_id}/share"): lambda ids: {"visibility": "coalition"},
    ("POST", "/api/v1/campaigns/{campaign_id}/activities"): lambda ids: {
        "id": f"added-{ids['n']}", "start": "2024-08-02T21:00:00Z", "spec": LS},
    ("PATCH", "/api/v1/activities/{activity_id}"): lambda ids: {"title": "Changed"},
}
NEEDS = {"view": Role.VIEWER, "edit": Role.EDITOR, "share": Role.OWNER, "create": Role.EDITOR,
         "import": Role.EDITOR}
ROUTE_KIND = {
    ("GET", "/api/v1/campaigns/{campaign_id}"): "view",
    ("GET", "/api/v1/campaigns/{campaign_id}/activities"): "view",
    ("GET", "/api/v1/activities/{activity_id}"): "view",
    ("PATCH", "/api/v1/campaigns/{campaign_id}"): "edit",
    ("DELETE", "/api/v1/campaigns/{campaign_id}"): "edit",
    ("POST", "/api/v1/campaigns/{campaign_id}/activities"): "edit",
    ("PATCH", "/api/v1/activities/{activity_id}"): "edit",
    ("DELETE", "/api/v1/activities/{activity_id}"): "edit",
    ("POST", "/api/v1/campaigns/{campaign_id}/share"): "share",
    ("POST", "/api/v1/campaigns"): "create",          # in the seeded record's organisation (A)
    ("POST", "/api/v1/import"): "import",             # into A
    ("GET", "/api/v1/audit/verify"): "audit",         # owners
}
LISTS = ["/api/v1/campaigns", "/api/v1/calendar", "/api/v1/export.hxl", "/api/v1/aggregates", "/api/v1/overlaps",
         "/api/v1/orgs"]
MISSING_ID = 2**31 - 7

def api_routes(app):
    out = [(m, p) for m, p in routes_of(app) if p.startswith("/api/v1")]
    return sorted(out, key=lambda mp: (mp[0] == "DELETE", mp[1]))  # deletes last


def test_the_matrix_covers_every_route(api_world):
    """A new API route fails here until the matrix knows what it needs."""
    routes = set(api_routes(api_world["app"]))
    covered = set(ROUTE_KIND) | {("GET", p) for p in LISTS}
    assert routes == covered, f"without an entry: {sorted(routes - covered)}; stale: {sorted(covered - routes)}"


def test_the_route_list_is_the_apps(api_world):
    """The walk finds exactly the API the OpenAPI schema describes (so the matrix is never empty)."""
    app = api_world["app"]
    schema = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops}
    assert schema and schema == set(api_routes(app))


@pytest.fixture(scope="module")
def api_world(tmp_path_factory):
    """One app for the module: orgs A and B, a user and an API token for every role in each."""
    import warnings

    from argon2 import PasswordHasher

    from corridor.access import accounts
    from corridor.web.app import create_app
    from tests.databases import drop_database, fresh_database_url

    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

    url = fresh_database_url(tmp_path_factory.mktemp("api-matrix"))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        app = create_app(url)
        out = {"app": app, **build_world(app.state.engine)}
        with TestClient(app) as client:                # one event-loop portal for every request
            yield {**out, "client": client}
        app.state.engine.dispose()
    drop_database(url)


_seq = itertools.count(1)


def seed(app, world, visibility, secret):
    """A fresh campaign of A, with one activity, both named with ``secret``."""
    from datetime import date

    with session_scope(app.state.engine) as s:
        owner = members.actor_for(s, s.get(User, world["users"][("A", Role.OWNER)]))
        c = ledger.create_campaign(s, owner, org_id=world["orgs"]["A"], name=f"Campaign {secret}",
                                   channel="loudspeaker", start_date=date(2024, 6, 1))
        a = ledger.add_activity(s, owner, c.id, {"id": f"act-{secret}", "start": "2024-06-01T22:00:00Z",
                                                 "spec": LS, "provinces": ["Kangwon"]})
        ledger.set_visibility(s, owner, c.id, visibility)
        return {"campaign_id": c.id, "activity_id": a.id}


def _hxl_file(n: int) -> bytes:
    return ("#activity+id,#sector+channel,#date+start,#meta+lon,#meta+lat,#meta+sound_power_db\n"
            f"imported-{n},loudspeaker,2024-08-03T21:00:00Z,126.7,37.9,160\n").encode()


def _call(client, method, path, ids, headers):
    url = path.format(**ids)
    if path == "/api/v1/import":
        return client.post(url, headers=headers, data={"org_id": str(ids["org"])},
                           files={"file": ("ledger.csv", _hxl_file(ids["n"]), "text/csv")})
    body = WRITE_BODIES.get((method, path), lambda i: None)(ids)
    return client.request(method, url, headers=headers, json=body)


def _expected(kind, role, own, readable):
    """(allowed, refusal status) for one route."""
    if kind == "audit":
        return role is Role.OWNER, 403
    may = own and role.rank >= NEEDS[kind].rank
    if kind in ("create", "import"):
        return may, 403 if own else 404
    if kind == "view":
        return readable, 404
    return may, 403 if readable else 404


def check_route(world, method, path, role, org, visibility, ids, secret) -> None:
    """One route called by one token on one seeded record; raises AssertionError when wrong."""
    app, client = world["app"], world["client"]
    missing = {**ids, "campaign_id": MISSING_ID, "activity_id": MISSING_ID}
    headers = bearer(world["tokens"][(org, role)])
    own = org == "A"
    readable = own or visibility in (Visibility.COALITION, Visibility.PUBLIC)   # public reads like coalition
    kind = ROUTE_KIND.get((method, path))
    before = None if kind is None or _expected(kind, role, own, readable)[0] else snapshot(app.state.engine)
    r = _call(client, method, path, ids, headers)
    where = (method, path, f"{role.value}-{org}", visibility.value)
    if kind is None:  # lists
        assert r.status_code == 200, (where, r.text)
        if not readable:
            assert secret not in r.text, where  # never leaks a private record
        return
    may, refused = _expected(kind, role, own, readable)
    if may:
        assert r.status_code in (200, 201, 204), (where, r.text)
        return
    assert r.status_code == refused, (where, r.status_code, r.text)
    assert secret not in r.text, where
    if before is not None:
        assert not changed_tables(before, snapshot(app.state.engine)), where
    if refused == 404 and "{" in path:
        gone = _call(client, method, path, missing, headers)
        assert gone.status_code == 404 and gone.json() == r.json(), where   # same as a missing id


def _seeded(world, visibility):
    secret = f"secret-plan-{next(_seq)}-7431"
    ids = seed(world["app"], world, visibility, secret)
    return ids | {"org": world["orgs"]["A"], "n": next(_seq)}, secret


@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("org", ["A", "B"])
@pytest.mark.parametrize("role", list(Role))
def test_matrix(api_world, visibility, org, role):
    """Every route in turn (deletes last) on one fresh record."""
    ids, secret = _seeded(api_world, visibility)
    errors = []
    for method, path in api_routes(api_world["app"]):
        try:
            check_route(api_world, method, path, role, org, visibility, ids, secret)
        except AssertionError as exc:
            errors.append(str(exc).splitlines()[0])
    assert not errors, "\n".join(errors)


def test_a_token_acts_only_for_its_organisation(app, world, client):
    secret = "secret-plan-7431"
    ids = seed(app, world, Visibility.PRIVATE, secret)
    # The owner of B is also made an editor of A, but their B token must not reach A's records.
    with session_scope(app.state.engine) as s:
        user = s.get(User, world["users"][("B", Role.OWNER)])
        org_a = s.get(Organisation, world["orgs"]["A"])
        members.set_membership(s, user, org_a, Role.EDITOR)
    token_b = world["tokens"][("B", Role.OWNER)]
    assert client.get(f"/api/v1/campaigns/{ids['campaign_id']}", headers=bearer(token_b)).status_code == 404
    assert secret not in client.get("/api/v1/campaigns", headers=bearer(token_b)).text
    r = client.post("/api/v1/campaigns", headers=bearer(token_b),
                    json={"org_id": world["orgs"]["A"], "name": "x", "channel": "loudspeaker", "start_date": "2024-01-01"})
    assert r.status_code == 404
