"""Jinja2 templates with gettext from Corridor's catalogues, per request language."""

from __future__ import annotations

from contextvars import ContextVar
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape

from corridor.channels import channel_title
from corridor.i18n import translations
from corridor.presentation import formatting

current_lang: ContextVar[str] = ContextVar("current_lang", default="en")


def _gettext(message: str) -> str:
    return translations(current_lang.get()).gettext(message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_lang.get()).ngettext(singular, plural, n)


def _theme(code: str) -> str:
    from corridor.themes import vocabulary

    return vocabulary().label(code, current_lang.get())


def _province(name: str) -> str:
    """A 2008 province's name in the page's language."""
    from corridor.geo.names import PROVINCES_KO

    return PROVINCES_KO.get(name, name) if current_lang.get() == "ko" else name


def make_environment() -> Environment:
    env = Environment(loader=PackageLoader("corridor.web", "templates"),
                      autoescape=select_autoescape(["html", "xml"]),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    # numbers in the page's language (corridor.presentation.formatting, with Babel)
    env.filters["people"] = lambda n: formatting.people(n, current_lang.get())
    env.filters["usd"] = lambda x: formatting.usd(x, current_lang.get())
    env.filters["pct"] = lambda x: formatting.pct(x, current_lang.get())
    env.filters["money"] = lambda x, currency: formatting.money(x, currency, current_lang.get())
    # a channel's name for people (defined once, in corridor.channels)
    env.filters["channel"] = lambda c: channel_title(c, current_lang.get())
    env.filters["province"] = _province
    env.filters["theme"] = _theme
    return env


def static_dir():
    return resources.files("corridor.web").joinpath("static")
