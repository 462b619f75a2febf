"""Every page and form × every kind of visitor × organisation A's private, shared and
aggregate-only records, and the derived views (overlaps, aggregates, dashboard, calendar, export).

The world is built once per module: organisations A and B, a signed-in browser for each ledger
role (viewer, editor, owner) and each archive role (interviewer, coder, reviewer) of each, an API
token for each of them, a visitor who is not signed in, and an API token presented on a page
route. A holds a private radio schedule (9731 kHz, 13:17–14:43 UTC on Tuesdays and Thursdays,
Ryanggang, November 2029), a private loudspeaker campaign, a campaign shared with the coalition
and one published only as aggregates, plus an archive witness with a sealed identity, an
interview and a saved search. B shares a radio schedule that collides with A's private one (so
the overlaps have something to compute) and keeps a private loudspeaker campaign.

Every record carries distinctive canary strings and numbers (in names, goals, titles, ids, spec
values, budgets, months). The invariants hold whatever a view's exact wording:

- no response ever contains another organisation's private or aggregate-only canaries, its
  archive records or anyone's sealed identity (OWASP ASVS 4.0 V4.1.3, least privilege; V8.3.1,
  sensitive data not sent to those who may not read it);
- a refusal is 403 (a record the reader may see but not change) or 404 (a record the reader may
  not see, answered exactly as a missing one, so an id reveals nothing: OWASP ASVS V4.2.1,
  insecure direct object references);
- a refused write changes nothing in the database (compared row by row before and after);
- members see their own records where a view shows them.

The radio and loudspeaker models and the dashboard's map drawing are replaced by stand-ins for
this module: it tests who sees what, not the physics (tests/radio and tests/assess do that). The
stand-in "figure" is the assessment it was drawn from, so a figure leaks exactly when the data
behind it would.
"""

from __future__ import annotations

import contextlib
import html
import json
import re
import time
import warnings
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyotp
import pytest

from corridor.access import members
from corridor.access.accounts import new_api_token
from corridor.access.rules import ArchiveRole, Role, Visibility
from corridor.access.tables import ApiToken, User
from corridor.store import session_scope
from tests.web.conftest import PASSWORD, csrf_of, login
from tests.web.test_authorization_matrix import changed_tables, routes_of, snapshot

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")

from fastapi.testclient import TestClient

pytestmark = pytest.mark.db

#: Real EiBi rows (summer 2026) that an owner publishes as a public schedule.
SKED = Path(__file__).parents[1] / "coalition" / "data" / "sked-a26.csv"
ORGS = ("a", "b")
ORG_NAMES = {"a": "Free Voice", "b": "Sky Letters"}
LEDGER_ROLES = (Role.VIEWER, Role.EDITOR, Role.OWNER)
ARCHIVE_ROLES = (ArchiveRole.INTERVIEWER, ArchiveRole.CODER, ArchiveRole.REVIEWER)
KEY_PASSPHRASE = "key pass phrase for tests"
LS = {"lon": 126.70, "lat": 37.90, "sound_power_db": 160}

#: A's private radio schedule: every value distinctive, so that any trace of it can be found.
PRIVATE_RADIO = {"station": "PRIVCAN-A-4475 station", "site": "Tashkent", "lat": 41.30, "lon": 69.20,
                 "power_kw": 100, "frequency_khz": 9731, "utc_start": "13:17", "utc_end": "14:43",
                 "days": ["tue", "thu"]}
#: B's shared schedule, 2 kHz from A's private one and on air 14:00–15:00 every day: they collide.
PROBE_RADIO = {"station": "SHARECAN-B-9904 station", "site": "Tashkent", "lat": 41.30, "lon": 69.20,
               "power_kw": 100, "frequency_khz": 9733, "utc_start": "14:00", "utc_end": "15:00",
               "days": ["daily"]}

#: Sealed identities (the server cannot read them; nobody but a reviewer with the key may).
SEALED = {"a": {"name": "박은별", "birth_date": "1987-02-14", "contacts": "+82-10-5555-0199 / eunbyul.park@example.org",
                "family_in_north": "어머니 최순자, 함경북도 회령시 오산덕동 12반"},
          "b": {"name": "김하늘", "birth_date": "1979-09-03", "contacts": "+82-10-7777-0142 / haneul.kim@example.org",
                "family_in_north": "아버지 리철수, 량강도 혜산시 연봉동 4반"}}


# --------------------------------------------------------------------------- who is asking


@dataclass(frozen=True)
class Who:
    """A visitor: nobody, an API token on a page route, or a signed-in member of one organisation."""

    name: str
    org: str | None = None
    role: Role | None = None                  # ledger role in ``org``
    archive: ArchiveRole | None = None        # archive role in ``org`` (held beside a viewer role)

    @property
    def signed_in(self) -> bool:
        return self.org is not None

    def rank(self) -> int:
        return self.role.rank if self.role else 0

    def __str__(self) -> str:
        return self.name


