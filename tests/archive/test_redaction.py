"""The identifying-details detector on fictional testimonies with marked spans (Korean, English).

``redaction_{ko,en}.txt`` were used while writing the rules; ``redaction_holdout_{ko,en}.txt``
were written afterwards and not tuned on. ``bench/archive_redaction.py`` prints the table.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from corridor.archive import redact

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("name, lang, floor", [
    ("redaction_ko.txt", "ko", 0.95), ("redaction_en.txt", "en", 0.95),
    ("redaction_holdout_ko.txt", "ko", 0.85), ("redaction_holdout_en.txt", "en", 0.85),
])
def test_recall_of_names_and_places(name, lang, floor):
    docs = redact.read_marked(DATA / name)
    assert len(docs) >= 8
    r = redact.evaluate(docs, lang)
    assert r.total["name"] >= 9 and r.total["place"] >= 9
    assert r.recall("name") >= floor and r.recall("place") >= floor, (r.found, r.total)
    assert r.precision >= 0.8


def test_marks_parse_back_to_the_plain_text():
    text, gold = redact.parse_marked("저는 [[place|회령]]에서 [[name|김철수]]를 만났다.")
    assert text == "저는 회령에서 김철수를 만났다."
    assert [(g.kind, text[g.start:g.end]) for g in gold] == [("place", "회령"), ("name", "김철수")]


def test_apply_replaces_spans_with_placeholders():
    text = "In March 2015 Kim Chol-su was sent to Hoeryong."
    spans = [(s.start, s.end, s.kind) for s in redact.detect(text, "en")]
    assert redact.apply(text, spans, "en") == "In [date] [name] was sent to [place]."
    ko = "2015년 3월 김철수 씨는 회령시로 갔다."
    assert redact.apply(ko, [(s.start, s.end, s.kind) for s in redact.detect(ko, "ko")], "ko") == \
        "[날짜] [이름] 씨는 [장소]로 갔다."
