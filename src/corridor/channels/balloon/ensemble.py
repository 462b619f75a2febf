"""Ensembles of leaflet balloons and their payloads: drawing the uncertain inputs, flying them.

A *launch* sends B balloons from one site; an *ensemble* repeats the launch D times (draws), each
draw with its own forecast member, wind error, and per-balloon climb rate, float altitude, leak,
timer errors and failures. Every release scatters its leaflets as parcels with their own fall
speed and tumbling glide (:mod:`corridor.channels.balloon.fall`). All numbers are drawn from
:class:`Assumptions`, whose defaults and sources are listed in ``docs/balloon-model.md``.

Forecast members: when the wind field has several members (the members of an ensemble forecast,
or time-lagged runs from different cycles valid at the launch; see
:func:`corridor.channels.balloon.windfield.open_wind`), the draws are spread evenly over them and
the spread between members stands for the wind uncertainty; with a single forecast each draw
adds its own constant wind error instead (``wind_error_sd_m_s``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from corridor.channels.balloon import fall, integrate
from corridor.channels.balloon.interpolation import FLAG_NAMES, WindArrays
from corridor.channels.balloon.terrain import FLAT, Terrain, korea


@dataclass(frozen=True)
class Assumptions:
    """Uncertain inputs of a launch, as distributions (units in the names). Editable.

    Sources: float altitudes of 3–5 km and timed releases as reported of the launches (RFA
    2014); leaflet fall 0.5–1.5 m/s from the flat-plate terminal speed (:mod:`fall`) and glide
    0.3–1 m/s from tumbling plates (Pesavento & Wang 2004). Values marked *assumed* have no
    published measurement.
    """

    ascent_rate_range_m_s: tuple[float, float] = (1.5, 3.0)      # assumed, around the 2–3 m/s of small hydrogen balloons
    float_altitude_sd_m: float = 400.0                            # spread around the nominal float level, assumed
    leak_range_m_s: tuple[float, float] = (-0.15, 0.0)            # slow leak while floating, assumed
    timer_sd_s: float = 300.0                                     # timer error (s), assumed
    timer_failure_probability: float = 0.10                       # assumed; failures are reported in the press
    envelope_descent_m_s: float = 5.0                             # spent envelope, sea-level speed, assumed
    launch_jitter_s: float = 1800.0                               # launch time ± 30 min, uniform
    wind_error_sd_m_s: float = 2.0                                # per-draw wind bias per component (single forecast), assumed
    leaflet_fall_median_m_s: float = 0.9                          # lognormal median at sea level (flat-plate terminal speed, fall.py)
    leaflet_fall_sigma_log: float = 0.35                          # spread of the fall speed, assumed
    glide_range_m_s: tuple[float, float] = (0.0, 0.8)             # tumbling drift, random direction (Pesavento & Wang 2004), range assumed
    unopened_fraction: float = 0.05                               # bundles that do not open, assumed
    unopened_fall_range_m_s: tuple[float, float] = (5.0, 20.0)    # assumed, unverified
    found_share_range: tuple[float, float] = (0.2, 0.6)           # leaflets picked up by someone, assumed
    terrain: bool = True                                          # land on the shipped elevation field (terrain.py)
    ground_m: float = 0.0                                         # height above that ground (or sea level) where things land

    def as_text(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items()}

    # Figures for the prose below (and the charts' notes), read from the fields, never restated.
    def figures(self) -> dict[str, str]:
        """The fields as the short texts the notes use (units as in the sentences)."""
        leak = sorted(abs(v) for v in self.leak_range_m_s)
        return {"climb_lo": f"{self.ascent_rate_range_m_s[0]:g}", "climb_hi": f"{self.ascent_rate_range_m_s[1]:g}",
                "float_sd": f"{self.float_altitude_sd_m:.0f}", "leak_lo": f"{leak[0]:g}", "leak_hi": f"{leak[1]:g}",
                "timer_min": f"{self.timer_sd_s / 60:g}", "failures": f"{100 * self.timer_failure_probability:.0f}",
                "envelope": f"{self.envelope_descent_m_s:g}", "fall": f"{self.leaflet_fall_median_m_s:g}",
                "fall_sigma": f"{self.leaflet_fall_sigma_log:g}", "glide_lo": f"{self.glide_range_m_s[0]:g}",
                "glide_hi": f"{self.glide_range_m_s[1]:g}", "unopened": f"{100 * self.unopened_fraction:.0f}",
                "bundle_lo": f"{self.unopened_fall_range_m_s[0]:g}", "bundle_hi": f"{self.unopened_fall_range_m_s[1]:g}",
                "wind_bias": f"{self.wind_error_sd_m_s:g}", "found_lo": f"{100 * self.found_share_range[0]:.0f}",
                "found_hi": f"{100 * self.found_share_range[1]:.0f}"}

    def prose(self) -> dict[str, str]:
        """The assumptions as the sentences shown beside every balloon estimate (English)."""
        f = self.figures()
        ground = ("balloons and leaflets land on a coarse elevation field (1/12°, 28 m steps; SRTM/GMTED2010/ETOPO1 "
                  "via pvlib's altitude map)" if self.terrain else "balloons and leaflets land at sea level (flat ground)")
        return {
            "flight": "climb {climb_lo}–{climb_hi} m/s to the float altitude ± {float_sd} m, leak {leak_lo}–{leak_hi} m/s, "
                      "timers ± {timer_min} min, {failures}% timer failure (payload comes down with the envelope), "
                      "envelope falls at {envelope} m/s after its last timer".format(**f),
            "fall": "leaflets fall at a lognormal {fall} m/s (σ_log {fall_sigma}) scaled by 1/sqrt(air density), glide "
                    "{glide_lo}–{glide_hi} m/s; {unopened}% of each payload stays bundled and falls at "
                    "{bundle_lo}–{bundle_hi} m/s".format(**f),
            "ground": ground + "; landing classes from Natural Earth 1:10m outlines",
            "finding": "{found_lo}–{found_hi}% of landed leaflets are picked up, by people chosen at random in the "
                       "cell".format(**f),
        }


@dataclass(frozen=True)
class LaunchPlan:
    """What is launched: site, time, balloons, payload and timers (all user inputs)."""

    lat_deg: float
    lon_deg: float
    launch_time_unix_s: float
    balloons: int
    leaflets_per_balloon: float
    float_altitude_m: float
    timers_h: tuple[float, ...]
    launch_altitude_m: float = 50.0
    ascent_rate_m_s: float | None = None   # None: drawn from the assumptions' range


@dataclass
class EnsembleResult:
    """Landing points of every leaflet parcel and balloon envelope, by draw."""

    draws: int
    balloons: int
    parcel_draw: np.ndarray          # (P,) draw index of each parcel
    parcel_lat: np.ndarray
    parcel_lon: np.ndarray
    parcel_leaflets: np.ndarray      # leaflets each parcel stands for
    parcel_opened: np.ndarray        # False for unopened bundles
    parcel_aloft: np.ndarray         # False when the payload came down with the balloon
    envelope_lat: np.ndarray         # (draws, balloons)
    envelope_lon: np.ndarray
    drops: np.ndarray                # (draws, balloons, K, 4)
    extrapolated_steps: dict[str, int] = field(default_factory=dict)
    found_share: np.ndarray | None = None   # (draws,) share of landed leaflets found
    draw_member: np.ndarray | None = None   # (draws,) forecast member each draw flew in

    def example_tracks(self, site_lon: float, site_lat: float, *, n: int = 12, draw: int = 0) -> list[np.ndarray]:
        """Up to ``n`` balloons of one draw as (lon, lat) polylines: the site, each release
        point of the payload while aloft, and where the envelope came down (for maps)."""
        tracks = []
        for b in range(min(self.balloons, n)):
            d = self.drops[draw, b]
            pts = [(site_lon, site_lat)] + [(x[2], x[1]) for x in d if np.isfinite(x[1])]
            pts.append((self.envelope_lon[draw, b], self.envelope_lat[draw, b]))
            tracks.append(np.array(pts))
        return tracks


def _per_draw_uniforms(draws: int, seed: int) -> np.ndarray:
    """Scrambled Sobol points (draws × 5) for the inputs shared by a draw's balloons.

    Quasi-random points spread the draws evenly over wind bias, launch-time jitter, forecast
    member and the share of leaflets found, so ensemble means converge faster than with
    independent draws (Owen-scrambled Sobol sequence, ``scipy.stats.qmc``).
    """
    import warnings

    from scipy.stats import qmc

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)       # balance is best for powers of two
        return qmc.Sobol(d=5, scramble=True, seed=seed).random(draws)


def _sample(rng: np.random.Generator, plan: LaunchPlan, a: Assumptions, draws: int, members: int, seed: int):
    from scipy.stats import norm

    n = draws * plan.balloons
    per_draw = lambda x: np.repeat(x, plan.balloons)  # noqa: E731
    q = _per_draw_uniforms(draws, seed)
    # forecast members (several runs or ensemble members): spread evenly over the draws, the
    # counts differing by at most one, in the order of the draws' quasi-random coordinate
    rank = np.argsort(np.argsort(q[:, 3], kind="stable"), kind="stable")
    member = per_draw((rank * members // draws).astype(np.int64))
    t0 = plan.launch_time_unix_s + per_draw(a.launch_jitter_s * (2.0 * q[:, 2] - 1.0)) \
        + rng.uniform(0, 600, n)                       # balloons of one launch go up over ~10 min
    sd = a.wind_error_sd_m_s if members == 1 else 0.0
    du = per_draw(sd * norm.ppf(q[:, 0]))
    dv = per_draw(sd * norm.ppf(q[:, 1]))
    found = a.found_share_range[0] + q[:, 4] * (a.found_share_range[1] - a.found_share_range[0])
    ascent = (np.full(n, plan.ascent_rate_m_s) if plan.ascent_rate_m_s
              else rng.uniform(*a.ascent_rate_range_m_s, n))
    z_float = np.maximum(plan.float_altitude_m + rng.normal(0, a.float_altitude_sd_m, n),
                         plan.launch_altitude_m + 300.0)
    leak = rng.uniform(*a.leak_range_m_s, n)
    timers = np.asarray(plan.timers_h, float) * 3600.0
    rel = t0[:, None] + timers[None, :] + rng.normal(0, a.timer_sd_s, (n, timers.size))
    rel = np.maximum(rel, t0[:, None] + 60.0)
    failed = rng.random((n, timers.size)) < a.timer_failure_probability
    rel = np.where(failed, np.nan, rel)
    rel = np.sort(rel, axis=1)                        # NaN (failed) last
    return dict(member=member, t0=t0, ascent=ascent, z_float=z_float, leak=leak, releases=rel,
                du=du, dv=dv, found=found)


def fly(plan: LaunchPlan, wind: WindArrays, *, draws: int = 100, parcels_per_release: int = 24,
        assumptions: Assumptions | None = None, seed: int = 0, terrain: Terrain | None = None) -> EnsembleResult:
    """Fly ``draws`` repetitions of a launch and let every payload fall; see the module doc.

    Balloons and parcels land on ``terrain`` (default: the shipped Korean elevation field when
    ``assumptions.terrain`` is true, else flat ground at sea level).
    """
    a = assumptions or Assumptions()
    if terrain is None:
        terrain = korea() if a.terrain else FLAT
    rng = np.random.default_rng(seed)
    s = _sample(rng, plan, a, draws, wind.members, seed)
    n, k = s["releases"].shape
    W = wind.args
    t_end = s["t0"] + (max(plan.timers_h) + 2.0) * 3600.0
    drops, aloft, end, counts = integrate.fly_balloons(
        W, s["member"], s["t0"], np.full(n, plan.lat_deg), np.full(n, plan.lon_deg % 360.0),
        np.full(n, plan.launch_altitude_m), s["ascent"], s["z_float"], s["leak"],
        np.full(n, a.envelope_descent_m_s), t_end, s["releases"], a.ground_m, s["du"], s["dv"], terrain=terrain)
    # each payload: opened parcels plus one unopened bundle parcel
    per_payload = plan.leaflets_per_balloon / k
    src = np.repeat(np.arange(n * k), parcels_per_release + 1)
    opened = np.tile(np.r_[np.ones(parcels_per_release, bool), False], n * k)
    flat = drops.reshape(n * k, 4)[src]
    air = aloft.reshape(n * k)[src]
    balloon = src // k
    fall_rate, gu, gv = fall.draw_parcels(rng, opened, a)
    gu = gu + s["du"][balloon]
    gv = gv + s["dv"][balloon]
    # payloads that came down with their balloon start on the ground and end after one short step
    land, c2 = integrate.fall_parcels(W, s["member"][balloon], flat[:, 0], flat[:, 1], flat[:, 2],
                                      flat[:, 3], fall_rate, gu, gv, a.ground_m, terrain=terrain)
    leaflets = np.where(opened, per_payload * (1 - a.unopened_fraction) / parcels_per_release,
                        per_payload * a.unopened_fraction)
    total = counts.sum(axis=0) + c2.sum(axis=0)
    found = s["found"]
    return EnsembleResult(
        draws=draws, balloons=plan.balloons, parcel_draw=balloon // plan.balloons,
        parcel_lat=land[:, 1], parcel_lon=_lon180(land[:, 2]), parcel_leaflets=leaflets,
        parcel_opened=opened, parcel_aloft=air,
        envelope_lat=end[:, 1].reshape(draws, plan.balloons),
        envelope_lon=_lon180(end[:, 2]).reshape(draws, plan.balloons),
        drops=drops.reshape(draws, plan.balloons, k, 4),
        extrapolated_steps={FLAG_NAMES[1 << b]: int(total[b]) for b in range(4)}, found_share=found,
        draw_member=s["member"][::plan.balloons].copy())


def _lon180(lon):
    return (np.asarray(lon) + 180.0) % 360.0 - 180.0
