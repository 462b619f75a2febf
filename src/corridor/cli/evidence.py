"""``corridor evidence``: surveys of people who left, turned into honest exposure estimates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from corridor.atomic import atomic_path, check_writable
from corridor.cli.common import Lang
from corridor.cli.console import console, err_console, print_json, status
from corridor.errors import CorridorError

app = typer.Typer(help="Evidence from surveys of people who left: import, estimate, synthesize.",
                  no_args_is_help=True)


@app.command()
def synth(
    n: Annotated[int, typer.Option("--n", help="Number of respondents.")] = 5000,
    out: Annotated[Path, typer.Option("--out", help="Canonical CSV to write.")] = Path("synthetic.csv"),
    seed: Annotated[int, typer.Option("--seed", help="Random seed (population and sample).")] = 0,
    year: Annotated[int, typer.Option("--year", help="Year of the truth written beside the CSV.")] = 2019,
    attitudes: Annotated[bool, typer.Option("--attitudes", help="Add SYNTHETIC attitude items (1-5) "
                                            "driven by exposure, for the influence models.")] = False,
    themes: Annotated[bool, typer.Option("--themes/--no-themes", help="Add the kinds of content seen "
                                         "through each channel (<channel>_themes), with their truth.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Write a SYNTHETIC survey, biased like arrivals (border provinces, women), with its known truth."""
    import json

    from corridor.evidence.synth import draw_sample, draw_truth

    if not 1 <= n <= 1_000_000:
        raise CorridorError("must be between 1 and 1,000,000", field="--n", value=n)
    check_writable(out)
    truth = draw_truth(seed)
    sample = draw_sample(truth, n, seed=seed)
    if attitudes:
        from corridor.evidence.synth import add_attitudes

        sample = add_attitudes(sample, seed=seed)
    shares = truth.shares(year)
    known = {"synthetic": True, "seed": seed, "year": year, "channels": shares}
    if themes:
        from corridor.evidence.synth import add_themes, draw_theme_truth
        from corridor.themes import vocabulary

        theme_truth = draw_theme_truth(truth)
        sample = add_themes(sample, theme_truth, seed=seed)
        known["themes"] = {"vocabulary_version": vocabulary().version, **theme_truth.shares(year)}
    truth_path = out.with_name(out.stem + ".truth.json")
    with atomic_path(out) as tmp:
        sample.to_csv(tmp, index=False)
    with atomic_path(truth_path, field="--out") as tmp:
        tmp.write_text(json.dumps(known, indent=2, ensure_ascii=False), encoding="utf-8")
    result = {"synthetic": True, "respondents": n, "out": str(out), "truth": str(truth_path),
              "year": year, "true_national_share": {c: round(v["national"], 4) for c, v in shares.items()}}
    if as_json:
        print_json(result)
        return
    console.print(f"Wrote [bold]{n}[/] SYNTHETIC respondents to {out} and the true shares for {year} to "
                  f"{truth_path}")


