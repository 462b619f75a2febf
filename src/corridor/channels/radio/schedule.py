"""A broadcast schedule entry as a channel spec: station, site, power, antenna, frequency, hours."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from corridor.channels.base import ChannelSpec, SharedValues
from corridor.channels.radio import geometry

PYONGYANG = (39.03, 125.75)
#: The radio model's range: sites farther from Pyongyang are refused (P.533 short-path method).
MAX_DISTANCE_KM = 7000.0
_HHMM = r"^([01]\d|2[0-4]):[0-5]\d$"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def jamming_values() -> list[str]:
    """The ``jammers`` values the shared ledger accepts (shipped sets and ``none``)."""
    from corridor.channels.radio.jamming import shared_values

    return shared_values()


def check_jammer_file(path: str) -> None:
    """Read a local jammer file, so that a missing or invalid one is reported with the schedule."""
    from corridor.channels.radio.jamming import load_jammers

    load_jammers(path)


class AntennaSpec(BaseModel):
    """Transmitting antenna (see :mod:`corridor.channels.radio.antennas`)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["isotropic", "beam", "dipole", "curtain"] = "isotropic"
    gain_dbi: float = Field(0.0, ge=-20, le=30, description="isotropic/beam: gain in dBi")
    azimuth_deg: float = Field(0.0, ge=0, lt=360, description="boresight, degrees from north")
    beamwidth_deg: float = Field(60.0, gt=0, le=360)
    width: int = Field(4, ge=1, le=8, description="curtain: dipoles per row")
    height: int = Field(4, ge=1, le=8, description="curtain: rows")
    height_wavelengths: float = Field(0.5, gt=0, le=3, description="height of the lowest row (or dipole), wavelengths")
    design_khz: float | None = Field(None, ge=150, le=30000)


#: The day names of ``RadioSpec.days``, Monday first.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class RadioSpec(ChannelSpec):
    """One broadcast: a transmitter on one frequency at fixed UTC hours."""

    station: str = Field(min_length=1, max_length=200)
    site: str = Field("", max_length=200)
    lat: float = Field(ge=-90, le=90, description="site latitude, degrees north")
    lon: float = Field(ge=-180, le=180, description="site longitude, degrees east")
    power_kw: float = Field(gt=0, le=2000, description="carrier power, kW")
    frequency_khz: float = Field(ge=150, le=30000, description="150–30,000 kHz")
    utc_start: str = Field(description="HH:MM, 00:00–23:59 UTC")
    utc_end: str = Field(description="HH:MM, 00:01–24:00 UTC, after utc_start")
    days: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "daily"]] = ["daily"]
    season: str = Field("", max_length=20, description="e.g. HFCC season B17 (label only)")
    month: int | None = Field(None, ge=1, le=12, description="month to predict (default: the activity's start)")
    ssn: float | None = Field(None, ge=0, le=300, description="sunspot number (default: table by date)")
    antenna: AntennaSpec = AntennaSpec()
    noise: Literal["city", "residential", "rural", "quiet_rural"] = "rural"
    required_snr_db_hz: float = Field(67.0, ge=20, le=120, description="dB in 1 Hz; 67 ≈ 27 dB in 10 kHz")
    jammers: Annotated[str, SharedValues(jamming_values, "jammer set", check_jammer_file)] = \
        Field("default", min_length=1, max_length=1000,
              description="'default', 'none' (or, on the command line, a YAML file of jammers)")
    source: str = Field("", max_length=1000, description="where this schedule was published")

    @field_validator("utc_start", "utc_end")
    @classmethod
    def _hour(cls, v: str) -> str:
        if not isinstance(v, str) or not re.fullmatch(_HHMM, v) or v > "24:00":
            raise ValueError("a UTC time HH:MM from 00:00 to 24:00 (hour 0–24, minute 0–59)")
        return v

    @model_validator(mode="after")
    def _check(self) -> RadioSpec:
        if self.utc_end <= self.utc_start:
            raise ValueError(f"utc_end: {self.utc_end} is not after utc_start {self.utc_start} "
                             "(split a broadcast that crosses 00:00 UTC in two)")
        dist, _ = geometry.great_circle(self.lat, self.lon, *PYONGYANG)
        if dist > MAX_DISTANCE_KM:
            raise ValueError(f"lat, lon: site is {float(dist):,.0f} km from Pyongyang; the model covers "
                             f"{MAX_DISTANCE_KM:,.0f} km "
                             "(check the signs: east longitude and north latitude are positive)")
        if not site_on_land(self.lat, self.lon):
            raise ValueError(f"lat, lon: site {self.lat}, {self.lon} is in the sea")
        return self

    @property
    def freq_mhz(self) -> float:
        return self.frequency_khz / 1000.0

    def minutes_utc(self) -> tuple[int, int]:
        """Start and end as minutes after 00:00 UTC (end up to 1440)."""
        return (int(self.utc_start[:2]) * 60 + int(self.utc_start[3:]),
                int(self.utc_end[:2]) * 60 + int(self.utc_end[3:]))

    def weekdays(self) -> frozenset[int]:
        """Days on air, Monday = 0 … Sunday = 6 (``daily``: every day)."""
        if "daily" in self.days:
            return frozenset(range(7))
        return frozenset(WEEKDAYS.index(d) for d in self.days)

    def hours(self) -> list[int]:
        """UTC hours during which the broadcast is on air (any part of the hour)."""
        a = int(self.utc_start[:2])
        end_h, end_m = int(self.utc_end[:2]), int(self.utc_end[3:])
        b = end_h + (1 if end_m else 0)
        return list(range(a, min(b, 24)))


def site_on_land(lat: float, lon: float, tolerance_km: float = 10.0) -> bool:
    """Within ``tolerance_km`` of land in the shipped country outlines (only checked inside them)."""
    import shapely
    from pyproj import Transformer

    from corridor.geo import sources

    countries = sources.countries()
    x0, y0, x1, y1 = countries.total_bounds
    if not (x0 <= lon <= x1 and y0 <= lat <= y1):
        return True
    land = countries.to_crs(sources.PROJECTED).geometry.union_all()
    x, y = Transformer.from_crs(sources.WGS84, sources.PROJECTED, always_xy=True).transform(lon, lat)
    return bool(shapely.distance(land, shapely.Point(x, y)) <= tolerance_km * 1000.0)
