"""Jamming: jammers are transmitters; reception needs the wanted signal above noise *and* jamming.

The wanted signal S must exceed the jammer's J by the protection ratio PR. Folding that into the
noise gives an equivalent noise density

    N_eff = 10 log(10^(N/10) + 10^((J + PR − SNR_r)/10))   (dBW in 1 Hz)

so that ``S − N_eff ≥ SNR_r`` holds exactly when both ``S − N ≥ SNR_r`` and ``S − J ≥ PR``
hold with the other term negligible (power addition of noise and interference, as in ITU-R
P.533-14 §10 for the SIR). The default jammer set is ``data/jammers.yaml`` (an assumption).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from corridor.channels.base import validation_error


class Jammer(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    lat: float = Field(ge=37.5, le=43.1, description="site latitude, degrees north (in North Korea)")
    lon: float = Field(ge=124.0, le=131.0, description="site longitude, degrees east")
    power_kw: float = Field(gt=0, le=2000)
    band: str = Field("hf", pattern="^(hf|mw|all)$")
    utc_start: str = Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    utc_end: str = Field(pattern=r"^([01]\d|2[0-4]):[0-5]\d$")
    gain_dbi: float = 0.0

    def active_hours(self) -> set[int]:
        a = int(self.utc_start[:2])
        b = int(self.utc_end[:2]) + (1 if self.utc_end[3:] != "00" else 0)
        return set(range(a, b)) if b > a else set(range(a, 24)) | set(range(0, b))


class JammerSet(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    protection_ratio_db: float = Field(17.0, ge=0, le=60)
    jammers: list[Jammer] = []


def load_jammers(path: Path | str | None = None) -> JammerSet:
    """The default jammer set, or one read from a YAML file (same layout)."""
    if path is None:
        text = resources.files("corridor.channels.radio").joinpath("data", "jammers.yaml").read_text("utf-8")
        source = "default jammers"
    else:
        from corridor.channels.files import read_mapping

        return _parse(read_mapping(path), str(path))
    return _parse(yaml.safe_load(text), source)


def _parse(data: dict, source: str) -> JammerSet:
    try:
        return JammerSet.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, source=source) from None


def effective_noise_dbw(noise_dbw, jamming_dbw, protection_ratio_db: float, required_snr_db_hz: float):
    """Noise density equivalent to noise plus jamming at the protection ratio (dBW in 1 Hz)."""
    j = np.asarray(jamming_dbw) + protection_ratio_db - required_snr_db_hz
    return 10.0 * np.log10(10.0 ** (np.asarray(noise_dbw) / 10.0) + 10.0 ** (j / 10.0))