def _visitors() -> list[Who]:
    out = [Who("anonymous"), Who("token-on-page")]
    for org in ORGS:
        out += [Who(f"{r.value}-{org}", org, r) for r in LEDGER_ROLES]
        out += [Who(f"{r.value}-{org}", org, Role.VIEWER, r) for r in ARCHIVE_ROLES]
    return out


VISITORS = _visitors()
SIGNED_IN = [w for w in VISITORS if w.signed_in]


# --------------------------------------------------------------------------- the records


@dataclass(frozen=True)
class Record:
    """One campaign of the world, with the canaries only its readers may see."""

    key: str
    org: str
    visibility: Visibility
    channel: str
    name: str
    activity: str            # public id of its activity
    title: str               # title of its activity
    canaries: tuple[str, ...] = ()

    def readable_by(self, who: Who) -> bool:
        """The sharing rule of the issue: own organisation, or shared with the coalition."""
        return who.signed_in and (who.org == self.org or self.visibility is Visibility.COALITION)


RECORDS = {r.key: r for r in (
    Record("a-private-radio", "a", Visibility.PRIVATE, "radio", "PRIVCAN-A-4471 dawn relay", "priv-radio-a-4473",
           "PRIVCAN-A-4474 evening", ("PRIVCAN-A-4472 goal", "PRIVCAN-A-4475", "9731", "9,731", "48213", "48,213",
                                      "36917", "36,917", "2029-11")),
    Record("a-private-ls", "a", Visibility.PRIVATE, "loudspeaker", "PRIVCAN-A-5511 border voice", "priv-ls-a-5512",
           "PRIVCAN-A-5513 night", ("2029-11",)),
    Record("a-shared", "a", Visibility.COALITION, "loudspeaker", "SHARECAN-A-6601 shared voice", "shared-ls-a-6602",
           "SHARECAN-A-6603 launch"),
    Record("a-aggregate", "a", Visibility.AGGREGATE, "loudspeaker", "AGGCAN-A-7701 counted voice", "agg-ls-a-7702",
           "AGGCAN-A-7703 counted", ("AGGCAN-A-7704 goal",)),
    Record("b-shared", "b", Visibility.COALITION, "radio", "SHARECAN-B-9901 probe", "probe-b-9902",
           "SHARECAN-B-9903 probe", ("SHARECAN-B-9904",)),
    Record("b-private", "b", Visibility.PRIVATE, "loudspeaker", "PRIVCAN-B-9911 quiet voice", "priv-ls-b-9912",
           "PRIVCAN-B-9913 quiet", ("PRIVCAN-B-9914 goal",)),
)}
SPECS = {"a-private-radio": PRIVATE_RADIO, "b-shared": PROBE_RADIO}
STARTS = {"a-private-radio": "2029-11-17T13:17:00Z", "a-private-ls": "2029-11-18T21:00:00Z",
          "a-shared": "2028-03-03T21:00:00Z", "a-aggregate": "2028-04-04T21:00:00Z",
          "b-shared": "2029-10-01T14:00:00Z", "b-private": "2028-06-06T21:00:00Z"}
PROVINCES = {"a-private-radio": ["Ryanggang"], "a-private-ls": ["Ryanggang"], "a-shared": ["Kangwon"],
             "a-aggregate": ["Kangwon"], "b-shared": ["Ryanggang"], "b-private": ["North Hwanghae"]}


def usernames(org: str) -> list[str]:
    """The organisation's members (who works for whom is itself private); "spare-a" also covers
    the "spare-a-N" accounts made to be removed by the membership forms."""
    return [f"{r.value}-{org}" for r in LEDGER_ROLES] + [f"{r.value}-{org}" for r in ARCHIVE_ROLES] + [f"spare-{org}"]


@dataclass
class Matrix:
    """The world of one module: the app, its visitors' clients, the records' ids and canaries."""

    app: object
    engine: object
    orgs: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    totp: dict[str, str] = field(default_factory=dict)
    clients: dict[str, TestClient] = field(default_factory=dict)
    csrf: dict[str, str] = field(default_factory=dict)
    campaigns: dict[str, int] = field(default_factory=dict)
    interviews: dict[str, str] = field(default_factory=dict)     # org → interview public id
    people: dict[str, str] = field(default_factory=dict)         # org → person public id
    searches: dict[str, str] = field(default_factory=dict)       # org → saved-search token
    archive_canaries: dict[str, list[str]] = field(default_factory=dict)
    #: Open clients (each keeps one event-loop portal for all its requests) closed with the world.
    stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)
    answers: dict = field(default_factory=dict)

    # ---- what each visitor may never see

    def forbidden(self, who: Who, *, overlaps: bool = False, unsealed: bool = False) -> list[str]:
        """Canaries that must not appear in any response to ``who``.

        ``overlaps``: the view is the overlaps view, where the owner of a private slot may be
        told who matched it (a member of another organisation), so usernames are not checked.
        ``unsealed``: the response is a sealed identity opened by a reviewer of its organisation.
        """
        out: list[str] = []
        for org in ORGS:
            own = who.org == org
            for r in RECORDS.values():
                if r.org == org and not r.readable_by(who):
                    out += [r.name, r.activity, r.title, *r.canaries]
            if not own and not overlaps:
                out += usernames(org)
            if not (own and who.archive):
                out += self.archive_canaries.get(org, [])
            if not (own and unsealed):
                out += [v for v in SEALED[org].values()] + [SEALED[org]["contacts"].split(" / ")[1]]
        return out

    def client(self, who: Who) -> TestClient:
        return self.clients[who.name]

    def missing(self, who: Who, method: str, url: str, data: dict | None = None) -> tuple[int, str]:
        """(status, body) of ``who``'s request for a record that does not exist (asked once per
        URL: what a refusal must look like, byte for byte)."""
        key = (who.name, method, url)
        if key not in self.answers:
            r = self.client(who).request(method, url, data=data, follow_redirects=False)
            self.answers[key] = (r.status_code, r.text)
        return self.answers[key]


