"""The survey form compiles, and a filled export in Kobo and ODK layouts imports to the same records."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd
import pytest

from corridor.errors import CorridorError
from corridor.evidence.canonical import read_canonical
from corridor.evidence.form import compile_form, write_form
from corridor.evidence.importing import read_any
from corridor.evidence.storage import import_respondents, load_respondents
from corridor.evidence.vocabulary import (ATTITUDE_ITEMS, CHANNELS, FREQUENCIES, MODES, OCCUPATIONS,
                                          SOURCES)


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


LIKERT = ("1", "2", "3", "4", "5", "dont_know", "refused")
YN4 = ("yes", "no", "dont_know", "refused")
EXAMPLE_DEVICES = ("radio", "tv", "usb")


@pytest.fixture
def filled(canon):
    """The records a filled form should give back: canonical columns plus every detail item."""
    want = canon.copy()
    n = len(want)
    want["interview_mode"] = [MODES[i % 3] for i in range(n)]
    want["interview_date"] = [f"2025-01-{i % 28 + 1:02d}" for i in range(n)]
    want["months_in_china"] = [None if i % 5 == 0 else i % 40 for i in range(n)]
    want["occupation"] = [OCCUPATIONS[i % len(OCCUPATIONS)] for i in range(n)]
    want["market_activity"] = [("none", "sometimes", "main")[i % 3] for i in range(n)]
    for j, ch in enumerate(CHANNELS):
        yes = want[f"{ch}_ever"] == "yes"
        pick = lambda values, _yes=yes: [v if y else None for v, y in zip(values, _yes)]  # noqa: E731
        want[f"{ch}_first_year"] = pick(want["year_left"] - (np.arange(n) + j) % 6)
        want[f"{ch}_frequency"] = pick([FREQUENCIES[(i + j) % 5] for i in range(n)])
        want[f"{ch}_sources"] = pick([("market", "family friends", "trader found")[(i + j) % 3] for i in range(n)])
        want[f"{ch}_shared_n"] = pick([(i + j) % 7 for i in range(n)])
        want[f"{ch}_trust"] = pick([LIKERT[(i + j) % 7] for i in range(n)])
        want[f"{ch}_influence"] = pick([LIKERT[(i + 2 * j) % 7] for i in range(n)])
    for k, dev in enumerate(EXAMPLE_DEVICES):
        want[f"device_{dev}_owned"] = [YN4[(i + k) % 4] for i in range(n)]
        want[f"device_{dev}_used_elsewhere"] = [YN4[(i + k + 1) % 4] for i in range(n)]
        want[f"device_{dev}_tuning"] = [("fixed", "tunable", "modified")[i % 3] if dev != "usb" else None
                                        for i in range(n)]
    for k, item in enumerate(ATTITUDE_ITEMS):
        want[item] = [None if (i + k) % 8 == 7 else LIKERT[(i + k) % 7] for i in range(n)]
    return want


def _cell(value, numeric=True):
    """A value as an export holds it: numbers as numbers (Kobo XLSX), empty for None."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if numeric and isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def _main(want, sep, link):
    cols = {"respondent_id": want["respondent_id"],
            "interview_mode": want["interview_mode"], "interview_date": want["interview_date"]}
    for f in ("sex", "birth_year", "year_left", "months_in_china", "occupation", "market_activity"):
        cols[f"respondent{sep}{f}"] = want[f]
    cols[f"respondent{sep}province"] = [_province_choice(p) for p in want["province"]]
    cols[f"respondent{sep}urban"] = ["urban" if u else "rural" for u in want["urban"]]
    for item in ATTITUDE_ITEMS:
        cols[f"attitudes{sep}{item}"] = [_cell(v) for v in want[item]]
    return pd.DataFrame({**cols, **link})


def _exposure_rows(want, sep, parent, dummies):
    rows = []
    for i, r in want.iterrows():
        for j, ch in enumerate(CHANNELS):
            row = {f"exposure{sep}channel": ch, f"exposure{sep}ever": r[f"{ch}_ever"]}
            for item in ("first_year", "frequency", "shared_n", "trust", "influence"):
                row[f"exposure{sep}{item}"] = _cell(r[f"{ch}_{item}"])
            chosen = (_cell(r[f"{ch}_sources"]) or "").split()
            if dummies:
                row.update({f"exposure{sep}sources{sep}{s}": (int(s in chosen) if chosen else None)
                            for s in SOURCES})
            else:
                row[f"exposure{sep}sources"] = " ".join(chosen)
            rows.append({**row, **parent(i, j)})
    return pd.DataFrame(rows)


def _device_rows(want, sep, parent):
    rows = []
    for i, r in want.iterrows():
        for k, dev in enumerate(EXAMPLE_DEVICES):
            rows.append({f"device{sep}device_name": dev,
                         **{f"device{sep}{item}": r[f"device_{dev}_{item}"]
                            for item in ("owned", "used_elsewhere", "tuning")}, **parent(i, k)})
    return pd.DataFrame(rows)


