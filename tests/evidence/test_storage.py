"""Imports are one transaction: all rows or none, with every rejected row reported."""

from __future__ import annotations

import pytest

from corridor.errors import CorridorError
from corridor.evidence.canonical import read_canonical
from corridor.evidence.storage import ImportRejected, import_respondents, load_respondents

HEADER = "respondent_id,sex,birth_year,province,urban,year_left,radio_ever,tv_ever\n"


def test_round_trip_through_the_store(tmp_path, survey_csv):
    url = f"sqlite:///{tmp_path / 'e.db'}"
    data = read_canonical(survey_csv)
    report = import_respondents(data, url=url)
    assert report.imported == len(data.respondents) and not report.rejected
    back = load_respondents(url=url)
    a = data.respondents.set_index("respondent_id").sort_index()
    b = back.set_index("respondent_id").sort_index()
    for col in ["sex", "birth_year", "province", "urban", "year_left", *[f"{c}_ever" for c in data.channels]]:
        assert (a[col] == b[col]).all(), col


def test_rejected_rows_block_the_whole_import(tmp_path):
    url = f"sqlite:///{tmp_path / 'f.db'}"
    p = tmp_path / "r.csv"
    p.write_text(HEADER + "a,female,1980,Ryanggang,urban,2010,yes,no\nb,female,1980,Mars,urban,2010,yes,no\n"
                 "c,male,1970,Jagang,rural,2011,no,no\n")
    data = read_canonical(p, strict=False)
    with pytest.raises(ImportRejected) as exc:
        import_respondents(data, url=url, study_id="s")
    assert [r.row for r in exc.value.report.rejected] == [3]
    assert len(load_respondents(url=url)) == 0
    report = import_respondents(data, url=url, study_id="s", skip_invalid=True)
    assert report.imported == 2 and report.as_dict()["rejected_rows"] == 1
    assert sorted(load_respondents(url=url)["respondent_id"]) == ["a", "c"]


def test_duplicate_import_rolls_back_everything(tmp_path):
    url = f"sqlite:///{tmp_path / 'g.db'}"
    p1, p2 = tmp_path / "1.csv", tmp_path / "2.csv"
    p1.write_text(HEADER + "a,female,1980,Ryanggang,urban,2010,yes,no\n")
    p2.write_text(HEADER + "z,female,1980,Ryanggang,urban,2010,yes,no\na,male,1970,Jagang,rural,2011,no,no\n")
    import_respondents(read_canonical(p1), url=url, study_id="s")
    with pytest.raises(CorridorError, match="rolled back"):
        import_respondents(read_canonical(p2), url=url, study_id="s")
    assert list(load_respondents(url=url)["respondent_id"]) == ["a"]
