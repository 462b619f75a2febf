"""The population map: where North Korea's people live, on the shared grid."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.colors import LogNorm

from corridor.geo.grid import PopulationGrid
from corridor.presentation import basemap, formatting


def population_map(grid: PopulationGrid, out: Path | str, *, lang: str = "en") -> Path:
    """Draw people per km² on the grid, with provinces, borders, cities and crossings."""
    ctx = basemap.base_map(lang)
    _ = ctx._
    density = grid.density_per_km2
    image, extent = basemap.grid_image(grid, np.where(density > 0, density, np.nan))
    im = ctx.ax.imshow(image, origin="lower", extent=extent, cmap="magma_r",
                       norm=LogNorm(vmin=5, vmax=10000), interpolation="nearest", zorder=3)
    cax = ctx.fig.add_axes([0.70, 0.40, 0.26, 0.013])
    cbar = ctx.fig.colorbar(im, cax=cax, orientation="horizontal")
    cbar.set_ticks([10, 100, 1000, 10000])
    cbar.set_ticklabels(["10", "100", "1,000", "10,000"])
    cbar.ax.tick_params(labelsize=7.5)
    cbar.set_label(_("People per km²"), fontsize=8)
    basemap.draw_cities(ctx)
    basemap.draw_crossings(ctx)
    p = grid.params
    placement = {
        "dmz": _("{share:.0%} within {band:.0f} km of the MDL, the rest with the civilians").format(
            share=p.military_dmz_share, band=p.military_dmz_band_km),
        "proportional": _("in proportion to the civilians"),
        "exclude": _("left out of the map"),
    }[p.military_placement]
    military = formatting.people(grid.military.sum() if p.military_placement != "exclude"
                                 else 702372 * grid.scale, lang)
    total = formatting.people_compact(grid.population.sum(), lang, digits=1 if lang == "en" else 0, long=True)
    subtitle = _("People per km², {res} km cells, 2008 census scaled to {year} ({total} people)").format(
        res=f"{grid.resolution_km:g}", year=grid.year, total=total)
    notes = [
        _("Modelled, not measured: census counts spread within each county by a documented kernel "
          "(docs/population-grid.md)."),
        _("Military-camp population ({military}) placed by assumption: {placement}.").format(
            military=military, placement=placement),
    ]
    return basemap.finish(ctx, out, title=_("North Korea: where people live"), subtitle=subtitle,
                          notes=notes)
