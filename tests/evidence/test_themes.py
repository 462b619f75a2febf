"""Content themes in the evidence: the question, its answers through every importer and the store,
the synthetic truth, and the derived exposure per theme (no model fits here)."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

from corridor.evidence.canonical import read_canonical
from corridor.evidence.form import theme_choices, write_form
from corridor.evidence.importing import read_any
from corridor.evidence.storage import import_respondents, load_respondents
from corridor.evidence.synth import add_themes, draw_sample, draw_theme_truth
from corridor.evidence.theme_answers import (channel_key, channel_theme_status, overall_key,
                                             parse_theme_answer, theme_answers)
from corridor.evidence.vocabulary import CHANNELS, age_group_index
from corridor.geo.names import PROVINCES
from corridor.themes import vocabulary

HEAD = "respondent_id,sex,birth_year,province,urban,year_left,radio_ever,dvd_ever,radio_themes,dvd_themes\n"


@pytest.fixture(scope="module")
def theme_truth(truth):
    return draw_theme_truth(truth)


@pytest.fixture(scope="module")
def themed(survey, theme_truth):
    return add_themes(survey, theme_truth, seed=7)


# ----------------------------------------------------------------------------- the answers


def test_theme_answers_are_normalised_and_bad_codes_name_the_nearest_theme():
    assert parse_theme_answer("entertainment, world_news;other") == "world_news entertainment other"
    assert parse_theme_answer(" 모름 ") == "dont_know"
    with pytest.raises(ValueError, match="did you mean 'world_news'"):
        parse_theme_answer("wrld_news")
    with pytest.raises(ValueError, match="stand alone"):
        parse_theme_answer("refused entertainment")
    with pytest.raises(ValueError, match="use dont_know"):
        parse_theme_answer("unknown")


def test_bad_theme_answers_are_rejected_rows_naming_the_column(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text(HEAD + "a,female,1980,Ryanggang,urban,2010,yes,yes,religon,entertainment\n"
                    "b,female,1980,Ryanggang,urban,2010,no,yes,world_news,\n"
                    "c,male,1975,Pyongyang,urban,2012,yes,no,practical democracy_rights,\n",
                    encoding="utf-8")
    data = read_canonical(path, strict=False)
    problems = {(p.row, p.column): p for p in data.rejected}
    assert set(problems) == {(2, "radio_themes"), (3, "radio_themes")}
    assert "'religion'" in problems[(2, "radio_themes")].message
    assert "radio_ever is no" in problems[(3, "radio_themes")].message
    assert list(data.respondents["respondent_id"]) == ["c"]
    assert data.respondents["radio_themes"].iloc[0] == "democracy_rights practical"


def test_status_per_channel_and_overall_with_completeness_weights():
    df = pd.DataFrame({
        "radio_ever": ["yes", "yes", "no", "yes", "dont_know", "no"],
        "radio_themes": ["world_news", "dont_know", None, "entertainment other", None, None],
        "dvd_ever": ["no", "no", "yes", "no", "no", "no"],
        "dvd_themes": [None, None, "entertainment", None, None, None],
    })
    got = channel_theme_status(df["radio_ever"], df["radio_themes"], "world_news")
    np.testing.assert_array_equal(got, [1, np.nan, 0, 0, np.nan, 0])
    ans = theme_answers(df, ("radio", "dvd"), themes=("world_news", "entertainment"))
    assert ans.channels == ("radio", "dvd")
    assert ans.missing == {"radio": pytest.approx(1 / 3), "dvd": 0.0}
    overall = ans.frame[f"{overall_key('entertainment')}_ever"].tolist()
    assert overall == ["no", "dont_know", "yes", "yes", "dont_know", "no"]
    # a complete respondent who saw radio stands for the radio viewers whose content went unanswered
    w = ans.weights[overall_key("entertainment")]
    valid = ans.frame[f"{overall_key('entertainment')}_ever"] != "dont_know"
    assert w[valid].mean() == pytest.approx(1.0)
    assert w[0] / w[2] == pytest.approx(1 / (1 - 1 / 3))
    assert ans.frame[f"{channel_key('dvd', 'entertainment')}_ever"].tolist()[2] == "yes"


def test_weighting_removes_the_follow_up_non_response_bias(truth, theme_truth):
    """In a large sample, the weighted complete-case share matches what the sample's own people
    were likely to have seen, which the unweighted one understates."""
    sample = add_themes(draw_sample(truth, 30_000, seed=5), theme_truth, seed=5, dont_know=0.08, refused=0.02)
    ans = theme_answers(sample, CHANNELS)
    prov = np.array([PROVINCES.index(p) for p in sample["province"]])
    female = (sample["sex"] == "female").to_numpy(int)
    urban = (sample["urban"] == "urban").to_numpy(int)
    age = age_group_index(sample["year_left"] - sample["birth_year"])
    year = sample["year_left"].to_numpy()
    gaps_cc, gaps_w = [], []
    for ti, code in enumerate(theme_truth.themes):
        none = np.ones(len(sample))
        for ci, ch in enumerate(CHANNELS):
            pi = 1 / (1 + np.exp(-truth.logit(ch, prov, female, urban, age, year)))
            none *= 1 - pi * theme_truth.conditional(ci, ti, prov, year)
        expected = np.mean(1 - none)
        col = ans.frame[f"{overall_key(code)}_ever"]
        valid = (col != "dont_know").to_numpy()
        yes = (col == "yes").to_numpy()
        w = ans.weights[overall_key(code)]
        gaps_cc.append(yes[valid].mean() - expected)
        gaps_w.append(np.sum((w * yes)[valid]) / np.sum(w[valid]) - expected)
    assert np.mean(gaps_cc) < -0.01                       # complete cases alone understate
    assert abs(np.mean(gaps_w)) < 0.004 and max(map(abs, gaps_w)) < 0.012


# ----------------------------------------------------------------------------- synthetic truth


def test_synthetic_themes_keep_the_channel_answers_and_follow_the_skip_logic(survey, themed):
    for ch in CHANNELS:
        assert (themed[f"{ch}_ever"] == survey[f"{ch}_ever"]).all()
        asked = themed[f"{ch}_themes"].notna()
        assert (asked == (themed[f"{ch}_ever"] == "yes")).all()
    codes = set(" ".join(themed["dvd_themes"].dropna()).split())
    assert codes <= {*vocabulary().codes, "other", "dont_know", "refused"} and "entertainment" in codes


def test_true_theme_shares_lie_between_the_largest_channel_and_the_sum(theme_truth):
    shares = theme_truth.shares(2019)
    for code in theme_truth.themes:
        per = [shares["by_channel"][ch][code]["national"] for ch in CHANNELS]
        total = shares["overall"][code]["national"]
        assert max(per) <= total <= min(1.0, sum(per))
        assert len(shares["overall"][code]["provinces"]) == len(PROVINCES)


# ----------------------------------------------------------------------------- form and importers


def test_form_asks_for_content_per_channel_in_both_languages(tmp_path):
    from openpyxl import load_workbook

    form = write_form(tmp_path / "form.xlsx")
    wb = load_workbook(form, read_only=True)
    rows = [r for r in wb["survey"].iter_rows(values_only=True)]
    names = [r[1] for r in rows]
    q = rows[names.index("themes")]
    assert q[0] == "select_multiple theme" and "${channel}" in q[2] and "${channel}" in q[3]
    # inside the channel repeat, after the channel's other follow-ups
    assert names.index("influence") < names.index("themes") < names.index("device")
    choices = [r for r in wb["choices"].iter_rows(values_only=True) if r[0] == "theme"]
    vocab = vocabulary()
    assert [c[1] for c in choices[:len(vocab.codes)]] == list(vocab.codes)
    assert all(c[2] == vocab.get(c[1]).en and c[3] == vocab.get(c[1]).ko for c in choices[:len(vocab.codes)])
    assert [c[1] for c in choices[len(vocab.codes):]] == [c for c, _, _ in theme_choices()[len(vocab.codes):]]


def _export(themed, sep, dummies):
    head = themed.head(30).reset_index(drop=True)
    main = pd.DataFrame({"respondent_id": head["respondent_id"],
                         **{f"respondent{sep}{f}": head[f] for f in ("sex", "birth_year", "year_left")},
                         f"respondent{sep}province": [p.lower().replace(" ", "_") for p in head["province"]],
                         f"respondent{sep}urban": head["urban"]})
    rows = []
    codes = [c for c, _, _ in theme_choices()]
    for i, r in head.iterrows():
        for ch in CHANNELS:
            row = {f"exposure{sep}channel": ch, f"exposure{sep}ever": r[f"{ch}_ever"], "parent": i}
            chosen = (r[f"{ch}_themes"] or "").split() if isinstance(r[f"{ch}_themes"], str) else []
            if dummies:
                row.update({f"exposure{sep}themes{sep}{c}": (int(c in chosen) if chosen else None) for c in codes})
            else:
                row[f"exposure{sep}themes"] = " ".join(chosen)
            rows.append(row)
    return head, main, pd.DataFrame(rows)


def test_kobo_and_odk_exports_bring_the_content_answers_into_the_store(tmp_path, themed):
    form = write_form(tmp_path / "form.xlsx")
    head, main, rep = _export(themed, "/", dummies=True)
    kobo = tmp_path / "kobo.xlsx"
    with pd.ExcelWriter(kobo) as xw:
        main.assign(_index=range(1, len(main) + 1)).to_excel(xw, sheet_name="main", index=False)
        rep.assign(_parent_index=rep.pop("parent") + 1).to_excel(xw, sheet_name="exposure", index=False)
    _, main_o, rep_o = _export(themed, "-", dummies=False)
    keys = [f"uuid:{i}" for i in range(len(main_o))]
    odk = tmp_path / "odk.zip"
    with zipfile.ZipFile(odk, "w") as zf:
        for name, df in (("corridor_evidence.csv", main_o.assign(KEY=keys)),
                         ("corridor_evidence-exposure.csv",
                          rep_o.assign(PARENT_KEY=[keys[i] for i in rep_o.pop("parent")]))):
            buf = io.StringIO()
            df.to_csv(buf, index=False)
            zf.writestr(name, buf.getvalue())
    for path in (kobo, odk):
        data, fmt, meta = read_any(path, form=form)
        assert not data.rejected, data.rejected[:3]
        for ch in CHANNELS:
            got = data.respondents[f"{ch}_themes"].fillna("").tolist()
            assert got == head[f"{ch}_themes"].fillna("").tolist(), (path.name, ch)
    url = f"sqlite:///{tmp_path / 'e.db'}"
    import_respondents(data, url=url, study_id="odk", source_format=fmt, **meta)
    back = load_respondents(url=url, detail=True).set_index("respondent_id").loc[head["respondent_id"]]
    for ch in CHANNELS:
        assert back[f"{ch}_themes"].fillna("").tolist() == head[f"{ch}_themes"].fillna("").tolist()
    from corridor.evidence.tables import ImportBatch, ThemeExposure
    from corridor.store import make_engine

    engine = make_engine(url)
    with engine.connect() as c:
        n_rows = c.execute(sa.select(sa.func.count()).select_from(ThemeExposure.__table__)).scalar_one()
        version = c.execute(sa.select(ImportBatch.themes_version)).scalar_one()
    engine.dispose()
    chosen = sum(len(v.split()) for ch in CHANNELS for v in head[f"{ch}_themes"].dropna())
    assert n_rows == chosen > 0 and version == vocabulary().version


def test_a_bad_theme_in_an_export_is_a_rejected_row(tmp_path, themed):
    form = write_form(tmp_path / "form.xlsx")
    _, main, rep = _export(themed, "/", dummies=False)
    first_yes = rep.index[(rep["parent"] == 0) & (rep["exposure/ever"] == "yes")][0]
    rep.loc[first_yes, "exposure/themes"] = "entertainmnet"
    path = tmp_path / "kobo.xlsx"
    with pd.ExcelWriter(path) as xw:
        main.assign(_index=range(1, len(main) + 1)).to_excel(xw, sheet_name="main", index=False)
        rep.assign(_parent_index=rep.pop("parent") + 1).to_excel(xw, sheet_name="exposure", index=False)
    data, _, _ = read_any(path, form=form)
    [problem] = data.rejected
    ch = rep.loc[first_yes, "exposure/channel"]
    assert problem.row == 2 and problem.column == f"{ch}_themes" and "did you mean 'entertainment'" in problem.message
