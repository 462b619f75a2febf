"""HXL export and import."""

import pytest

from corridor.coalition.hxl import normalise_tag, read_hxl, write_hxl
from corridor.errors import CorridorError

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
