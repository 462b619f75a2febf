"""Campaign costs in US dollars, through a documented, editable table of annual rates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

from corridor.errors import CorridorError


@lru_cache(maxsize=None)
def _table(path: str | None) -> dict[str, dict[int, float]]:
    if path is None:
        text = resources.files("corridor.coalition").joinpath("data", "usd_rates.yaml").read_text("utf-8")
        source = "usd_rates.yaml"
    else:
        source = path
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CorridorError(f"cannot read the rates table ({exc.strerror})", source=path) from None
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise CorridorError("expected currency codes at the top level", source=source)
    table = {}
    for code, years in data.items():
        if not isinstance(years, dict) or not years:
            raise CorridorError("expected a mapping of year to rate", source=source, field=str(code))
        for year, rate in years.items():
            if not isinstance(year, int) or not isinstance(rate, (int, float)) or rate <= 0:
                raise CorridorError("rate must be a positive number per year", source=source,
                                    field=f"{code}.{year}", value=rate)
        table[str(code).upper()] = {int(y): float(r) for y, r in years.items()}
    return table


@dataclass(frozen=True)
class Converted:
    usd: float
    rate: float          # units of the currency per USD
    rate_year: int
    note: str = ""


def to_usd(amount: float, currency: str, on: date, *, rates_file: str | None = None) -> Converted:
    """Convert ``amount`` of ``currency`` spent on date ``on`` into US dollars."""
    table = _table(rates_file)
    code = currency.upper()
    if code not in table:
        raise CorridorError("unknown currency", field="currency", value=currency,
                            hint="one of: " + ", ".join(sorted(table)))
    if amount < 0:
        raise CorridorError("a cost cannot be negative", field="amount", value=amount)
    years = table[code]
    year = on.year
    note = ""
    if year not in years:
        nearest = max(y for y in years if y <= year) if any(y <= year for y in years) else min(years)
        note = f"no {code} rate for {year}; used {nearest}"
        year = nearest
    rate = years[year]
    return Converted(usd=amount / rate, rate=rate, rate_year=year, note=note)
