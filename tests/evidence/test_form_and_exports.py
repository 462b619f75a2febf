"""The survey form compiles, and a filled export in Kobo and ODK layouts imports to the same records."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from corridor.errors import CorridorError
from corridor.evidence.canonical import read_canonical
from corridor.evidence.form import compile_form, write_form
from corridor.evidence.importing import read_any
from corridor.evidence.storage import import_respondents, load_respondents
from corridor.evidence.vocabulary import CHANNELS

SOURCES = ("family", "friends", "market", "trader", "found", "other")


@pytest.fixture(scope="module")
def form(tmp_path_factory):
    return write_form(tmp_path_factory.mktemp("form") / "form.xlsx")


@pytest.fixture
def canon(survey_csv):
    return read_canonical(survey_csv).respondents.head(40).reset_index(drop=True)


def _province_choice(name):
    return name.lower().replace(" ", "_")


def test_form_compiles_with_both_languages(form):
    from openpyxl import load_workbook

    xml = compile_form(form)
    assert "<repeat" in xml and "exposure" in xml and "selected-at" in xml
    wb = load_workbook(form, read_only=True)
    header = next(wb["survey"].iter_rows(values_only=True))
    assert "label::English (en)" in header and "label::Korean (ko)" in header
    names = {r[1] for r in wb["survey"].iter_rows(values_only=True)}
    assert {"sex", "birth_year", "province", "urban", "year_left", "ever", "first_year", "frequency",
            "sources", "shared_n", "trust", "influence", "owned", "tuning"} <= names


def test_broken_form_is_refused(tmp_path, form):
    from openpyxl import load_workbook

    wb = load_workbook(form)
    wb["survey"].append(["select_one no_such_list", "broken", "x", "x"])
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    with pytest.raises(CorridorError, match="does not compile"):
        compile_form(bad)


def _repeat_rows(canon, parent):
    rows = []
    for i, r in canon.iterrows():
        for j, ch in enumerate(CHANNELS):
            ever = r[f"{ch}_ever"]
            rows.append({"channel": ch, "ever": ever,
                         **{f"sources/{s}": int(ever == "yes" and s == "market") for s in SOURCES},
                         **parent(i, j)})
    return rows


def test_kobo_xlsx_round_trip(tmp_path, form, canon):
    main = pd.DataFrame({
        "start": "2025-01-01T10:00:00", "respondent_id": canon["respondent_id"],
        "respondent/sex": canon["sex"], "respondent/birth_year": canon["birth_year"],
        "respondent/province": [_province_choice(p) for p in canon["province"]],
        "respondent/urban": ["urban" if u else "rural" for u in canon["urban"]],
        "respondent/year_left": canon["year_left"],
        "_id": range(1000, 1000 + len(canon)), "_uuid": [f"u{i}" for i in range(len(canon))],
        "_index": range(1, len(canon) + 1)})
    rep = pd.DataFrame(_repeat_rows(canon, lambda i, j: {"_index": i * 9 + j + 1, "_parent_index": i + 1,
                                                          "_parent_table_name": "corridor_evidence"}))
    rep.columns = [f"exposure/{c}" if not c.startswith("_") else c for c in rep.columns]
    path = tmp_path / "kobo.xlsx"
    with pd.ExcelWriter(path) as xw:
        main.to_excel(xw, sheet_name="Corridor evidence", index=False)
        rep.to_excel(xw, sheet_name="exposure", index=False)
    data, fmt, meta = read_any(path, form=form)
    assert fmt == "kobo_xlsx" and meta["form_id"] == "corridor_evidence" and not data.rejected
    _same(data.respondents, canon)


def test_odk_zip_round_trip_through_the_store(tmp_path, form, canon):
    main = pd.DataFrame({
        "SubmissionDate": "2025-01-01", "respondent_id": canon["respondent_id"],
        "respondent-sex": canon["sex"], "respondent-birth_year": canon["birth_year"],
        "respondent-province": [_province_choice(p) for p in canon["province"]],
        "respondent-urban": ["urban" if u else "rural" for u in canon["urban"]],
        "respondent-year_left": canon["year_left"],
        "KEY": [f"uuid:{i:04d}" for i in range(len(canon))]})
    rep = pd.DataFrame(_repeat_rows(canon, lambda i, j: {"PARENT_KEY": f"uuid:{i:04d}",
                                                          "KEY": f"uuid:{i:04d}/exposure[{j + 1}]"}))
    rep = rep.drop(columns=[f"sources/{s}" for s in SOURCES]).assign(
        sources=["market" if e == "yes" else "" for e in rep["ever"]])
    path = tmp_path / "odk.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, df in (("corridor_evidence.csv", main), ("corridor_evidence-exposure.csv", rep)):
            buf = io.StringIO()
            df.to_csv(buf, index=False)
            zf.writestr(name, buf.getvalue())
    data, fmt, meta = read_any(path, form=form)
    assert fmt == "odk_central_zip" and not data.rejected
    url = f"sqlite:///{tmp_path / 'h.db'}"
    import_respondents(data, url=url, study_id="odk", source_format=fmt, **meta)
    _same(load_respondents(url=url), canon)


def test_export_errors_name_the_row(tmp_path, form, canon):
    main = pd.DataFrame({"respondent_id": ["a"], "respondent/sex": ["female"], "respondent/birth_year": [2001],
                         "respondent/province": ["atlantis"], "respondent/urban": ["urban"],
                         "respondent/year_left": [1999], "_index": [1]})
    rep = pd.DataFrame({"exposure/channel": ["radio"], "exposure/ever": ["yes"], "_parent_index": [1]})
    path = tmp_path / "k.xlsx"
    with pd.ExcelWriter(path) as xw:
        main.to_excel(xw, sheet_name="main", index=False)
        rep.to_excel(xw, sheet_name="exposure", index=False)
    data, _, _ = read_any(path, form=form)
    cols = {p.column for p in data.rejected}
    assert {"province", "birth_year", "tv_ever"} <= cols and {p.row for p in data.rejected} == {2}


def _same(got, want):
    g = got.set_index("respondent_id").sort_index()
    w = want.set_index("respondent_id").sort_index()
    assert list(g.index) == list(w.index)
    for col in ["sex", "birth_year", "province", "urban", "year_left", *[f"{c}_ever" for c in CHANNELS]]:
        assert (g[col].astype(str) == w[col].astype(str)).all(), col