def test_kobo_xlsx_round_trip(tmp_path, form, filled):
    main = _main(filled, "/", {"start": "2025-01-01T10:00:00", "_id": range(1000, 1000 + len(filled)),
                               "_uuid": [f"u{i}" for i in range(len(filled))],
                               "_index": range(1, len(filled) + 1)})
    link = lambda i, j: {"_index": i * 20 + j + 1, "_parent_index": i + 1,  # noqa: E731
                         "_parent_table_name": "corridor_evidence"}
    path = tmp_path / "kobo.xlsx"
    with pd.ExcelWriter(path) as xw:
        main.to_excel(xw, sheet_name="Corridor evidence", index=False)
        _exposure_rows(filled, "/", link, dummies=True).to_excel(xw, sheet_name="exposure", index=False)
        _device_rows(filled, "/", link).to_excel(xw, sheet_name="device", index=False)
    data, fmt, meta = read_any(path, form=form)
    assert fmt == "kobo_xlsx" and meta["form_id"] == "corridor_evidence" and not data.rejected
    _same(data.respondents, filled)


def test_odk_zip_round_trip_through_the_store(tmp_path, form, filled):
    keys = [f"uuid:{i:04d}" for i in range(len(filled))]
    main = _main(filled, "-", {"SubmissionDate": "2025-01-01", "KEY": keys})
    link = lambda name: lambda i, j: {"PARENT_KEY": keys[i], "KEY": f"{keys[i]}/{name}[{j + 1}]"}  # noqa: E731
    path = tmp_path / "odk.zip"
    with zipfile.ZipFile(path, "w") as zf:
        for name, df in (("corridor_evidence.csv", main),
                         ("corridor_evidence-exposure.csv", _exposure_rows(filled, "-", link("exposure"), False)),
                         ("corridor_evidence-device.csv", _device_rows(filled, "-", link("device")))):
            buf = io.StringIO()
            df.to_csv(buf, index=False)
            zf.writestr(name, buf.getvalue())
    data, fmt, meta = read_any(path, form=form)
    assert fmt == "odk_central_zip" and not data.rejected
    _same(data.respondents, filled)
    url = f"sqlite:///{tmp_path / 'h.db'}"
    import_respondents(data, url=url, study_id="odk", source_format=fmt, **meta)
    back = load_respondents(url=url, detail=True)
    _same(back, filled)
    # dont_know and refused stay apart from no and from a missing answer, through the store
    assert (back["device_tv_owned"] == "refused").sum() == (filled["device_tv_owned"] == "refused").sum() > 0
    assert (back["sk_free"] == "dont_know").sum() == (filled["sk_free"] == "dont_know").sum() > 0
    assert back["radio_trust"].isin(["dont_know", "refused"]).sum() > 0


def test_canonical_csv_detail_columns_round_trip(tmp_path, filled):
    path = tmp_path / "detail.csv"
    filled.assign(urban=np.where(filled["urban"], "urban", "rural")).drop(columns=["row", "province_as_given"]) \
        .to_csv(path, index=False)
    data = read_canonical(path)
    _same(data.respondents, filled)
    url = f"sqlite:///{tmp_path / 'c.db'}"
    import_respondents(data, url=url, study_id="csv")
    _same(load_respondents(url=url, detail=True), filled)


def test_detail_values_outside_the_codes_are_rejected(tmp_path):
    head = "respondent_id,sex,birth_year,province,urban,year_left,radio_ever,radio_trust,radio_sources," \
           "device_radio_tuning,sk_free,interview_date\n"
    path = tmp_path / "bad.csv"
    path.write_text(head + "a,female,1980,Ryanggang,urban,2010,yes,6,market,fixed,4,2024-02-30\n"
                    "b,female,1980,Ryanggang,urban,2010,yes,dk,smuggler,dial,maybe,2024-02-03\n")
    data = read_canonical(path, strict=False)
    where = {(p.row, p.column) for p in data.rejected}
    assert where == {(2, "radio_trust"), (2, "interview_date"), (3, "radio_sources"),
                     (3, "device_radio_tuning"), (3, "sk_free")}


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


def _norm(value) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _same(got, want):
    """The same respondents with the same answers in every column of ``want`` that holds data."""
    g = got.set_index("respondent_id").sort_index()
    w = want.set_index("respondent_id").sort_index()
    assert list(g.index) == list(w.index)
    cols = [c for c in w.columns if c not in ("row", "province_as_given", "study", "county", "year_arrived")]
    for col in cols:
        if w[col].map(_norm).eq("").all():
            continue
        assert col in g, col
        assert (g[col].map(_norm) == w[col].map(_norm)).all(), col
