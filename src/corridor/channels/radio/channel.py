"""Radio coverage: who could hear a broadcast, hour by hour, over the population grid."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from corridor.channels.base import Activity, ChannelSpec, Coverage, register
from corridor.channels.radio import (
    antennas,
    geometry,
    groundwave,
    hf,
    ionosphere,
    jamming,
    listeners,
    noise,
    reliability,
    skywave_mf,
)
from corridor.channels.radio.schedule import RadioSpec
from corridor.channels.radio.ssn import map_index, sunspot_number

if TYPE_CHECKING:  # loads pandas and shapely; a schedule is validated without them
    from corridor.geo.grid import PopulationGrid

MODEL_VERSION = "1"
HF_MIN_MHZ = 1.6
SSN_SPREAD = 0.3            # ±30 % on the sunspot number between draws (tercile levels)
NOISE_SPREAD_DB = 2.0       # draw-to-draw uncertainty of the median noise level
#: Ground-wave signal varies little: ±2 dB deciles (within the hour and day to day).
GROUND_WAVE_DECILES_DB = 2.0


@lru_cache(maxsize=1)
def _land():
    import shapely

    from corridor.geo import sources

    geom = shapely.union_all(sources.countries().geometry.values)
    shapely.prepare(geom)
    return geom


def _gain_function(spec: RadioSpec):
    a = spec.antenna
    kw = {"gain_dbi_": a.gain_dbi, "beamwidth_deg": a.beamwidth_deg, "freq_mhz": spec.freq_mhz,
          "design_mhz": (a.design_khz / 1000.0) if a.design_khz else None, "width": a.width,
          "height": a.height, "height_wavelengths": a.height_wavelengths}
    return lambda off, elev: antennas.gain_dbi(a.type, off, elev, **kw)


def solar_inputs(spec: RadioSpec, activity: Activity) -> tuple[int, float, str]:
    """Month, map solar index and a note on where the sunspot number came from."""
    month = spec.month or activity.start.month
    if spec.ssn is not None:
        return month, float(spec.ssn), f"R12 {spec.ssn:g} (given)"
    ssn, projected = sunspot_number(activity.start)
    note = f"sunspot number {ssn:.0f} for {activity.start:%Y-%m} ({'projected' if projected else 'SILSO yearly means'})"
    return month, map_index(ssn), note


@register
class RadioChannel:
    """Shortwave (ITU-R P.533) and mediumwave (LF/MF ground wave) broadcasts into North Korea."""

    name: ClassVar[str] = "radio"
    spec_model: ClassVar[type[ChannelSpec]] = RadioSpec

    def signal(self, spec: RadioSpec, grid: PopulationGrid, month: int, ssn: float, hours: list[int],
               year: int) -> dict[str, np.ndarray]:
        """Median SNR (dB-Hz), its deciles and noise, each (hours, cells), for one sunspot number."""
        if spec.freq_mhz >= HF_MIN_MHZ:
            p = hf.predict(spec.lat, spec.lon, grid.lat, grid.lon, freq_mhz=spec.freq_mhz, month=month,
                           utc_hours=hours, ssn=ssn, power_kw=spec.power_kw, gain=_gain_function(spec),
                           azimuth_deg=spec.antenna.azimuth_deg, environment=spec.noise,
                           required_snr_db_hz=spec.required_snr_db_hz, year=year)
            return {"signal": p.signal_dbw, "noise": p.noise_dbw, "upper": p.snr_upper_db, "lower": p.snr_lower_db,
                    "field": p.field_dbuv}
        ground = groundwave.field_over_cells(spec.freq_mhz, spec.power_kw, spec.lat, spec.lon, grid.lat, grid.lon,
                                             _land())[None, :]
        dist, az = geometry.great_circle(spec.lat, spec.lon, grid.lat, grid.lon)
        mid_lat, mid_lon = geometry.destination(spec.lat, spec.lon, az, dist / 2.0)
        zen = ionosphere.solar_zenith_deg(month, hours, mid_lon, mid_lat, year)
        sky = skywave_mf.field_dbuv(spec.frequency_khz, spec.power_kw, dist,
                                    skywave_mf.geomagnetic_latitude_deg(mid_lat, mid_lon), zen)
        pg, ps = 10.0 ** (ground / 10.0), 10.0 ** (sky / 10.0)
        field = 10.0 * np.log10(pg + ps)
        spread = (pg * GROUND_WAVE_DECILES_DB + ps * skywave_mf.DECILE_DB) / (pg + ps)
        local = np.asarray(hours)[:, None] + grid.lon[None, :] / 15.0
        n_dbw, n_up, n_lo = noise.total_noise(spec.freq_mhz, month, local, spec.noise, galactic_visible=False,
                                              lon_deg=grid.lon[None, :])
        s = field - 20.0 * np.log10(spec.freq_mhz) - 107.2
        up, lo = reliability.snr_deciles_db(spread, spread, n_up, n_lo)
        return {"signal": s, "noise": n_dbw, "upper": up, "lower": lo, "field": field}

    def jamming_dbw(self, spec: RadioSpec, grid: PopulationGrid, month: int, ssn: float, hours: list[int],
                    year: int) -> tuple[np.ndarray, float, list[str]]:
        """Total jammer power at each cell and hour (dBW), the protection ratio, jammer names."""
        total = np.full((len(hours), grid.n_cells), -np.inf)
        jset = jamming.jammer_set(spec.jammers)
        if jset is None:
            return total, 0.0, []
        band = "hf" if spec.freq_mhz >= HF_MIN_MHZ else "mw"
        names = []
        for jam in jset.jammers:
            active = np.array([h in jam.active_hours() for h in hours])
            if jam.band not in (band, "all") or not active.any():
                continue
            jspec = spec.model_copy(update={"lat": jam.lat, "lon": jam.lon, "power_kw": jam.power_kw,
                                            "antenna": spec.antenna.model_copy(update={"type": "isotropic",
                                                                                       "gain_dbi": jam.gain_dbi})})
            j = self.signal(jspec, grid, month, ssn, hours, year)["signal"]
            if band == "hf":
                # a jammer's own ground wave dominates near it (NTIA LF/MF is valid to 30 MHz)
                gw = groundwave.ground_wave_near(spec.freq_mhz, jam.power_kw, jam.lat, jam.lon, grid.lat, grid.lon)
                j = 10 * np.log10(10 ** (j / 10) + 10 ** ((gw - 20 * np.log10(spec.freq_mhz) - 107.2) / 10))
            with np.errstate(divide="ignore"):
                total = np.where(active[:, None], 10 * np.log10(10 ** (total / 10) + 10 ** (j / 10)), total)
            names.append(jam.name)
        return total, jset.protection_ratio_db, names

    def coverage(self, activity: Activity, grid: PopulationGrid, *, draws: int = 200, seed: int = 0) -> Coverage:
        spec: RadioSpec = activity.spec  # type: ignore[assignment]
        rng = np.random.default_rng(seed)
        month, ssn, ssn_note = solar_inputs(spec, activity)
        hours = spec.hours()
        year = activity.start.year
        levels = [ssn * (1 - SSN_SPREAD), ssn, ssn * (1 + SSN_SPREAD)]
        runs = [self.signal(spec, grid, month, s, hours, year) for s in levels]
        jam, pr, jam_names = self.jamming_dbw(spec, grid, month, ssn, hours, year)
        level = np.digitize(rng.normal(size=draws), [-0.4307, 0.4307])    # terciles of N(0, 1)
        offset = rng.normal(0.0, NOISE_SPREAD_DB, size=draws)
        tunable = rng.beta(*listeners.TUNABLE_BETA, size=draws)
        rel = np.empty((draws, len(hours), grid.n_cells), dtype=np.float32)
        for k, run in enumerate(runs):
            sel = np.flatnonzero(level == k)
            if sel.size == 0:
                continue
            n_eff = jamming.effective_noise_dbw(run["noise"][None] + offset[sel, None, None], jam[None], pr,
                                                spec.required_snr_db_hz)
            snr = run["signal"][None] - n_eff
            rel[sel] = reliability.basic_circuit_reliability(snr, spec.required_snr_db_hz, run["upper"][None],
                                                             run["lower"][None])
        reach = listeners.daily_reach(rel, hours, tunable).astype(np.float32)
        mid = runs[1]
        people_hour = rel @ grid.population                                  # (draws, hours)
        hearing_hour = (rel * listeners.listening_probability(hours)[None, :, None]) @ grid.population
        hearing_hour *= tunable[:, None]                                     # (draws, hours)
        kind = "HF sky wave, ITU-R P.533-14 short path" if spec.freq_mhz >= HF_MIN_MHZ else \
            "MF ground wave (NTIA LF/MF, Millington mixed paths) and night sky wave (ITU-R P.1147-2)"
        assumptions = {
            "propagation": kind + f"; month {month}, {ssn_note}, map index {ssn:.0f} ±{SSN_SPREAD:.0%}",
            "noise": f"ITU-R P.372 man-made ({spec.noise}), galactic, atmospheric (P.372 maps over Korea); "
                     f"±{NOISE_SPREAD_DB:g} dB",
            "service": f"reception when SNR ≥ {spec.required_snr_db_hz:g} dB-Hz; reliability = share of days "
                       "(P.533 §10 deciles)",
            "jamming": (f"{', '.join(jam_names)}; protection ratio {pr:g} dB (assumed powers)" if jam_names
                        else "none modelled"),
            **listeners.ASSUMPTIONS,
        }
        return Coverage(
            activity_id=activity.id, channel=self.name, grid_key=grid.key, probability=np.clip(reach, 0, 1),
            model=kind, version=MODEL_VERSION, assumptions=assumptions,
            extras={"site": (spec.lon, spec.lat), "hours": hours, "month": month, "ssn_index": ssn,
                    "reliability_median": np.median(rel, axis=0), "field_dbuv": mid["field"],
                    "snr_db": mid["signal"] - mid["noise"],
                    "people_with_signal_by_hour": np.percentile(people_hour, [5, 50, 95], axis=0),
                    "people_listening_by_hour": np.percentile(hearing_hour, [5, 50, 95], axis=0),
                    "jammers": jam_names})
