"""The demo job: everything ``make demo`` shows, built from shipped data only."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from corridor.atomic import write_text
from corridor.channels import Activity, get_channel
from corridor.geo import grid_summary
from corridor.geo.grid import load_grid
from corridor.maps.coverage import coverage_map
from corridor.maps.population import population_map

DEMO_LOUDSPEAKER = {
    "id": "demo-loudspeaker-paju", "channel": "loudspeaker", "title": "Paju array (example)",
    "start": datetime(2024, 7, 21, 22), "spec": {"lon": 126.70, "lat": 37.90, "sound_power_db": 165,
                                                 "azimuth_deg": 0, "period": "night"},
}


def run_demo(out: Path, *, progress: Callable[[str], None] = lambda _m: None) -> list[Path]:
    """Write the demo outputs into ``out`` and return their paths."""
    grid = load_grid(5.0, progress=progress)
    summary = grid_summary.summarise(grid)
    written = [write_text(out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2))]
    progress("drawing maps")
    written.append(population_map(grid, out / "population-map.png", lang="en"))
    written.append(population_map(grid, out / "population-map-ko.png", lang="ko"))
    progress("loudspeaker example")
    activity = Activity.model_validate(DEMO_LOUDSPEAKER)
    cov = get_channel("loudspeaker").coverage(activity, grid, draws=200)
    s = cov.summary(grid)
    written.append(coverage_map(
        grid, cov, out / "loudspeaker-map.png",
        title="Loudspeaker: who can understand the broadcast",
        subtitle="Probability that speech is understood, night, 500 Hz band, median of 200 draws",
        notes=[f"People who could understand it: {s['reached_median']:,.0f} "
               f"(90% interval {s['reached_lower90']:,.0f}–{s['reached_upper90']:,.0f}).",
               "Example array (165 dB sound power) near Paju; not a real installation's specification."],
        sites=[(126.70, 37.90, "Paju (example)")]))
    return written