# --------------------------------------------------------------------------- stand-ins


def _stand_in_coverage(activity_json: dict, grid_params: dict, resolution_km: float, year: int,
                       draws: int, seed: int) -> dict:
    """A coverage with the shape and metadata the assessment needs, without the physics."""
    from corridor.channels.base import Activity
    from corridor.geo.grid import GridParams, load_grid

    activity = Activity.model_validate(activity_json)
    grid = load_grid(resolution_km, year, GridParams(**grid_params))
    meta = {"model": "access-matrix stand-in", "version": "0", "assumptions": {}}
    if activity.channel == "radio":
        hours = activity.spec.hours()
        meta["hours"] = hours
        meta["listening_by_hour"] = [[0.0] * len(hours)] * 3
    return {"probability": np.full((draws, grid.n_cells), 0.001, dtype=np.float32), "meta": meta}


def _stand_in_figure(a, out, *, lang: str = "en") -> Path:
    """A "figure" whose bytes are the assessment it is drawn from (PNG signature first)."""
    path = Path(out)
    body = json.dumps(a.as_dict(), default=str, ensure_ascii=False).encode()
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + body)
    return path


# --------------------------------------------------------------------------- building the world


def _patch_for_speed(mp: pytest.MonkeyPatch) -> None:
    """Cheap password hashing and key wrapping, and the model stand-ins (the product keeps its own)."""
    import nacl.pwhash
    from argon2 import PasswordHasher

    from corridor.access import accounts
    from corridor.archive import sealing
    from corridor.assess import coverages
    from corridor.presentation import figures

    mp.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    mp.setitem(sealing.passphrase_encrypt.__kwdefaults__, "opslimit", nacl.pwhash.argon2id.OPSLIMIT_MIN)
    mp.setitem(sealing.passphrase_encrypt.__kwdefaults__, "memlimit", nacl.pwhash.argon2id.MEMLIMIT_MIN)
    mp.setattr(coverages, "compute_one", _stand_in_coverage)
    for name in ("reach_map", "gap_map", "channel_chart"):
        mp.setattr(figures, name, _stand_in_figure)


def _people(s, m: Matrix) -> None:
    """Organisations, a user per ledger and archive role, an API token each, TOTP for owners."""
    from corridor.archive import records

    for org in ORGS:
        o = members.create_organisation(s, ORG_NAMES[org])
        m.orgs[org] = o.id
        for who in [w for w in SIGNED_IN if w.org == org]:
            user = members.create_user(s, who.name, PASSWORD)
            members.set_membership(s, user, o, who.role)
            if who.archive:
                records.grant_role(s, user, o, who.archive)
            if who.role is Role.OWNER:
                secret = pyotp.random_base32()
                members.set_totp(s, user, secret)
                m.totp[who.name] = secret
            token, digest = new_api_token()
            s.add(ApiToken(token_hash=digest, org_id=o.id, user_id=user.id, role=who.role.value))
            m.users[who.name] = user.id
            m.tokens[who.name] = token
        spare = members.create_user(s, f"spare-{org}", PASSWORD)     # whom the refused membership forms target
        members.set_membership(s, spare, o, Role.VIEWER)
        records.grant_role(s, spare, o, ArchiveRole.CODER)
        m.users[f"spare-{org}"] = spare.id
        records.create_key(s, o.id, passphrase=KEY_PASSPHRASE)


