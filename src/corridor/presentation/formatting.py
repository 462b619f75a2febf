"""Numbers for people to read: counts of people, US dollars and shares, in English or Korean.

One place for every page, report, map and command, formatted by Babel from the Unicode CLDR
locale data (digit grouping, currency sign and placement, percent sign, compact forms such as
``1.2M`` and ``120만``), so that the same figure reads the same everywhere. A missing value
(``None``) is shown as an en dash.
"""

from __future__ import annotations

from babel.numbers import (
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
)

from corridor.i18n import check_language

#: The CLDR locale of each language Corridor speaks.
LOCALES = {"en": "en_US", "ko": "ko_KR"}
#: What a missing figure is shown as.
MISSING = "–"


def _locale(lang: str) -> str:
    return LOCALES[check_language(lang, field="lang")]


def people(n: float | None, lang: str = "en") -> str:
    """A count of people, whole and grouped: ``1,204,352`` (both languages)."""
    if n is None:
        return MISSING
    return format_decimal(round(float(n)), format="#,##0", locale=_locale(lang))


def people_compact(n: float | None, lang: str = "en", *, digits: int = 1, long: bool = False) -> str:
    """A count of people in a narrow space: ``1.2M`` / ``120만``; ``long``: ``1.2 million`` in
    English (Korean has one compact form, ``120만``). ``digits``: at most this many decimals."""
    if n is None:
        return MISSING
    kind = "long" if long and lang == "en" else "short"
    return format_compact_decimal(float(n), format_type=kind, fraction_digits=digits, locale=_locale(lang))


def usd(x: float | None, lang: str = "en") -> str:
    """US dollars, with more decimals for small amounts (a cost per person is often a few cents):
    ``$0.0012``, ``$12.50``, ``$35,000`` in English; ``US$12.50`` in Korean (CLDR's sign there)."""
    if x is None:
        return MISSING
    x = float(x)
    pattern = "¤#,##0.0000" if abs(x) < 0.01 else ("¤#,##0.00" if abs(x) < 1000 else "¤#,##0")
    return format_currency(x, "USD", format=pattern, currency_digits=False, locale=_locale(lang))


def pct(x: float | None, lang: str = "en", *, digits: int = 1) -> str:
    """A share (0–1) as a percentage with ``digits`` decimals: ``12.3%``."""
    if x is None:
        return MISSING
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    return format_percent(float(x), format=pattern, locale=_locale(lang))


def money(x: float | None, currency: str, lang: str = "en") -> str:
    """An amount in its own currency (ISO 4217 code), with that currency's usual decimals:
    ``₩1,364,000``, ``€1,200.00``; an unknown code is shown before the number."""
    if x is None:
        return MISSING
    return format_currency(float(x), currency.upper(), locale=_locale(lang))
