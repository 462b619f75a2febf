"""Item 2.11: aggregates that subtract.

An organisation that publishes a campaign "only as aggregates" lets the coalition see counts by
channel, province and month, with small cells withheld so that no single activity shows. A
hostile owner of organisation B pushes such a cell over the threshold with its own records and
subtracts them (differencing), or compares its answer with a friendly organisation's; the
dashboard's count of activities "published only as aggregates" is a margin that gives away a
withheld cell the same way.

The rule (stated in :mod:`corridor.access.views`): a reader's figures count only records of
organisations other than the reader's; a cell is given only when at least three such
organisations contribute to it and no one of them dominates it (the p% rule), and a total only
when what it adds to the cells given is itself safe. A reader's own records never move its
own answers, so adding, removing or comparing them teaches nothing.
"""

from __future__ import annotations

import html
import re

from corridor.access import members
from corridor.access.accounts import new_api_token
from corridor.access.rules import Role
from corridor.access.tables import ApiToken
from corridor.store import session_scope
from tests.attacks.signin import sign_in
from tests.web.conftest import LS, bearer

CELL = ("loudspeaker", "Kangwon", "2024-07")


def _org_with_owner_token(app, name: str) -> tuple[str, int]:
    with session_scope(app.state.engine) as s:
        org = members.create_organisation(s, name)
        user = members.create_user(s, f"owner-{name.lower().replace(' ', '-')}", "a long pass phrase 1")
        members.set_membership(s, user, org, Role.OWNER)
        token, digest = new_api_token()
        s.add(ApiToken(token_hash=digest, org_id=org.id, user_id=user.id, role=Role.OWNER.value))
        return token, org.id


class Publisher:
    """An organisation's owner publishing a campaign as aggregates only, through the API."""

    def __init__(self, client, token, org_id, name, visibility="aggregate"):
        self.client, self.headers, self.ids = client, bearer(token), []
        r = client.post("/api/v1/campaigns", headers=self.headers, json={
            "org_id": org_id, "name": f"{name} sound", "channel": "loudspeaker", "start_date": "2024-07-01"})
        assert r.status_code == 201, r.text
        self.cid = r.json()["id"]
        assert client.post(f"/api/v1/campaigns/{self.cid}/share", headers=self.headers,
                           json={"visibility": visibility}).status_code == 200
        self.name = name

    def add(self, province="Kangwon", day=1):
        r = self.client.post(f"/api/v1/campaigns/{self.cid}/activities", headers=self.headers, json={
            "id": f"{self.name}-{len(self.ids)}-{province}", "start": f"2024-07-{day:02d}T22:00:00+09:00",
            "spec": LS, "provinces": [province]})
        assert r.status_code == 201, r.text
        self.ids.append(r.json()["id"])

    def remove(self):
        assert self.client.delete(f"/api/v1/activities/{self.ids.pop()}", headers=self.headers).status_code == 204

    def aggregates(self):
        r = self.client.get("/api/v1/aggregates", headers=self.headers)
        assert r.status_code == 200
        return r.json()


def _cell(rows, cell=CELL):
    return next((r for r in rows if (r["channel"], r["province"], r["month"]) == cell), None)


def _subtract(row, own: int):
    """The attacker's arithmetic: the cell's total minus what it put in itself."""
    if row is None or not isinstance(row.get("activities"), int):
        return None
    return row["activities"] - own


def _toggle(attacker: Publisher, steps: int = 4):
    """Add own records to the cell one by one, then remove them; the answers seen on the way."""
    seen = []
    for _ in range(steps):
        attacker.add()
        seen.append(attacker.aggregates())
    for _ in range(steps):
        attacker.remove()
        seen.append(attacker.aggregates())
    return seen


def test_adding_and_removing_own_records_reveals_nothing(app, world, client):
    victim = Publisher(client, world["tokens"][("A", Role.OWNER)], world["orgs"]["A"], "A")
    attacker = Publisher(client, world["tokens"][("B", Role.OWNER)], world["orgs"]["B"], "B")
    victim.add()                                      # A publishes one activity in the cell

    seen_one = _toggle(attacker)
    recovered = {_subtract(_cell(rows), own) for rows, own in zip(seen_one, [1, 2, 3, 4, 3, 2, 1, 0])}
    assert 1 not in recovered                         # before the fix: "< 3", then 3 − 2 = 1

    victim.add()                                      # A now has two: B's answers must not move
    seen_two = _toggle(attacker)
    assert seen_one == seen_two


