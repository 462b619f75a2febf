"""The content-theme vocabulary: bilingual, versioned, editable, and strict about bad input."""

import pytest

from corridor import themes
from corridor.errors import CorridorError


def test_the_shipped_vocabulary_has_the_ten_themes_in_both_languages():
    v = themes.vocabulary()
    assert v.version >= 1 and len(v.codes) == 10
    for t in v.themes:
        assert t.label("en") and t.label("ko") != t.label("en")
        assert any("\uac00" <= ch <= "\ud7a3" for ch in t.label("ko") + t.definition("ko"))


def test_forms_people_write_themes_in_all_read_the_same():
    want = {"world_news": 0.5, "entertainment": None}
    assert themes.parse_themes("entertainment, world_news:0.5") == want
    assert themes.parse_themes({"world_news": 0.5, "entertainment": None}) == want
    assert themes.parse_themes([{"theme": "entertainment"}, {"theme": "world_news", "share": "0.5"}]) == want
    assert themes.parse_themes(themes.format_themes(want)) == want
    assert list(themes.parse_themes(["religion", "world_news"])) == ["world_news", "religion"]


@pytest.mark.parametrize("bad, field, words", [
    ("democracy", "spec.themes", "did you mean 'democracy_rights'"),
    ({"religion": 1.5}, "spec.themes.religion", "from 0 to 1"),
    ({"religion": -0.1}, "spec.themes.religion", "from 0 to 1"),
    ("religion:0.6;world_news:0.5", "spec.themes", "add to 1.1"),
    ("unknown;religion", "spec.themes", "cannot be combined"),
    ("religion;religion", "spec.themes", "given twice"),
])
def test_bad_themes_name_the_field_and_the_nearest_valid_ones(bad, field, words):
    with pytest.raises(CorridorError) as err:
        themes.parse_themes(bad, field="spec.themes")
    assert err.value.field == field and words in str(err.value)


def test_an_edited_vocabulary_is_used_and_a_broken_one_is_named(tmp_path, monkeypatch):
    f = tmp_path / "my-themes.yaml"
    f.write_text("version: 2\nthemes:\n  - {code: farming, en: Farming, ko: 농사, definition_en: Crops., "
                 "definition_ko: 농작물.}\n", encoding="utf-8")
    monkeypatch.setenv(themes.THEMES_FILE_ENV, str(f))
    v = themes.vocabulary()
    assert (v.version, v.codes) == (2, ("farming",))
    assert themes.parse_themes("farming") == {"farming": None}
    f2 = tmp_path / "broken.yaml"
    f2.write_text("version: 0\nthemes: [{code: x}]\n", encoding="utf-8")
    monkeypatch.setenv(themes.THEMES_FILE_ENV, str(f2))
    with pytest.raises(CorridorError) as err:
        themes.vocabulary()
    assert err.value.source == "broken.yaml" and err.value.field == "version"


def test_a_code_the_vocabulary_no_longer_has_is_shown_as_it_is():
    v = themes.vocabulary()
    assert v.label("religion", "ko") == "종교" and v.label("unknown", "en") == "Unknown"
    assert v.label("farming", "ko") == "farming"          # from an edited, earlier vocabulary
