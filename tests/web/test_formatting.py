"""Numbers on pages, reports and maps: one formatter (Babel, CLDR data) in English and Korean."""

from __future__ import annotations

import pytest

from corridor.errors import CorridorError
from corridor.presentation import formatting
from corridor.web.templating import current_lang, make_environment


def test_people_are_whole_and_grouped_in_both_languages():
    assert formatting.people(1_204_352.4, "en") == "1,204,352"
    assert formatting.people(1_204_352.6, "ko") == "1,204,353"
    assert formatting.people(None) == formatting.MISSING


def test_compact_counts_use_each_languages_own_unit():
    assert formatting.people_compact(25_123_456, "en", long=True) == "25.1 million"
    assert formatting.people_compact(1_204_352, "en") == "1.2M"
    assert formatting.people_compact(25_123_456, "ko", digits=0) == "2512만"      # 만 = 10,000


def test_dollars_keep_cents_of_small_amounts_and_korean_names_the_dollar():
    assert formatting.usd(0.00123, "en") == "$0.0012"
    assert formatting.usd(12.5, "en") == "$12.50"
    assert formatting.usd(35_000, "en") == "$35,000"
    assert formatting.usd(12.5, "ko") == "US$12.50"
    assert formatting.money(1_364_000, "krw", "ko") == "₩1,364,000"               # no minor unit
    assert formatting.money(1_200, "EUR", "en") == "€1,200.00"


def test_shares_are_percentages():
    assert formatting.pct(0.1234, "en") == "12.3%"
    assert formatting.pct(0.5, "ko", digits=0) == "50%"
    assert formatting.pct(None, "ko") == formatting.MISSING


def test_an_unknown_language_is_a_user_error():
    with pytest.raises(CorridorError, match="unsupported language"):
        formatting.people(1, "fr")


def test_page_filters_follow_the_page_language():
    env = make_environment()
    template = env.from_string("{{ n|people }} {{ x|usd }} {{ s|pct }} {{ b|money('KRW') }}")
    for lang, expected in (("en", "12,345 $0.25 12.5% ₩5,000"), ("ko", "12,345 US$0.25 12.5% ₩5,000")):
        token = current_lang.set(lang)
        try:
            assert template.render(n=12_345, x=0.25, s=0.125, b=5000) == expected
        finally:
            current_lang.reset(token)
