"""``corridor evidence``: surveys of people who left, turned into honest exposure estimates."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from corridor.atomic import atomic_path, check_writable
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
    truth_path = out.with_name(out.stem + ".truth.json")
    with atomic_path(out) as tmp:
        sample.to_csv(tmp, index=False)
    with atomic_path(truth_path, field="--out") as tmp:
        tmp.write_text(json.dumps({"synthetic": True, "seed": seed, "year": year,
                                   "channels": shares}, indent=2), encoding="utf-8")
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


@app.command()
def estimate(
    respondents: Annotated[Path, typer.Argument(help="Canonical respondent CSV.")],
    year: Annotated[int, typer.Option("--year", help="Estimate the share exposed by this year.")] = 2019,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", help="HTML report to write.")] = None,
    seed: Annotated[int, typer.Option("--seed", help="Sampler seed.")] = 0,
) -> None:
    """Post-stratified (MRP) share exposed to each channel, with 90 % intervals and diagnostics."""
    from corridor.evidence.canonical import read_canonical
    from corridor.evidence.estimate import estimate_exposure
    from corridor.geo.population import total_population
    from corridor.presentation import formatting

    total_population(year)  # validates the year
    if out is not None:
        check_writable(out)
    data = read_canonical(respondents)
    with status("Estimating exposure", quiet=as_json) as say:
        est = estimate_exposure(data.respondents, year, channels=data.channels, seed=seed, progress=say)
    if out is not None:
        from corridor.evidence.report import write_report

        write_report(est, out, source=respondents.name)
    if as_json:
        print_json(est.as_dict())
        return
    if est.synthetic:
        console.print("[bold red]SYNTHETIC DATA[/]")
    console.print(f"[bold]Share of civilians aged 15+ ever exposed by {year}[/] "
                  f"({est.respondents} respondents; 90 % intervals):")
    for ch, e in est.channels.items():
        raw = formatting.pct(e.raw_share) if e.raw_share is not None else "n/a"
        if e.share is not None:
            console.print(f"  {ch:14s} {formatting.pct(e.share):>6}  [{formatting.pct(e.lower90)}, "
                          f"{formatting.pct(e.upper90)}]   raw {raw}")
        else:
            console.print(f"  {ch:14s} withheld ({'; '.join(e.refused_because)})   raw {raw}")
    for key, text in est.assumptions.items():
        console.print(f"  [dim]{key}: {text}[/]")
    if out is not None:
        console.print(f"Wrote {out}")


@app.command()
def influence(
    respondents: Annotated[Path, typer.Argument(help="Canonical respondent CSV with attitude items (1-5).")],
    item: Annotated[Optional[list[str]], typer.Option("--item", help="Attitude item (repeatable; default: "
                                                      "every item with 50 or more answers).")] = None,
    channel: Annotated[Optional[list[str]], typer.Option("--channel", help="Channel (repeatable; default: "
                                                         "every channel with enough yes and no answers).")] = None,
    method: Annotated[str, typer.Option("--method", help="sem, logit or both.")] = "both",
    seed: Annotated[int, typer.Option("--seed", help="Sampler seed.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Association of exposure with attitudes (SEM and Bayesian logit), 90 % intervals, selection caveat."""
    from corridor.evidence.canonical import read_canonical
    from corridor.evidence.influence import influence_estimate
    from corridor.evidence.vocabulary import CHANNELS

    if method not in ("sem", "logit", "both"):
        raise CorridorError("must be sem, logit or both", field="--method", value=method)
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
    for it, res in (result.get("logit") or {}).items():
        if "not_shown_because" in res:
            console.print(f"  {it}: withheld ({res['not_shown_because']})")
            continue
        console.print(f"  {it} (agree = 4-5; n = {res['n']}): odds ratio if exposed [90 %]")
        for ch, v in res["channels"].items():
            console.print(f"    {ch:14s} {v['odds_ratio']:5.2f} [{v['lower90']:.2f}, {v['upper90']:.2f}]")
    console.print(f"[yellow]Caveat:[/] {result['caveat']}")