def _ledger(s, m: Matrix) -> None:
    from corridor.coalition import ledger

    for r in RECORDS.values():
        owner = members.actor_for(s, s.get(User, m.users[f"owner-{r.org}"]))
        goal = next((c for c in r.canaries if "goal" in c), "")
        budget = 48213 if r.key == "a-private-radio" else None
        c = ledger.create_campaign(s, owner, org_id=m.orgs[r.org], name=r.name, channel=r.channel, goal=goal,
                                   start_date=date.fromisoformat(STARTS[r.key][:10]), budget_amount=budget)
        ledger.add_activity(s, owner, c.id, {
            "id": r.activity, "title": r.title, "start": STARTS[r.key], "spec": SPECS.get(r.key, LS),
            "provinces": PROVINCES[r.key], "cost_amount": 36917 if r.key == "a-private-radio" else 1000})
        if r.visibility is not Visibility.PRIVATE:
            ledger.set_visibility(s, owner, c.id, r.visibility)
        m.campaigns[r.key] = c.id


def _archive(s, m: Matrix) -> None:
    """A witness with a sealed identity and a reviewed interview, and a saved search, per organisation.

    The review approves the transcripts as they are (the redaction detector is tested in
    tests/archive; here it would only cost time)."""
    from corridor.archive import records
    from corridor.archive import search as search_mod
    from tests.archive.conftest import EN_TEXT, KO_TEXT, add_witness

    world = {"orgs": {o.upper(): i for o, i in m.orgs.items()},
             "users": {(w.org.upper(), w.archive.value): m.users[w.name] for w in SIGNED_IN if w.archive}}
    for org, n in (("a", 8800), ("b", 8900)):
        word = f"ARCCAN-{org.upper()}-{n + 2}"
        person, iv = add_witness(s, world, org.upper(), identity=SEALED[org], pseudonym=f"ARCCAN-{org.upper()}-{n + 1}",
                                 ko=f"{KO_TEXT}\n\n암호 {word}", en=f"{EN_TEXT}\n\nCodeword {word}.")
        reviewer = records.clerk_for(s, s.get(User, m.users[f"reviewer-{org}"]))
        for tr in iv.transcripts:                        # approved for export, nothing hidden
            records.record_review(s, reviewer, iv, tr, [])
        coder = records.clerk_for(s, s.get(User, m.users[f"coder-{org}"]))
        query = f"ARCCAN-{org.upper()}-{n + 3}"
        token = records.save_search(s, coder, m.orgs[org], search_mod.Query(q=query))
        m.interviews[org], m.people[org], m.searches[org] = iv.public_id, person.public_id, token
        m.archive_canaries[org] = [person.pseudonym, word, query, iv.public_id, person.public_id, token]


def browser(app, n: int) -> TestClient:
    """A client from its own address (RFC 5737 documentation range): each person on their own
    machine, so one person's refused attempts are not counted against another's address."""
    return TestClient(app, client=(f"198.51.100.{n % 250 + 1}", 50000))


_addresses = iter(range(100, 10**6))


def _sign_in(m: Matrix) -> None:
    for n, who in enumerate(VISITORS):
        client = m.stack.enter_context(browser(m.app, n))
        if who.name == "token-on-page":
            client.headers["Authorization"] = f"Bearer {m.tokens['owner-a']}"
        elif who.signed_in:
            code = pyotp.TOTP(m.totp[who.name]).now() if who.name in m.totp else ""
            r = login(client, who.name, PASSWORD, code)
            assert r.status_code == 303, (who, r.status_code, r.text[:300])
            m.csrf[who.name] = csrf_of(client.get("/campaigns").text)
        m.clients[who.name] = client
    m.clients["bare"] = m.stack.enter_context(browser(m.app, 249))     # for API tokens: no cookies


def build_matrix(db_url: str, mp: pytest.MonkeyPatch) -> Matrix:
    """The whole world, on a fresh database."""
    from corridor.web.app import create_app
    from corridor.web.dashboard import AssessmentCache

    _patch_for_speed(mp)
    app = create_app(db_url, draws=20)
    app.state.assessments = AssessmentCache(size=32)   # one per reader: none recomputed in this module
    m = Matrix(app=app, engine=app.state.engine)
    with session_scope(m.engine) as s:
        _people(s, m)
    with session_scope(m.engine) as s:
        _ledger(s, m)
    with session_scope(m.engine) as s:
        _archive(s, m)
    _sign_in(m)
    return m


@pytest.fixture(scope="module")
def matrix_db(tmp_path_factory):
    """A database for one module: a SQLite file, or a PostgreSQL schema (see tests/databases.py)."""
    from tests.databases import drop_database, fresh_database_url

    url = fresh_database_url(tmp_path_factory.mktemp("matrix"))
    yield url
    drop_database(url)


@pytest.fixture(scope="module")
def matrix(matrix_db):
    with pytest.MonkeyPatch.context() as mp:
        m = build_matrix(matrix_db, mp)
        with m.stack:
            yield m
        m.engine.dispose()


# --------------------------------------------------------------------------- checking answers

