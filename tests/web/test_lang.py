from corridor.web.lang import choose_language, parse_accept_language


def test_accept_language_is_ranked_by_weight():
    assert parse_accept_language("en;q=0.4, ko-KR, ko;q=0.9") == [("ko", 1.0), ("ko", 0.9), ("en", 0.4)]
    assert parse_accept_language("") == []


def test_korean_when_the_browser_asks_for_it_explicit_choice_wins():
    assert choose_language(None, None, "ko-KR,ko;q=0.9,en-US;q=0.8") == "ko"
    assert choose_language(None, None, "en-US,en;q=0.9,ko;q=0.8") == "en"
    assert choose_language(None, None, "fr-FR") == "en"
    assert choose_language("en", None, "ko-KR") == "en"
    assert choose_language(None, "ko", "en") == "ko"
    assert choose_language("xx", None, "ko") == "ko"