@app.command()
def form(
    out: Annotated[Path, typer.Option("--out", help="XLSForm workbook to write (.xlsx).")] = Path("corridor-evidence-form.xlsx"),
) -> None:
    """Write the survey form (XLSForm, English and Korean) for KoboToolbox or ODK; checked with pyxform."""
    from corridor.evidence.form import FORM_ID, FORM_VERSION, write_form

    if out.suffix.lower() != ".xlsx":
        raise CorridorError("the form must be an .xlsx workbook", field="--out", value=str(out))
    write_form(out)
    console.print(f"Wrote {out} (form {FORM_ID}, version {FORM_VERSION}; compiles with pyxform)")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="Canonical CSV, Kobo export (XLSX/CSV) or ODK Central ZIP.")],
    form: Annotated[Optional[Path], typer.Option("--form", help="The XLSForm of a Kobo/ODK export.")] = None,
    study: Annotated[Optional[str], typer.Option("--study", help="Study id (default: the file's study column).")] = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Import the valid rows and report the rest.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Import respondents into the database in one transaction (all rows or none)."""
    from corridor.evidence.importing import read_any
    from corridor.evidence.storage import ImportRejected, import_respondents

    data, fmt, form_meta = read_any(file, form=form)
    try:
        report = import_respondents(data, study_id=study, source_format=fmt, skip_invalid=skip_invalid,
                                    **form_meta)
    except ImportRejected as exc:
        if as_json:
            print_json(exc.report.as_dict())
        else:
            for p in exc.report.rejected:
                err_console.print(f"  rejected: {p.one_line()}", markup=False, highlight=False)
        raise
    if as_json:
        print_json(report.as_dict())
        return
    console.print(f"Imported [bold]{report.imported}[/] respondents from {file} (study {report.study_id!r}).")
    for p in report.rejected:
        console.print(f"  rejected: {p.one_line()}", markup=False, highlight=False)


THEME_MODES = ("overall", "all", "none")


@app.command()
def estimate(
    respondents: Annotated[Path, typer.Argument(help="Canonical respondent CSV.")],
    year: Annotated[int, typer.Option("--year", help="Estimate the share exposed by this year.")] = 2019,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", help="HTML report to write.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Sampler seed.")] = 0,
    themes: Annotated[str, typer.Option("--themes", help="Content themes, when the file has <channel>_themes "
                                        "answers: overall, all (overall and by channel) or none.")] = "overall",
    lang: Lang = "en",
) -> None:
    """Post-stratified (MRP) share exposed to each channel and content theme, with 90 % intervals and diagnostics."""
    from corridor.cli.common import translator
    from corridor.evidence.canonical import read_canonical
    from corridor.evidence.estimate import estimate_exposure
    from corridor.geo.population import total_population
    from corridor.i18n import check_language

    check_language(lang)
    if themes not in THEME_MODES:
        raise CorridorError("must be overall, all or none", field="--themes", value=themes)
    total_population(year)  # validates the year
    if out is not None:
        check_writable(out)
    data = read_canonical(respondents)
    _ = translator(lang)
    with status(_("Estimating exposure"), quiet=as_json) as say:
        est = estimate_exposure(data.respondents, year, channels=data.channels, seed=seed, progress=say)
        if themes != "none":
            from corridor.evidence.theme_answers import asked_channels

            if asked_channels(data.respondents, data.channels):
                from corridor.evidence.theme_estimate import estimate_themes

                est.themes = estimate_themes(data.respondents, year, channels=data.channels, seed=seed,
                                             by_channel=themes == "all", progress=say)
    if out is not None:
        from corridor.evidence.report import write_report

        write_report(est, out, source=respondents.name)
    if as_json:
        print_json(est.as_dict())
        return
    _print_estimate(est, lang)
    if out is not None:
        console.print(_("Wrote {path}").format(path=out))


def _interval(e, lang: str) -> str:
    from corridor.presentation import formatting

    _ = _translator(lang)
    raw = formatting.pct(e.raw_share, lang) if e.raw_share is not None else "n/a"
    if e.share is None:
        return _("withheld ({reasons})   raw {raw}").format(reasons="; ".join(e.refused_because), raw=raw)
    return _("{share}  [{lower}, {upper}]   raw {raw}").format(
        share=f"{formatting.pct(e.share, lang):>6}", lower=formatting.pct(e.lower90, lang),
        upper=formatting.pct(e.upper90, lang), raw=raw)


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal cells (a Hangul syllable takes two)."""
    from rich.cells import cell_len

    return text + " " * max(0, width - cell_len(text))


def _translator(lang: str):
    from corridor.cli.common import translator

    return translator(lang)


def _print_estimate(est, lang: str) -> None:
    """The console form of an exposure estimate (channels, then themes), in ``lang``."""
    from corridor.evidence.vocabulary import CHANNEL_LABELS

    _ = _translator(lang)

    def label(ch: str) -> str:
        return CHANNEL_LABELS[ch][1 if lang == "ko" else 0]

    if est.synthetic:
        console.print(f"[bold red]{_('SYNTHETIC DATA')}[/]")
    console.print("[bold]" + _("Share of civilians aged 15+ ever exposed by {year}").format(year=est.year)
                  + "[/] " + _("({n} respondents; 90 % intervals):").format(n=est.respondents))
    for ch, e in est.channels.items():
        console.print(f"  {_pad(label(ch), 22)} {_interval(e, lang)}", highlight=False)
    for key, text in est.assumptions.items():
        console.print(f"  [dim]{key}: {_(text)}[/]", highlight=False)
    th = est.themes
    if th is None:
        return
    from corridor.themes import vocabulary

    vocab = vocabulary()
    console.print("[bold]" + _("Share ever exposed to each kind of content by {year}").format(year=th.year)
                  + "[/] " + _("(theme vocabulary version {version}; channels asked: {channels}):").format(
                      version=th.vocabulary_version, channels=", ".join(label(c) for c in th.channels_asked)))
    for code, e in th.overall.items():
        console.print(f"  {_pad(vocab.label(code, lang), 30)} {_interval(e, lang)}", highlight=False)
    for ch, per in th.by_channel.items():
        console.print("  " + _("through {channel}:").format(channel=label(ch)))
        for code, e in per.items():
            console.print(f"    {_pad(vocab.label(code, lang), 28)} {_interval(e, lang)}", highlight=False)
    for key, text in th.assumptions.items():
        console.print(f"  [dim]{key}: {_(text)}[/]", highlight=False)