def text_of(r, who_csrf: str = "") -> str:
    """What a response says, in the form canaries are looked for: HTML entities and JSON escapes
    undone; the reader's own CSRF token taken out (random text that could contain anything)."""
    kind = r.headers.get("content-type", "")
    if "json" in kind:
        try:
            body = json.dumps(r.json(), ensure_ascii=False)
        except ValueError:
            body = r.text
    elif "image/png" in kind:
        body = r.content.decode("utf-8", "replace")
    else:
        body = html.unescape(r.text)
    if who_csrf:
        body = body.replace(who_csrf, "")
    return body + " " + r.headers.get("location", "")


def found(canary: str, body: str) -> bool:
    """Whether ``canary`` is in ``body``; a number only as a whole number (9731 is in "9731.0 kHz"
    and "9,731", not in "5796.9731445")."""
    if not canary.replace(",", "").isdigit():
        return canary in body
    return re.search(r"(?<![\d.,])" + re.escape(canary) + r"(?!\d|,\d)", body) is not None


def assert_nothing_leaks(m: Matrix, who: Who, r, what: str, **kw) -> str:
    body = text_of(r, m.csrf.get(who.name, ""))
    leaked = [c for c in m.forbidden(who, **kw) if found(c, body)]
    assert not leaked, f"{what} shows {leaked} to {who}"
    return body


def assert_sent_to_sign_in(r, what: str) -> None:
    """A page for someone who is not signed in (or who presents an API token): sign in first."""
    if r.status_code == 303:
        assert r.headers["location"].startswith("/login"), (what, r.headers["location"])
    else:
        assert r.status_code in (401, 403, 404), (what, r.status_code)


def refusal(*, member: bool, readable: bool) -> int:
    """The one right refusal: 403 when the reader may see the record (or belongs to the
    organisation) but not act, 404 when it may not even know it exists."""
    return 403 if (member or readable) else 404


# --------------------------------------------------------------------------- every route


#: Page routes (everything outside /api/v1 and /archive) and how the matrix treats them.
PAGE_ROUTES = {
    ("GET", "/"): "home",
    ("GET", "/campaigns"): "view",
    ("GET", "/campaigns/new"): "view",
    ("GET", "/calendar"): "view",
    ("GET", "/overlaps"): "view",
    ("GET", "/orgs"): "view",
    ("GET", "/account/2fa"): "view",
    ("GET", "/dashboard"): "view",
    ("GET", "/dashboard/whatif"): "view",
    ("GET", "/dashboard/figure/{name}.png"): "view",
    ("GET", "/campaigns/{campaign_id:dbid}"): "record",
    ("GET", "/dashboard/campaigns/{campaign_id:dbid}"): "record",
    ("POST", "/campaigns/new"): "create",
    ("POST", "/campaigns/{campaign_id:dbid}/activities"): "edit",
    ("POST", "/campaigns/{campaign_id:dbid}/share"): "share",
    ("POST", "/orgs/{org_id:dbid}/members"): "manage",
    ("POST", "/orgs/{org_id:dbid}/members/{user_id:dbid}/role"): "manage",
    ("POST", "/orgs/{org_id:dbid}/members/{user_id:dbid}/remove"): "manage",
    ("POST", "/orgs/{org_id:dbid}/members/{user_id:dbid}/archive/{role}/revoke"): "manage",
    ("POST", "/orgs/{org_id:dbid}/public-schedule"): "publish",
    ("POST", "/account/2fa"): "self",
    ("POST", "/logout"): "session",
}
#: Public routes: no records behind them (each is still fetched by every visitor below).
PUBLIC_ROUTES = {("GET", "/login"), ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/fonts/{name}"),
                 ("GET", "/openapi.json"),
                 ("GET", "/static")}
#: Signing in is public by nature; it is tested in tests/web/test_web_service.py and tests/attacks.
SIGN_IN = {("POST", "/login"), ("POST", "/login/enrol")}


def test_the_page_matrix_covers_every_page_route(matrix):
    pages = {mp for mp in routes_of(matrix.app) if not mp[1].startswith(("/api/v1", "/archive"))}
    missing = pages - set(PAGE_ROUTES) - PUBLIC_ROUTES - SIGN_IN
    assert not missing, f"routes without a matrix entry: {sorted(missing)}"
    stale = (set(PAGE_ROUTES) | PUBLIC_ROUTES | SIGN_IN) - pages
    assert not stale, f"matrix entries for routes that no longer exist: {sorted(stale)}"


# --------------------------------------------------------------------------- GET pages

CAMPAIGN_TARGETS = [*RECORDS, "missing"]
MISSING_ID = 999_999_937       # no such record, within the ids a page route accepts (1 to 9 digits)


def _campaign_id(m: Matrix, target: str) -> int:
    return MISSING_ID if target == "missing" else m.campaigns[target]


def _get_cases():
    for (method, path), kind in PAGE_ROUTES.items():
        if method != "GET":
            continue
        if kind == "record":
            for target in CAMPAIGN_TARGETS:
                yield path, target
        elif "{name}" in path:
            for name in ("reach", "gap", "channels"):
                yield path, name
        else:
            yield path, None


GET_CASES = list(_get_cases())


