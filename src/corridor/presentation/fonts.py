"""The Korean font, found in one place: maps, charts, the PDF report and the pages use it."""

from __future__ import annotations

import importlib.util
from pathlib import Path


def font_dir() -> Path:
    """The folder of the bundled NanumGothic fonts (shipped with ``koreanize-matplotlib``)."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    return Path(list(spec.submodule_search_locations)[0]) / "fonts"


def web_font(name: str) -> Path:
    """The bundled NanumGothic, made loadable by browsers (built once into the cache folder).

    The TTF shipped with ``koreanize-matplotlib`` carries empty Visual TrueType source tables
    (``TSI0``–``TSI5``), which Chromium's font sanitiser (OTS) rejects; they hold no glyph data,
    so they are dropped with fontTools and the result cached.
    """
    from fontTools.ttLib import TTFont

    from corridor.atomic import atomic_path
    from corridor.paths import cache_dir

    target = cache_dir() / "fonts" / name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        font = TTFont(font_dir() / name)
        for tag in [t for t in font.keys() if t.startswith("TSI")]:
            del font[tag]
        with atomic_path(target, field="font cache") as tmp:
            font.save(tmp)
    return target
