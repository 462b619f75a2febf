"""Korean and English: message catalogues (gettext ``.po`` files read with Babel).

Catalogues live in ``corridor/locale/<lang>/LC_MESSAGES/*.po`` (``corridor.po`` for the core,
one file per larger module, e.g. ``archive.po``) and are merged and compiled in memory on
first use, so there is no build step. English is the source language.
"""

from __future__ import annotations

import io
from functools import cache
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from corridor.errors import CorridorError

LANGUAGES = ("en", "ko")


def check_language(lang: str, *, field: str = "--lang") -> str:
    if lang not in LANGUAGES:
        raise CorridorError("unsupported language", field=field, value=lang,
                            hint="use 'en' or 'ko'")
    return lang


@cache
def translations(lang: str) -> NullTranslations:
    """The gettext translations for ``lang`` (``en`` returns messages unchanged)."""
    check_language(lang)
    if lang == "en":
        return NullTranslations()
    folder = resources.files("corridor").joinpath("locale", lang, "LC_MESSAGES")
    files = sorted((p for p in folder.iterdir() if p.name.endswith(".po")),
                   key=lambda p: (p.name != "corridor.po", p.name))
    catalog = None
    for po in files:
        with po.open("rb") as f:
            part = read_po(f, locale=lang)
        if catalog is None:
            catalog = part
            continue
        for message in part:   # the first file that translates a message wins
            if message.id and catalog.get(message.id, message.context) is None:
                catalog[message.id] = message
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(fp=buf, domain="corridor")


def gettext(lang: str, message: str) -> str:
    return translations(lang).gettext(message)