@pytest.mark.parametrize("who", VISITORS, ids=str)
@pytest.mark.parametrize("path, target", GET_CASES, ids=[f"{p}:{t}" if t else p for p, t in GET_CASES])
def test_get_page(matrix, who, path, target):
    m = matrix
    kind = PAGE_ROUTES[("GET", path)]
    url = path.replace(":dbid", "").format(campaign_id=_campaign_id(m, target) if kind == "record" else 0, name=target)
    r = m.client(who).get(url, follow_redirects=False)
    body = assert_nothing_leaks(m, who, r, url, overlaps=path == "/overlaps")
    if kind == "home":   # only a redirect: to the campaigns for a signed-in browser (or a token)
        assert r.status_code == 303 and r.headers["location"] in ("/campaigns", "/login"), r.headers
        assert r.headers["location"] == "/campaigns" or not who.signed_in
        return
    if not who.signed_in:
        assert_sent_to_sign_in(r, url)
        return
    if kind == "record":
        record = RECORDS.get(target)
        if record is not None and record.readable_by(who):
            assert r.status_code == 200, (url, who, r.status_code)
            assert record.name in body
        else:
            status, text = m.missing(who, "GET", path.replace(":dbid", "").format(campaign_id=MISSING_ID))
            assert r.status_code == status == 404, (url, who, r.status_code)
            assert r.text == text                         # the same answer as a missing id
        return
    assert r.status_code == 200, (url, who, r.status_code, r.text[:300])
    _own_records_shown(m, who, path, body)


def _own_records_shown(m: Matrix, who: Who, path: str, body: str) -> None:
    """Where a view lists records, everything the reader may read is there."""
    readable = [r for r in RECORDS.values() if r.readable_by(who)]
    if path == "/campaigns":
        assert all(r.name in body for r in readable), [r.name for r in readable if r.name not in body]
    elif path == "/calendar":
        assert all(r.title in body for r in readable), [r.title for r in readable if r.title not in body]
    elif path == "/dashboard":
        assert all(r.name in body for r in readable), [r.name for r in readable if r.name not in body]
    elif path == "/orgs":
        assert all(u in body for u in usernames(who.org))
    elif path == "/overlaps":
        mine = "priv-radio-a-4473" if who.org == "a" else "probe-b-9902"
        assert mine in body                                    # the reader's own colliding slot


# --------------------------------------------------------------------------- derived views (API)

API_VIEWS = ["/api/v1/overlaps", "/api/v1/aggregates", "/api/v1/calendar", "/api/v1/export.hxl",
             "/api/v1/campaigns", "/api/v1/orgs"]
CREDENTIALS = [(kind, w) for w in SIGNED_IN for kind in ("token", "cookie")]


@pytest.mark.parametrize("kind, who", CREDENTIALS, ids=[f"{k}:{w}" for k, w in CREDENTIALS])
@pytest.mark.parametrize("view", API_VIEWS)
def test_derived_api_view(matrix, view, kind, who):
    m = matrix
    if kind == "token":
        r = m.clients["bare"].get(view, headers={"Authorization": f"Bearer {m.tokens[who.name]}"})
    else:
        r = m.client(who).get(view)
    assert r.status_code == 200, (view, who, r.text[:300])
    body = assert_nothing_leaks(m, who, r, view, overlaps=view.endswith("overlaps"))
    readable = [rec for rec in RECORDS.values() if rec.readable_by(who)]
    if view in ("/api/v1/calendar", "/api/v1/export.hxl"):
        assert all(rec.activity in body for rec in readable), view
    elif view == "/api/v1/campaigns":
        assert {c["name"] for c in r.json()} >= {rec.name for rec in readable}
    elif view == "/api/v1/orgs":
        assert [o["id"] for o in r.json()] == [m.orgs[who.org]]
    elif view == "/api/v1/overlaps":
        assert ("priv-radio-a-4473" if who.org == "a" else "probe-b-9902") in body
    if view == "/api/v1/aggregates" and who.org == "b":
        cells = {(c["channel"], c["province"], c["month"]) for c in r.json()}
        assert not any(month == "2029-11" for _, _, month in cells)   # A's private month is never counted


def test_public_routes_reveal_nothing(matrix):
    m = matrix
    for who in VISITORS:
        for url in ("/login", "/healthz", "/readyz", "/openapi.json", "/fonts/none.ttf", "/static/none.css"):
            r = m.client(who).get(url, follow_redirects=False)
            assert r.status_code in (200, 404), (url, who, r.status_code)
            assert_nothing_leaks(m, who, r, url)


# --------------------------------------------------------------------------- POST forms

def _activity_form(n: int) -> dict:
    return {"id": f"form-added-{n}", "title": "added through the form", "start": "2030-01-02T21:00",
            "spec.lon": "126.70", "spec.lat": "37.90", "spec.sound_power_db": "160"}


