"""Jamming: jammers are transmitters; reception needs the wanted signal above noise *and* jamming.

The wanted signal S must exceed the jammer's J by the protection ratio PR. Folding that into the
noise gives an equivalent noise density

    N_eff = 10 log(10^(N/10) + 10^((J + PR − SNR_r)/10))   (dBW in 1 Hz)

so that ``S − N_eff ≥ SNR_r`` holds exactly when both ``S − N ≥ SNR_r`` and ``S − J ≥ PR``
hold with the other term negligible (power addition of noise and interference, as in ITU-R
P.533-14 §10 for the SIR). The default jammer set is ``data/jammers.yaml`` (an assumption).

A schedule's ``jammers`` names a shipped set (:data:`SHIPPED`), ``none``, or, on the command
line only, a YAML file of the same layout. The shared ledger accepts only the first two
(:func:`shared_values`).
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


#: Jammer sets shipped with Corridor: key -> file in ``data/``.
SHIPPED = {"default": "jammers.yaml"}
#: The keyword for "no jamming modelled".
NONE = "none"


def shared_values() -> list[str]:
    """What a schedule in the shared ledger may give as ``jammers``: a shipped set or ``none``."""
    return [*SHIPPED, NONE]


def shipped_jammers(key: str = "default") -> JammerSet:
    """A jammer set shipped with Corridor, by key (see :data:`SHIPPED`)."""
    text = resources.files("corridor.channels.radio").joinpath("data", SHIPPED[key]).read_text("utf-8")
    return _parse(yaml.safe_load(text), f"{key} jammers")


def load_jammers(path: Path | str | None = None) -> JammerSet:
    """The default jammer set, or one read from a local YAML file (same layout).

    Only the command line reads a file: the shared ledger refuses any ``jammers`` that is not a
    shipped key before a channel sees it. An error about the file names the field, never its
    content.
    """
    if path is None:
        return shipped_jammers()
    from corridor.channels.files import read_mapping

    return _parse(read_mapping(path), str(path), echo_value=False)


def jammer_set(name: str) -> JammerSet | None:
    """The jammers a schedule's ``jammers`` names: None for ``none``, a shipped set by its key,
    otherwise a local file (command line)."""
    if name == NONE:
        return None
    if name in SHIPPED:
        return shipped_jammers(name)
    return load_jammers(name)


def _parse(data: dict, source: str, *, echo_value: bool = True) -> JammerSet:
    try:
        return JammerSet.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, source=source, echo_value=echo_value) from None


def effective_noise_dbw(noise_dbw, jamming_dbw, protection_ratio_db: float, required_snr_db_hz: float):
    """Noise density equivalent to noise plus jamming at the protection ratio (dBW in 1 Hz)."""
    j = np.asarray(jamming_dbw) + protection_ratio_db - required_snr_db_hz
    return 10.0 * np.log10(10.0 ** (np.asarray(noise_dbw) / 10.0) + 10.0 ** (j / 10.0))
