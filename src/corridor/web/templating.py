"""Jinja2 templates with gettext from Corridor's catalogues, per request language."""

from __future__ import annotations

from contextvars import ContextVar
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape

from corridor.i18n import translations

current_lang: ContextVar[str] = ContextVar("current_lang", default="en")


def _gettext(message: str) -> str:
    return translations(current_lang.get()).gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_lang.get()).ngettext(singular, plural, n)


def _usd(x) -> str:
    """US dollars, with more decimals for small amounts (cost per person is often cents)."""
    if x is None:
        return "–"
    return f"${x:,.4f}" if x < 0.01 else (f"${x:,.2f}" if x < 1000 else f"${x:,.0f}")


def _province(name: str) -> str:
    """A 2008 province's name in the page's language."""
    from corridor.geo.names import PROVINCES_KO

    return PROVINCES_KO.get(name, name) if current_lang.get() == "ko" else name


def make_environment() -> Environment:
    env = Environment(loader=PackageLoader("corridor.web", "templates"),
                      autoescape=select_autoescape(["html", "xml"]),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    env.filters["people"] = lambda n: f"{n:,.0f}"
    env.filters["usd"] = _usd
    env.filters["province"] = _province
    env.filters["pct"] = lambda x: "–" if x is None else f"{100 * x:.1f}%"
    return env


def static_dir():
    return resources.files("corridor.web").joinpath("static")
