"""``corridor report``: the assessment as a PDF for donors and partners (WeasyPrint).

Every figure in the report is taken from the same result object that ``corridor assess --json``
prints (:meth:`corridor.assess.engine.Assessment.as_dict`), so the two always agree. By default the
report counts only campaigns shared with the coalition or published as aggregates, and names
no individual campaign that is published only as aggregates.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from corridor.assess.engine import Assessment
from corridor.atomic import atomic_path
from corridor.channels import channel_title
from corridor.geo.names import PROVINCES_KO
from corridor.i18n import check_language, translations
from corridor.presentation import figures, formatting
from corridor.themes import vocabulary


def _environment(lang: str) -> Environment:
    env = Environment(loader=PackageLoader("corridor.presentation", "templates"),
                      autoescape=select_autoescape(["html"]), extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(lang), newstyle=True)
    env.filters["people"] = lambda n: formatting.people(n, lang)
    env.filters["usd"] = lambda x: formatting.usd(x, lang)
    env.filters["pct"] = lambda x: formatting.pct(x, lang)
    env.filters["province"] = lambda p: PROVINCES_KO.get(p, p) if lang == "ko" else p
    env.filters["channel"] = lambda c: channel_title(c, lang)
    env.filters["theme"] = lambda c: vocabulary().label(c, lang)
    return env


def _font_faces() -> str:
    from corridor.presentation.fonts import font_dir

    folder = font_dir()
    faces = []
    for name, weight in (("NanumGothic.ttf", 400), ("NanumGothicBold.ttf", 700)):
        path = folder / name
        if path.exists():
            faces.append(f"@font-face {{ font-family: 'Nanum'; src: url('{path.as_uri()}'); font-weight: {weight}; }}")
    return "\n".join(faces)


def render_html(a: Assessment, images: dict[str, Path], *, lang: str, demo: bool, scope: str) -> str:
    result = a.as_dict()
    published = scope == "published"
    campaigns = result["campaigns"]
    if published:  # name only campaigns shared with the coalition, never aggregate-only ones
        campaigns = []
    return _environment(lang).get_template("report.html").render(
        lang=lang, r=result, images={k: v.as_uri() for k, v in images.items()}, demo=demo,
        published=published, campaigns=campaigns, fonts=_font_faces(), today=date.today().isoformat(),
        activities=len(a.items))


def write_report(a: Assessment, out: Path | str, *, lang: str = "en", demo: bool = False,
                 scope: str = "published", progress: Callable[[str], None] = lambda _m: None) -> Path:
    """Render the report to the PDF ``out`` (written atomically)."""
    from weasyprint import HTML

    check_language(lang)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        progress("maps")
        images = {"reach": figures.reach_map(a, folder / "reach.png", lang=lang),
                  "gap": figures.gap_map(a, folder / "gap.png", lang=lang),
                  "channels": figures.channel_chart(a, folder / "channels.png", lang=lang)}
        html = render_html(a, images, lang=lang, demo=demo, scope=scope)
        progress("PDF")
        with atomic_path(out, field="--out") as target:
            HTML(string=html, base_url=str(folder)).write_pdf(target)
    return Path(out)
