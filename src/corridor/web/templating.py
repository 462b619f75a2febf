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


def make_environment() -> Environment:
    env = Environment(loader=PackageLoader("corridor.web", "templates"),
                      autoescape=select_autoescape(["html", "xml"]),
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)
    env.filters["people"] = lambda n: f"{n:,.0f}"
    return env


def static_dir():
    return resources.files("corridor.web").joinpath("static")