@app.command()
def influence(
    respondents: Annotated[Path, typer.Argument(help="Canonical respondent CSV with attitude items (1-5).")],
    item: Annotated[Optional[list[str]], typer.Option("--item", help="Attitude item (repeatable; default: "
                                                      "every item with 50 or more answers).")] = None,
    channel: Annotated[Optional[list[str]], typer.Option("--channel", help="Channel (repeatable; default: "
                                                         "every channel with enough yes and no answers).")] = None,
    method: Annotated[str, typer.Option("--method", help="sem, logit or both.")] = "both",
    by: Annotated[str, typer.Option("--by", help="channel, or theme: exposure to each kind of content "
                                    "(Bayesian logit; needs <channel>_themes answers).")] = "channel",
    seed: Annotated[int, typer.Option("--seed", help="Sampler seed.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Association of exposure with attitudes (SEM and Bayesian logit), 90 % intervals, selection caveat."""
    from corridor.evidence.canonical import read_canonical
    from corridor.evidence.influence import influence_estimate
    from corridor.evidence.vocabulary import CHANNELS

    if method not in ("sem", "logit", "both"):
        raise CorridorError("must be sem, logit or both", field="--method", value=method)
    if by not in ("channel", "theme"):
        raise CorridorError("must be channel or theme", field="--by", value=by)
    if by == "theme":
        _influence_by_theme(respondents, item, seed, as_json)
        return
    for ch in channel or []:
        if ch not in CHANNELS:
            raise CorridorError("unknown channel", field="--channel", value=ch, hint="channels: " + ", ".join(CHANNELS))
    data = read_canonical(respondents)
    for ch in channel or []:
        if ch not in data.channels:
            raise CorridorError("the file has no answers for this channel", source=str(respondents),
                                field="--channel", value=ch)
    with status("Fitting the influence models", quiet=as_json):
        result = influence_estimate(data.respondents, items=item or None, channels=channel or None,
                                    sem=method != "logit", logit=method != "sem", seed=seed)
    synthetic = "study" in data.respondents and data.respondents["study"].astype(str).str.contains("SYNTHETIC").any()
    if synthetic:
        result["synthetic"] = True
    if as_json:
        print_json(result)
        return
    if synthetic:
        console.print("[bold red]SYNTHETIC DATA[/]")
    console.print(f"[bold]Exposure and attitudes[/] ({result['respondents']} respondents; channels "
                  f"{', '.join(result['channels'])}; items {', '.join(result['items'])})")
    sem = result.get("sem")
    if sem is not None:
        if "not_shown_because" in sem:
            console.print(f"  SEM: withheld ({sem['not_shown_because']})")
        else:
            console.print(f"  SEM path exposure -> outside view: {sem['path_exposure_to_outside_view']:.3f} "
                          f"[{sem['lower90']:.3f}, {sem['upper90']:.3f}] (90 %), p = {sem['p_value']:.3g}, "
                          f"n = {sem['n']}, CFI {sem['cfi']:.2f}, RMSEA {sem['rmsea']:.3f}")
    _print_odds(result.get("logit") or {}, "channels", 14)
    console.print(f"[yellow]Caveat:[/] {result['caveat']}")


def _influence_by_theme(respondents: Path, items, seed: int, as_json: bool) -> None:
    from corridor.evidence.canonical import read_canonical
    from corridor.evidence.estimate import is_synthetic
    from corridor.evidence.influence import influence_by_theme

    data = read_canonical(respondents)
    with status("Fitting the influence models", quiet=as_json):
        result = influence_by_theme(data.respondents, items=items or None, channels=data.channels, seed=seed)
    if is_synthetic(data.respondents):
        result["synthetic"] = True
    if as_json:
        print_json(result)
        return
    if result.get("synthetic"):
        console.print("[bold red]SYNTHETIC DATA[/]")
    console.print(f"[bold]Content themes and attitudes[/] ({result['respondents']} respondents; themes "
                  f"{', '.join(result['themes'])}; items {', '.join(result['items'])})")
    _print_odds(result["logit"], "themes", 20)
    console.print(f"[yellow]Caveat:[/] {result['caveat']}")


def _print_odds(logit: dict, by: str, width: int) -> None:
    """Each attitude item's odds ratios if exposed, per channel or per theme (``by``)."""
    for it, res in logit.items():
        if "not_shown_because" in res:
            console.print(f"  {it}: withheld ({res['not_shown_because']})")
            continue
        console.print(f"  {it} (agree = 4-5; n = {res['n']}): odds ratio if exposed [90 %]")
        for name, v in res[by].items():
            console.print(f"    {name:{width}s} {v['odds_ratio']:5.2f} [{v['lower90']:.2f}, {v['upper90']:.2f}]")
