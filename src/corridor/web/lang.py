"""Which language a page is rendered in.

Order: an explicit ``?lang=`` (which also sets a cookie), the ``lang`` cookie, then the
browser's ``Accept-Language``: Korean when the browser ranks Korean above English, English
otherwise.
"""

from __future__ import annotations

from corridor.i18n import LANGUAGES

COOKIE = "lang"


def parse_accept_language(header: str | None) -> list[tuple[str, float]]:
    """``ko-KR,ko;q=0.9,en;q=0.5`` → ``[("ko", 1.0), ("ko", 0.9), ("en", 0.5)]`` (by weight)."""
    out = []
    for part in (header or "").split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        q = 1.0
        for p in params.split(";"):
            key, _, value = p.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        out.append((tag.strip().lower().split("-")[0], q))
    return sorted(out, key=lambda t: -t[1])


def choose_language(query: str | None, cookie: str | None, accept: str | None) -> str:
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    for tag, q in parse_accept_language(accept):
        if q > 0 and tag in LANGUAGES:
            return tag
    return "en"
