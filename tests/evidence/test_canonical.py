"""The canonical respondent CSV: encodings, separators, names, and row-level errors."""

from __future__ import annotations

import pytest

from corridor.errors import CorridorError
from corridor.evidence.canonical import read_canonical

HEADER = "respondent_id,sex,birth_year,province,urban,year_left,radio_ever,usb_sd_ever\n"


def write(tmp_path, text, encoding="utf-8", name="r.csv"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_reads_synthetic_survey(survey_csv, survey):
    data = read_canonical(survey_csv)
    assert len(data.respondents) == len(survey)
    assert data.channels[0] == "radio" and len(data.channels) == 9
    assert set(data.respondents["radio_ever"]) <= {"yes", "no", "dont_know", "refused"}
    # dont_know and refused stay apart from no
    assert (data.respondents["radio_ever"] == "dont_know").sum() == (survey["radio_ever"] == "dont_know").sum()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp949", "utf-8"])
def test_korean_names_in_any_common_encoding(tmp_path, encoding):
    text = HEADER + "a,여성,1980,함경북도,도시,2010,예,모름\nb,남,1970,라선시,rural,2012,no,refused\n" \
                    "c,female,1975,Nampo,urban,2015,yes,yes\nd,male,1990,개성,rural,2016,dk,no\n"
    data = read_canonical(write(tmp_path, text, encoding))
    df = data.respondents
    assert list(df["province"]) == ["North Hamgyong", "North Hamgyong", "South Pyongan", "North Hwanghae"]
    assert list(df["sex"]) == ["female", "male", "female", "male"]
    assert list(df["radio_ever"]) == ["yes", "no", "yes", "dont_know"]
    assert list(df["usb_sd_ever"]) == ["dont_know", "refused", "yes", "no"]


def test_semicolon_separated(tmp_path):
    text = HEADER.replace(",", ";") + "a;female;1980;Ryanggang;urban;2010;yes;no\n"
    assert read_canonical(write(tmp_path, text)).respondents.loc[0, "province"] == "Ryanggang"


def test_unknown_province_names_file_row_column_and_suggestion(tmp_path):
    text = HEADER + "a,female,1980,Ryanggang,urban,2010,yes,no\nb,female,1980,Ryangang,urban,2010,yes,no\n"
    path = write(tmp_path, text)
    with pytest.raises(CorridorError) as exc:
        read_canonical(path)
    msg = exc.value.one_line()
    assert str(path) in msg and "row 3" in msg and "province" in msg and "'Ryanggang'" in msg


def test_rejected_rows_are_all_reported(tmp_path):
    text = HEADER + ("a,female,1995,Ryanggang,urban,1990,yes,no\n"      # born after leaving
                     "b,female,1980,Ryanggang,urban,2010,maybe,no\n"    # bad channel value
                     "c,female,1980,Ryanggang,suburb,2010,yes,no\n"     # bad urban
                     "d,female,1980,Ryanggang,urban,2010,yes,no\n")
    data = read_canonical(write(tmp_path, text), strict=False)
    assert list(data.respondents["respondent_id"]) == ["d"]
    where = {(p.row, p.column) for p in data.rejected}
    assert where == {(2, "birth_year"), (3, "radio_ever"), (4, "urban")}
    assert "after year_left" in data.rejected[0].message


def test_missing_column_and_bad_encoding(tmp_path):
    with pytest.raises(CorridorError, match="missing column"):
        read_canonical(write(tmp_path, "respondent_id,sex\na,female\n"))
    with pytest.raises(CorridorError, match="neither UTF-8 nor CP949"):
        (tmp_path / "bad.csv").write_bytes(HEADER.encode() + b"\xff\xfe\xfa\xff,\x81\n")
        read_canonical(tmp_path / "bad.csv")


def test_unknown_channel_column(tmp_path):
    with pytest.raises(CorridorError, match="unknown channel column"):
        read_canonical(write(tmp_path, HEADER.strip() + ",tiktok_ever\n"))