def _post_cases():
    for (method, path), kind in PAGE_ROUTES.items():
        if method != "POST":
            continue
        if kind in ("create", "manage", "publish"):
            targets = list(ORGS)
        elif kind == "edit":      # loudspeaker campaigns of each visibility (one form fits them all)
            targets = ["a-private-ls", "a-shared", "a-aggregate", "b-private"]
        elif kind == "share":     # a missing id is posted to beside every refusal that must look like it
            targets = list(RECORDS)
        else:
            targets = [None]
        for target in targets:
            yield path, target


POST_CASES = list(_post_cases())


def _params():
    out = []
    for path, target in POST_CASES:
        for who in VISITORS:
            out.append(pytest.param(path, target, who, id=f"{path}:{target}-{who}"))
    return out


_counter = iter(range(1, 10**6))


def _throwaway(m: Matrix, org: str, path: str) -> tuple[int, str]:
    """A fresh account for an owner's allowed membership change to act on (the refused changes
    all aim at the same "spare" member, who must stay as they are)."""
    from corridor.access.tables import Organisation
    from corridor.archive import records

    name = f"spare-{org}-{next(_counter)}"
    with session_scope(m.engine) as s:
        user = members.create_user(s, name, PASSWORD)
        o = s.get(Organisation, m.orgs[org])
        if not path.endswith("/members"):                  # the add form takes someone not yet a member
            members.set_membership(s, user, o, Role.VIEWER)
            records.grant_role(s, user, o, ArchiveRole.CODER)
        return user.id, name


def _form(m: Matrix, who: Who, path: str, target: str | None, allowed: bool, member: tuple | None) -> dict:
    """What the visitor submits: the harmful change when refused, a harmless one when allowed."""
    kind = PAGE_ROUTES[("POST", path)]
    data = {"csrf": m.csrf.get(who.name, "")}
    if kind == "create":
        data |= {"org_id": str(m.orgs[target]), "name": "made through the form", "channel": "loudspeaker",
                 "start_date": "2030-01-01"}
    elif kind == "edit":
        data |= _activity_form(next(_counter))
    elif kind == "share":
        current = RECORDS[target].visibility.value if target in RECORDS else "private"
        data["visibility"] = current if allowed else "coalition"       # allowed: no change at all
    elif path.endswith("/members"):
        # allowed: an owner adds a new viewer; refused: make oneself an owner there
        data |= {"username": member[1], "role": "viewer"} if allowed else {"username": who.name, "role": "owner"}
    elif path.endswith("/role"):
        data["role"] = "editor" if allowed else "owner"
    elif kind == "self":
        # one's own password, a wrong current code (owners) and a wrong new code: nothing is kept
        data |= {"password": PASSWORD, "current": "000000", "secret": pyotp.random_base32(), "code": "000000"}
    return data


def _url(m: Matrix, path: str, target: str | None, member: tuple | None = None) -> str:
    plain = path.replace(":dbid", "")            # the route's convertor, not part of the URL
    if "{campaign_id}" in plain:
        return plain.format(campaign_id=_campaign_id(m, target))
    if "{org_id}" in plain:
        return plain.format(org_id=m.orgs[target], user_id=member[0] if member else 0, role="coder")
    return plain


def _may(who: Who, kind: str, target: str | None) -> tuple[bool, bool, bool]:
    """(allowed, member of the target's organisation, may read the target)."""
    record = RECORDS.get(target) if target else None
    org = record.org if record else (target if target in ORGS else None)
    member = who.signed_in and org is not None and who.org == org
    readable = bool(record and record.readable_by(who))
    need = {"create": Role.EDITOR, "edit": Role.EDITOR, "share": Role.OWNER, "manage": Role.OWNER,
            "publish": Role.OWNER}.get(kind)
    allowed = member and need is not None and who.rank() >= need.rank
    return allowed, member, readable


@pytest.mark.parametrize("path, target, who", _params())
def test_post_form(matrix, path, target, who):
    m = matrix
    kind = PAGE_ROUTES[("POST", path)]
    if kind == "session":
        return _logout(m, who)
    allowed, member, readable = _may(who, kind, target)
    person = None
    if kind == "manage":
        person = _throwaway(m, target, path) if allowed else (m.users[f"spare-{target}"], f"spare-{target}")
    url = _url(m, path, target, person)
    client = m.client(who)
    before = None if allowed else snapshot(m.engine)
    # publishing a season uploads a file: the real EiBi rows of the coalition tests, allowed or not
    files = {"file": ("sked-a26.csv", SKED.read_bytes(), "text/csv")} if kind == "publish" else None
    r = client.post(url, data=_form(m, who, path, target, allowed, person), files=files, follow_redirects=False)
    assert_nothing_leaks(m, who, r, f"POST {url}")
    if allowed:
        # a publication answers with its report on the page; every other form redirects
        assert r.status_code == (200 if kind == "publish" else 303), (url, who, r.status_code, r.text[:300])
        return
    after = snapshot(m.engine)
    assert not changed_tables(before, after), f"POST {url} by {who} changed {changed_tables(before, after)}"
    if not who.signed_in:
        assert_sent_to_sign_in(r, url)
    elif kind == "self":
        assert r.status_code in (400, 403, 422), (url, who, r.status_code)   # a wrong code, nothing kept
    else:
        want = refusal(member=member, readable=readable)
        assert r.status_code == want, f"POST {url} by {who}: {r.status_code}, expected {want}"
        if want == 404 and "{campaign_id:dbid}" in path:
            status, text = m.missing(who, "POST", _url(m, path, "missing"), _form(m, who, path, "missing", False, None))
            assert status == 404 and text == r.text                        # as if it did not exist


