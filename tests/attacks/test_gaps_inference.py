"""Item 2.2 (continued): silent hours and unserved provinces that betray a private slot.

The overlaps view also lists the hours of the day (Korean time) with no broadcast and the
provinces no schedule targets. Computed over every organisation's schedules, they tell a hostile
editor of organisation B when and where A broadcasts in private: whatever is "not silent" and
not explained by the schedules B may read belongs to someone's private slot, and B can confirm
it by adding and removing its own slots and comparing the answers (differencing).

The rule: silent hours and unserved provinces are computed only over the schedules the reader
may read (its organisations' own and those shared with the coalition), and the page says so.
So B's answers are the same whether or not A has a private slot, however B toggles its own.
"""

from __future__ import annotations

from corridor.access.rules import Role
from corridor.coalition.overlaps import KST
from tests.attacks.signin import sign_in
from tests.web.conftest import bearer

SITE = {"station": "Test", "lat": 37.221, "lon": 126.558, "power_kw": 100, "jammers": "none"}


def _campaign(client, headers, org_id, name):
    r = client.post("/api/v1/campaigns", headers=headers, json={
        "org_id": org_id, "name": name, "channel": "radio", "start_date": "2026-11-01"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _slot(client, headers, cid, pid, khz, start, end, provinces=()):
    r = client.post(f"/api/v1/campaigns/{cid}/activities", headers=headers, json={
        "id": pid, "start": "2026-11-02T00:00:00Z", "end": "2027-03-01T00:00:00Z",
        "spec": {**SITE, "frequency_khz": khz, "utc_start": start, "utc_end": end, "days": ["daily"]},
        "provinces": list(provinces)})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def _kst_hours(start_utc_hour: int, end_utc_hour: int) -> set[int]:
    offset = int(KST.utcoffset(None).total_seconds() // 3600)
    return {(h + offset) % 24 for h in range(start_utc_hour, end_utc_hour)}


#: The configurations B tries, each with the KST hours and provinces its own slots explain.
B_CONFIGS = [
    ("none", [], set(), set()),
    ("evening", [("b-evening", 9870.0, "15:00", "16:00", ["Kangwon"])], _kst_hours(15, 16), {"Kangwon"}),
    ("both", [("b-evening", 9870.0, "15:00", "16:00", ["Kangwon"]),
              ("b-morning", 11600.0, "21:00", "22:00", ["Jagang", "Ryanggang"])],
     _kst_hours(15, 16) | _kst_hours(21, 22), {"Kangwon", "Jagang", "Ryanggang"}),
]


def _answers_of_b(client, world):
    """B toggles its own slots; for each configuration: silent hours, unserved provinces and
    what B infers about slots it cannot read (what its own slots do not explain)."""
    headers = bearer(world["tokens"][("B", Role.EDITOR)])
    out = {}
    for name, slots, hours, provinces in B_CONFIGS:
        cid = _campaign(client, headers, world["orgs"]["B"], f"Config {name}")
        for pid, khz, start, end, targets in slots:
            _slot(client, headers, cid, f"{pid}-{name}", khz, start, end, targets)
        data = client.get("/api/v1/overlaps", headers=headers).json()
        on_air = set(range(24)) - set(data["silent_hours_kst"])
        all_provinces = {"Pyongyang", "South Pyongan", "North Pyongan", "Jagang", "South Hwanghae",
                         "North Hwanghae", "Kangwon", "South Hamgyong", "North Hamgyong", "Ryanggang"}
        served = all_provinces - set(data["unserved_provinces"])
        out[name] = {"silent": data["silent_hours_kst"], "unserved": data["unserved_provinces"],
                     "inferred_hours": on_air - hours, "inferred_provinces": served - provinces}
        assert client.delete(f"/api/v1/campaigns/{cid}", headers=headers).status_code == 204
    return out


def test_silent_hours_and_unserved_provinces_hide_a_private_slot(app, world, client):
    headers_a = bearer(world["tokens"][("A", Role.EDITOR)])
    ca = _campaign(client, headers_a, world["orgs"]["A"], "Private night service")
    _slot(client, headers_a, ca, "a-secret", 7590.0, "15:00", "17:00", ["North Hamgyong"])   # 00–02 KST

    with_secret = _answers_of_b(client, world)
    for name, got in with_secret.items():
        # Before the fix B inferred hours 0 and 1 KST and North Hamgyong from A's private slot.
        assert got["inferred_hours"] == set() and got["inferred_provinces"] == set(), name

    assert client.delete(f"/api/v1/campaigns/{ca}", headers=headers_a).status_code == 204
    without_secret = _answers_of_b(client, world)
    assert with_secret == without_secret          # B's answers do not depend on A's private slot

    # The page says what the gaps are gaps in.
    assert sign_in(client, "editor-b").status_code == 303
    page = client.get("/overlaps?lang=en").text
    assert "schedules you may read" in page


def test_shared_slots_still_fill_the_gaps(app, world, client):
    """What the reader may read counts: a slot A shares with the coalition is not a gap for B."""
    headers_a = bearer(world["tokens"][("A", Role.OWNER)])
    ca = _campaign(client, headers_a, world["orgs"]["A"], "Shared service")
    _slot(client, headers_a, ca, "a-shared", 7590.0, "15:00", "16:00", ["North Hamgyong"])
    assert client.post(f"/api/v1/campaigns/{ca}/share", headers=headers_a,
                       json={"visibility": "coalition"}).status_code == 200
    data = client.get("/api/v1/overlaps", headers=bearer(world["tokens"][("B", Role.VIEWER)])).json()
    assert 0 not in data["silent_hours_kst"] and "North Hamgyong" not in data["unserved_provinces"]
    assert len(data["silent_hours_kst"]) == 23