def test_two_readers_comparing_answers_learn_nothing(app, world, client):
    """B and C work together: each pushes the cell with its own records, both read, they compare."""
    token_c, org_c = _org_with_owner_token(app, "North Wind")
    victim = Publisher(client, world["tokens"][("A", Role.OWNER)], world["orgs"]["A"], "A")
    b = Publisher(client, world["tokens"][("B", Role.OWNER)], world["orgs"]["B"], "B")
    c = Publisher(client, token_c, org_c, "C")
    victim.add()

    def campaign():
        seen = []
        for _ in range(2):
            b.add()
            c.add()
            seen.append((b.aggregates(), c.aggregates()))
        for _ in range(2):
            b.remove()
            c.remove()
            seen.append((b.aggregates(), c.aggregates()))
        return seen

    first = campaign()
    for (rows_b, rows_c), own in zip(first, [1, 2, 1, 0]):
        # Before the fix: the cell showed A + B + C, and B and C know their own 2 × own.
        for rows in (rows_b, rows_c):
            total = _subtract(_cell(rows), 2 * own)
            assert total != 1
    victim.add()
    assert campaign() == first


def test_cells_are_given_when_enough_organisations_contribute(app, world, client):
    """The rule still publishes: three other organisations, none dominant, give a number;
    the reader's own records are counted apart (it may read them) and never mixed in."""
    tokens = [_org_with_owner_token(app, n) for n in ("North Wind", "Clear Sky")]
    others = [Publisher(client, world["tokens"][("A", Role.OWNER)], world["orgs"]["A"], "A"),
              Publisher(client, tokens[0][0], tokens[0][1], "C"),
              Publisher(client, tokens[1][0], tokens[1][1], "D")]
    reader = Publisher(client, world["tokens"][("B", Role.OWNER)], world["orgs"]["B"], "B")
    for p in others:
        p.add()
        p.add()
    reader.add()
    row = _cell(reader.aggregates())
    assert row["others"] == 6 and row["readable"] == 1 and row["activities"] == 7

    # One organisation dominating the cell (the p% rule): withheld, not told apart from none.
    for _ in range(8):
        others[0].add()
    row = _cell(reader.aggregates())
    assert row["others"] is None and row["activities"] == 1


def test_the_dashboard_count_of_hidden_activities_does_not_subtract(app, world, client):
    """The dashboard says how many aggregate-only activities it leaves out: that number must obey
    the same rule (before the fix it was A's exact count)."""
    victim = Publisher(client, world["tokens"][("A", Role.OWNER)], world["orgs"]["A"], "A")
    victim.add()
    mine = Publisher(client, world["tokens"][("B", Role.OWNER)], world["orgs"]["B"], "B", visibility="private")
    mine.add()                                        # something of B's own for the dashboard to assess
    assert sign_in(client, "editor-b").status_code == 303

    def note():
        page = client.get("/dashboard?lang=en").text
        found = re.search(r'<p class="note" id="hidden-note">(.*?)</p>', page, re.DOTALL)
        return html.unescape(found.group(1)).strip() if found else None

    first = note()
    assert first is not None and not re.search(r"\d", first)
    victim.add()
    assert note() == first


def test_a_total_does_not_give_away_a_withheld_cell(app, world, client):
    """Complementary disclosure: with cells given for three organisations, a grand total of
    aggregate-only activities minus the cells given would leave A's lone cell elsewhere."""
    tokens = [_org_with_owner_token(app, n) for n in ("North Wind", "Clear Sky")]
    others = [Publisher(client, world["tokens"][("A", Role.OWNER)], world["orgs"]["A"], "A"),
              Publisher(client, tokens[0][0], tokens[0][1], "C"),
              Publisher(client, tokens[1][0], tokens[1][1], "D")]
    for p in others:
        p.add()
        p.add()
    others[0].add(province="Ryanggang")               # A alone in a remote cell
    mine = Publisher(client, world["tokens"][("B", Role.OWNER)], world["orgs"]["B"], "B", visibility="private")
    mine.add()
    assert sign_in(client, "editor-b").status_code == 303

    def seen():
        page = client.get("/dashboard?lang=en").text
        found = re.search(r'<p class="note" id="hidden-note">(.*?)</p>', page, re.DOTALL)
        cells = client.get("/api/v1/aggregates", headers=mine.headers).json()
        return (html.unescape(found.group(1)).strip() if found else None), cells

    first = seen()
    others[0].add(province="Ryanggang")
    assert seen() == first
    assert _cell(first[1], ("loudspeaker", "Ryanggang", "2024-07")) is None   # not even "< 3"