def _logout(m: Matrix, who: Who) -> None:
    """Signing out ends one's own session only; a visitor with no session changes nothing."""
    if not who.signed_in:
        before = snapshot(m.engine)
        r = m.client(who).post("/logout", data={}, follow_redirects=False)
        assert_sent_to_sign_in(r, "/logout")
        assert not changed_tables(before, snapshot(m.engine))
        return
    with browser(m.app, next(_addresses)) as fresh:
        _sign_out(m, who, fresh)


def _sign_out(m: Matrix, who: Who, fresh: TestClient) -> None:
    # A second sign-in needs a fresh TOTP code (a code is accepted once): the next step's.
    code = pyotp.TOTP(m.totp[who.name]).at(time.time() + 30) if who.name in m.totp else ""
    assert login(fresh, who.name, PASSWORD, code).status_code == 303
    token = csrf_of(fresh.get("/campaigns").text)
    r = fresh.post("/logout", data={"csrf": token}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert fresh.get("/campaigns", follow_redirects=False).status_code == 303     # that session ended
    assert m.client(who).get("/campaigns").status_code == 200                     # the other did not


# --------------------------------------------------------------------------- derived views: differencing

#: A's private schedule before and after a move that keeps it colliding with B's shared one
#: (frequency within 5 kHz, hours overlapping 14:00–15:00 UTC, Ryanggang targeted).
MOVES = [({**PRIVATE_RADIO}, ["Ryanggang"]),
         ({**PRIVATE_RADIO, "frequency_khz": 9735, "utc_start": "14:20", "utc_end": "16:05",
           "days": ["mon", "tue", "sat"]}, ["Ryanggang", "Jagang"])]
OVERLAP_PARTS = ["collisions", "silent_hours_kst", "unserved_provinces", "page"]


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    """What B's editor is told by the overlaps view before and after A moves its private slot."""
    from corridor.access.rules import Actor
    from corridor.coalition import ledger
    from corridor.web.app import create_app
    from tests.databases import drop_database, fresh_database_url

    url = fresh_database_url(tmp_path_factory.mktemp("moved"))
    with pytest.MonkeyPatch.context() as mp:
        _patch_for_speed(mp)
        app = create_app(url)
        with session_scope(app.state.engine) as s:
            a, b = (members.create_organisation(s, ORG_NAMES[o]) for o in ORGS)
            user = members.create_user(s, "editor-b", PASSWORD)
            members.set_membership(s, user, b, Role.EDITOR)
            owner_a, owner_b = Actor(0, {a.id: Role.OWNER}), Actor(0, {b.id: Role.OWNER})
            probe = ledger.create_campaign(s, owner_b, org_id=b.id, name="probe", channel="radio",
                                           start_date=date(2029, 10, 1))
            ledger.add_activity(s, owner_b, probe.id, {"id": "probe", "start": STARTS["b-shared"],
                                                       "spec": PROBE_RADIO, "provinces": ["Ryanggang"]})
            ledger.set_visibility(s, owner_b, probe.id, Visibility.COALITION)
            secret = ledger.create_campaign(s, owner_a, org_id=a.id, name="slot", channel="radio",
                                            start_date=date(2029, 11, 17))
            slot = ledger.add_activity(s, owner_a, secret.id, {"id": "slot", "start": STARTS["a-private-radio"],
                                                               "spec": MOVES[0][0], "provinces": MOVES[0][1]})
            slot_id = slot.id
        seen = []
        with browser(app, 7) as client:
            assert login(client, "editor-b").status_code == 303
            for spec, provinces in MOVES:
                with session_scope(app.state.engine) as s:
                    ledger.update_activity(s, owner_a, slot_id, {"spec": spec, "provinces": provinces})
                seen.append({**client.get("/api/v1/overlaps").json(), "page": client.get("/overlaps").text})
        yield seen
        app.state.engine.dispose()
    drop_database(url)


@pytest.mark.parametrize("part", OVERLAP_PARTS)
def test_a_private_slot_moving_changes_nothing_another_organisation_sees(moved, part):
    """Differencing: B may learn that a coalition member's slot collides with its own, nothing
    more, so nothing B is told may change when A moves its private slot within the collision."""
    before, after = moved
    assert before["collisions"], "B is told of the collision"
    assert before[part] == after[part]
