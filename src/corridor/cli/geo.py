"""``corridor geo``: the population grid and the map of North Korea."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from corridor.atomic import check_writable
from corridor.cli.common import Lang, Resolution
from corridor.cli.console import console, print_json, status
from corridor.i18n import check_language
from corridor.settings import grid_resolution_km

# The grid (NumPy, pandas, shapely) is imported inside the commands: `corridor geo --help` and
# input errors answer without loading it.

app = typer.Typer(help="North Korea as data: the population grid and maps.", no_args_is_help=True)

Year = Annotated[Optional[int], typer.Option("--year", help="2008 (census) or a later year, scaled to the UN WPP 2024 total. Default: this year.")]
Rebuild = Annotated[bool, typer.Option("--rebuild", help="Rebuild the cached grid (also repairs a damaged cache).")]


@app.command()
def summary(
    year: Year = None,
    resolution_km: Resolution = None,
    province: Annotated[Optional[str], typer.Option("--province", help="Also list this province's counties (English or Korean name).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object instead of a table.")] = False,
    rebuild: Rebuild = False,
) -> None:
    """Total population, cells, and population per province (2008 census provinces)."""
    resolution_km = grid_resolution_km(resolution_km)
    from corridor.geo import grid_summary
    from corridor.geo.grid import load_grid
    from corridor.presentation import formatting

    with status("Loading the population grid", quiet=as_json) as say:
        grid = load_grid(resolution_km, year, rebuild=rebuild, progress=say)
    data = grid_summary.summarise(grid, province=province)
    if as_json:
        print_json(data)
        return
    table = Table(title=f"North Korea, {data['year']}: population by province "
                        f"({data['resolution_km']:g} km cells)", title_justify="left")
    table.add_column("Province")
    table.add_column("Korean")
    table.add_column("Civilians", justify="right")
    table.add_column("Share", justify="right")
    table.add_column("Cells", justify="right")
    n = formatting.people      # counts, grouped (this table is in English)
    for name, people in data["provinces"].items():
        table.add_row(name, data["provinces_ko"][name], n(people),
                      formatting.pct(people / data["civilian"]), n(data["province_cells"][name]))
    table.add_section()
    table.add_row("Civilians", "민간인", n(data["civilian"]), "", n(data["cells"]))
    table.add_row("Military camps", "군 병영", n(data["military"]), "", "")
    table.add_row("[bold]Total[/]", "합계", f"[bold]{n(data['total'])}[/]", "", "")
    console.print(table)
    if "counties" in data:
        ct = Table(title=f"Counties of {data['province']}", title_justify="left")
        for col in ("County", "Korean", "Civilians", "Cells"):
            ct.add_column(col, justify="right" if col in ("Civilians", "Cells") else "left")
        for row in data["counties"]:
            ct.add_row(row["name"], row["name_ko"], n(row["civilian"]), n(row["cells"]))
        console.print(ct)
    console.print(f"[dim]{data['total_source']}. Military camps: {data['military_placement']}.[/]")


@app.command("map")
def map_(
    out: Annotated[Path, typer.Option("--out", help="PNG file to write.")],
    lang: Lang = "en",
    year: Year = None,
    resolution_km: Resolution = None,
    rebuild: Rebuild = False,
) -> None:
    """Draw population density with provinces, borders, coastline, cities and border crossings."""
    from corridor.presentation.population import population_map

    check_language(lang)
    resolution_km = grid_resolution_km(resolution_km)
    check_writable(out)
    from corridor.geo.grid import load_grid

    with status("Drawing the population map") as say:
        grid = load_grid(resolution_km, year, rebuild=rebuild, progress=say)
        population_map(grid, out, lang=lang)
    console.print(f"Wrote {out}")
