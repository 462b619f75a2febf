"""HF sky-wave prediction over many receivers at once: the ITU-R P.533-14 short-path chain.

:func:`predict` composes the plain functions of :mod:`.geometry`, :mod:`.ionosphere`,
:mod:`.muf`, :mod:`.loss`, :mod:`.noise` and :mod:`.reliability` for one transmitter, one
frequency and a set of UTC hours, vectorised over receivers × hours × modes. Paths up to
7000 km only (the short-path method, P.533-14 §5.2); every transmitter serving Korea is within it.

The absorption L_i is chosen by name (``absorption=``, :data:`ABSORPTION_OPTIONS`):

* ``"p533"`` (default): ITU-R P.533-14 (08/2019) §5.2.2 as printed, the mean over the 2n penetration
  points of each mode (300 km reflection, 90 km penetration; :mod:`.absorption`);
* ``"p533_12"``: the same figures averaged over the control points of Table 1d, the method of
  P.533-12 and earlier, kept for comparison;
* ``"d1_e_layer"``: ``"p533"`` with the absorption of the E modes (rays reflected within the E
  layer, f_v/foE ≤ 1) strengthened by the factor fitted on CCIR Data Bank D1
  (:func:`.absorption.e_reflection_factor`); an option, not the Recommendation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from corridor.channels.radio import absorption as absorption_mod
from corridor.channels.radio import (
    geometry,
    loss,
    muf,
    noise,
    reliability,
    skywave_mf,
)
from corridor.channels.radio.ionosphere import IonosphereMaps

MAX_PATH_KM = 7000.0
MIN_ELEVATION_DEG = 3.0
E_MODES = 3        # lowest-order E mode and the next two (P.533-14 §5.2.1)
F2_MODES = 6       # lowest-order F2 mode and up to five more
SPEED_OF_LIGHT_KM_PER_MS = 299.792458
#: Absorption methods :func:`predict` accepts (module docstring).
ABSORPTION_OPTIONS = ("p533", "p533_12", "d1_e_layer")
#: The method used when none is named: the Recommendation as printed.
DEFAULT_ABSORPTION = "p533"
#: Points along each path at which the absorption terms are evaluated once and interpolated to
#: every mode's penetration points (350 km apart on a 7000 km path; 41 points change no field by
#: more than 0.003 dB on VOACAP development case 03, 4,700 km).
PATH_SAMPLES = 21
FIELD_FLOOR_DBUV = -150.0
#: The dipole field falls as r⁻³: f_H at 100 km from f_H at 300 km.
GYRO_100_PER_300 = ((geometry.EARTH_RADIUS_KM + 300.0) / (geometry.EARTH_RADIUS_KM + 100.0)) ** 3

GainFunction = Callable[[np.ndarray, np.ndarray], np.ndarray]   # (off-azimuth°, elevation°) -> dBi


@dataclass(frozen=True)
class HFPrediction:
    """Monthly-median prediction, every array (hours, receivers)."""

    utc_hours: np.ndarray
    muf_mhz: np.ndarray          # path basic MUF
    field_dbuv: np.ndarray       # all modes, power sum
    signal_dbw: np.ndarray
    noise_dbw: np.ndarray
    snr_db: np.ndarray           # in 1 Hz (dB-Hz)
    reliability: np.ndarray      # basic circuit reliability, 0–1
    snr90_db: np.ndarray
    snr_upper_db: np.ndarray     # decile deviations of the SNR
    snr_lower_db: np.ndarray
    mufday: np.ndarray
    mode: np.ndarray             # strongest mode label, e.g. "2F2"
    field_strongest_dbuv: np.ndarray   # the strongest single mode's field (≤ field_dbuv)
    takeoff_deg: np.ndarray
    loss_db: np.ndarray
    tx_gain_dbi: np.ndarray
    delay_ms: np.ndarray
    vheight_km: np.ndarray
    distance_km: np.ndarray      # (receivers,)


def _min_elevation_hops(distance_km, height_km):
    """Fewest hops that keep the elevation at or above the minimum (3°).

    The longest hop with elevation Δ via a mirror at height h spans the Earth-centre angle
    ``2ψ``, ``ψ = 90° − Δ − arcsin(R cos Δ / (R + h))`` (triangle Earth centre–ground–mirror).
    """
    d = np.radians(MIN_ELEVATION_DEG)
    psi = np.pi / 2 - d - np.arcsin(geometry.EARTH_RADIUS_KM * np.cos(d) / (geometry.EARTH_RADIUS_KM + height_km))
    return np.maximum(np.ceil(distance_km / (2.0 * geometry.EARTH_RADIUS_KM * psi)), 1.0)


def predict(tx_lat: float, tx_lon: float, rx_lat, rx_lon, *, freq_mhz: float, month: int, utc_hours,
            ssn: float, power_kw: float, gain: GainFunction, azimuth_deg: float = 0.0,
            rx_gain_dbi: float = 0.0, environment: str = "residential",
            required_snr_db_hz: float = 73.0, year: int = 2024,
            maps: IonosphereMaps | None = None, absorption: str = DEFAULT_ABSORPTION) -> HFPrediction:
    """Median field strength, SNR and reliability at every receiver for each UTC hour (P.533-14).

    ``absorption`` names the absorption method (module docstring); an unknown name raises
    ValueError.
    """
    if absorption not in ABSORPTION_OPTIONS:
        raise ValueError(f"unknown absorption method {absorption!r}; one of {', '.join(ABSORPTION_OPTIONS)}")
    method = absorption
    rx_lat = np.asarray(rx_lat, dtype=float).ravel()
    rx_lon = np.asarray(rx_lon, dtype=float).ravel()
    hours = np.asarray(utc_hours, dtype=float).ravel()
    n = rx_lat.size
    dist, az = geometry.great_circle(tx_lat, tx_lon, rx_lat, rx_lon)
    if np.any(dist > MAX_PATH_KM):
        raise ValueError(f"path longer than {MAX_PATH_KM:.0f} km (short-path method only)")
    dist = np.maximum(dist, 1.0)

    # control points along each path (P.533-14 Table 1): T+1000, M, R−1000 and later T+d0/2, R−d0/2
    def along(frac_or_km, km=False):
        s = frac_or_km if km else dist * frac_or_km
        return geometry.destination(tx_lat, tx_lon, az, s)

    samples = [along(f) for f in np.linspace(0.0, 1.0, 9)]
    if maps is None:
        maps = IonosphereMaps.covering(month, hours, ssn, np.concatenate([s[1] for s in samples]),
                                       np.concatenate([s[0] for s in samples]), year=year)

    mid = maps.at(*along(0.5)[::-1])
    x_mid = muf.foratio(mid.fof2_mhz, mid.foe_mhz)
    dmax_mid = muf.dmax_km(muf.b_factor(mid.m3000, x_mid), x_mid)            # (hours, n)
    hr_mid = muf.f2_reflection_height_km(mid.m3000)
    n0_f2 = np.maximum(np.ceil(dist / dmax_mid), _min_elevation_hops(dist, hr_mid))
    d0 = dist / n0_f2
    beyond = dist > dmax_mid                                                   # D > d_max
    # F2 control points T + d0/2 and R − d0/2 (both the mid-point for a one-hop path)
    cp = [along(np.clip(d0 / 2.0, 0, dist), km=True), along(np.clip(dist - d0 / 2.0, 0, dist), km=True)]
    # the control points depend on the hour through d0
    f2_cp, f2_cp_iono = [], []
    for lat_c, lon_c in cp:
        iono = maps.at(lon_c, lat_c)
        f2_cp_iono.append(iono)
        f2_cp.append({"fof2": iono.fof2_mhz, "m3000": iono.m3000, "foe": iono.foe_mhz,
                      "gyro": iono.gyro_300km_mhz})
    # mirror height of the F2 modes (P.533-14 §5.2.1, eq. 2): at the mid-path control point up to
    # d_max, beyond it at the Table 1c point (T + d0/2, M, R − d0/2) with the lowest foF2
    t1c = [f2_cp_iono[0], mid, f2_cp_iono[1]]
    lowest = np.argmin(np.stack([io.fof2_mhz for io in t1c]), axis=0)
    m_low = np.choose(lowest, [io.m3000 for io in t1c])
    hr_f2 = muf.f2_reflection_height_km(np.where(beyond, m_low, mid.m3000))

    # E-layer control points: M (D ≤ 2000 km), T+1000 and R−1000 beyond (P.533-14 Table 1)
    near = np.minimum(1000.0, dist / 2.0)
    e_pts = [along(near, km=True), along(0.5), along(dist - near, km=True)]
    e_iono = [maps.at(lon_c, lat_c) for lat_c, lon_c in e_pts]
    long_path = dist > 2000.0
    # E-layer basic MUF: foE at M up to 2000 km, the lower of T+1000 and R−1000 beyond (§3.3);
    # E-layer screening of F2 modes: the higher of the two (§4)
    foe_e = np.where(long_path, np.minimum(e_iono[0].foe_mhz, e_iono[2].foe_mhz), e_iono[1].foe_mhz)
    foe_screen = np.where(long_path, np.maximum(e_iono[0].foe_mhz, e_iono[2].foe_mhz), e_iono[1].foe_mhz)
    can_screen = dist <= muf.SCREENING_MAX_KM
    # absorption control points (P.533-14 §5.2.2, Table 1d): M up to 2000 km; M, T+1000, R−1000 up to d_max;
    # also T+d0/2 and R−d0/2 beyond d_max. Weights (hours, n) per point; the terms that do not
    # depend on the mode are computed once.
    w3 = np.where(long_path, np.where(beyond, 0.2, 1.0 / 3.0), 0.0)
    weights = [w3, 1.0 - 2.0 * w3 - 2.0 * np.where(beyond, 0.2, 0.0) * long_path, w3,
               np.where(beyond & long_path, 0.2, 0.0), np.where(beyond & long_path, 0.2, 0.0)]
    a_iono = e_iono + f2_cp_iono

    def point_terms(io, fixed=False):
        """AT_noon F(χ)/F(χ_noon), foE and f_L at points; ``fixed``: the same points every hour, so
        AT_noon and p (which do not depend on the hour) are computed once."""
        lat_j = io.lat_deg
        one = slice(0, 1) if fixed else slice(None)
        p_exp = absorption_mod.diurnal_exponent(io.dip_deg[one], lat_j[one], month)
        base = absorption_mod.at_noon(lat_j[one], month) * absorption_mod.diurnal_factor(io.solar_zenith_deg, p_exp) / \
            absorption_mod.diurnal_factor(np.abs(lat_j - io.subsolar_lat_deg), p_exp)
        f_l = np.abs(io.gyro_300km_mhz * GYRO_100_PER_300 * np.sin(np.radians(io.dip_deg)))
        return base, io.foe_mhz, f_l

    if method == "p533_12":
        absorb = [(wj, *point_terms(io)) for wj, io in zip(weights, a_iono) if np.any(wj)]
        f_l = sum(wj * t[2] for wj, *t in absorb)
    else:
        # P.533-14 §5.2.2: terms at PATH_SAMPLES points along the path, interpolated to each mode's
        # penetration points
        frac_s = np.linspace(0.0, 1.0, PATH_SAMPLES)
        s_lat, s_lon = along(frac_s[:, None])                                   # (samples, n)
        s_terms = point_terms(maps.at(s_lon.ravel(), s_lat.ravel()), fixed=True)
        # (hours, receivers, samples, [base, foE, f_L]): one gather per mode for all its points
        s_terms = np.stack([np.reshape(t, (len(hours), PATH_SAMPLES, n)) for t in s_terms], axis=-1).swapaxes(1, 2)
        h_idx = np.arange(len(hours))[None, :, None]
        r_idx = np.arange(n)[None, None, :]

        def at_fractions(frac):
            """base, foE and f_L at path fractions ``frac`` (points, hours, receivers), linear
            between the samples."""
            pos = np.broadcast_to(frac, frac.shape[:1] + (len(hours), n)) * (PATH_SAMPLES - 1)
            i0 = np.minimum(pos.astype(int), PATH_SAMPLES - 2)
            t = (pos - i0)[..., None]
            v = s_terms[h_idx, r_idx, i0] * (1 - t) + s_terms[h_idx, r_idx, i0 + 1] * t
            return v[..., 0], v[..., 1], v[..., 2]

    # auroral and other signal losses L_h (P.533-14 Table 2), averaged over the same control points
    # (Table 1d); the mid-path local mean time indexes the table
    midpath_lt = hours[:, None] + along(0.5)[1][None, :] / 15.0
    lh_points = [(wj, lat_c, skywave_mf.geomagnetic_latitude_deg(lat_c, lon_c))
                 for wj, (lat_c, lon_c) in zip(weights, e_pts + cp) if np.any(wj)]
    auroral = 0.0   # zero below 42.5° geomagnetic, which holds for every path to Korea
    if any(np.any(np.abs(gm) >= loss.LH_MIN_GEOMAG_DEG) for _, _, gm in lh_points):
        auroral = sum(wj * loss.auroral_loss_db(gm, lat_c, month, midpath_lt, dist) for wj, lat_c, gm in lh_points)

    def absorption_db(hops, sec_i110, layer):
        fv = freq_mhz / sec_i110
        if method == "p533_12":
            term = sum(wj * base * absorption_mod.penetration_factor(fv / np.maximum(foe, 0.1))
                       for wj, base, foe, _ in absorb)
            return absorption_mod.absorption_loss_db(freq_mhz, hops, ssn, sec_i110, term, f_l)
        hops = np.broadcast_to(hops, (len(hours), n))
        points = absorption_mod.penetration_fractions(dist[None, :], hops)
        frac = np.stack([np.broadcast_to(f, hops.shape) for f, _ in points])        # (points, hours, n)
        present = np.stack([np.broadcast_to(p, hops.shape) for _, p in points])
        base, foe, fl = at_fractions(frac)
        ratio = fv / np.maximum(foe, 0.1)
        phi = absorption_mod.penetration_factor(ratio)
        if method == "d1_e_layer" and layer == "E":
            phi = phi * absorption_mod.e_reflection_factor(ratio)
        total = np.sum(np.where(present, base * phi / (freq_mhz + fl) ** 2, 0.0), axis=0)
        return absorption_mod.absorption_loss_points_db(hops, ssn, sec_i110, total / (2.0 * hops))

    power_dbkw = 10.0 * np.log10(power_kw)
    fields, munfs, elevs, gains, slants, heights, labels = [], [], [], [], [], [], []

    def screening_elevation_deg(hop):
        """Elevation of an F2 hop for the E-layer screening test (P.533-14 §4, eq. 13 with the §5.1
        mirror height; beyond d_max the mean height over the Table 1c points, as the ITU-R
        reference program takes it)."""
        def h_at(io):
            return muf.f2_mirror_height_km(hop, freq_mhz, io.fof2_mhz, io.foe_mhz, io.m3000, ssn)

        h = h_at(mid)
        if np.any(beyond):
            h = np.where(beyond, (h_at(t1c[0]) + h + h_at(t1c[2])) / 3.0, h)
        return geometry.elevation_deg(hop, h)

    # F2 modes: the lowest order with hops up to d_max and the next five (P.533-14 §5.2.1)
    for k in range(F2_MODES):
        hops = n0_f2 + k
        hop = dist / hops
        elev = geometry.elevation_deg(hop, hr_f2)
        sec_e = geometry.incidence_sec(elev, muf.E_HEIGHT_KM)
        # basic MUF of the mode: at the mid-path control point up to d_max (§3.5.1.1, §3.5.2.1),
        # beyond it from T + d0/2 and R − d0/2 (§3.5.1.2, §3.5.2.2: muf.f2_muf_beyond_dmax_mhz)
        mode_muf = None
        if not np.all(beyond):
            mode_muf = muf.f2_muf_mhz(hop, mid.fof2_mhz, mid.m3000, mid.foe_mhz, mid.gyro_300km_mhz)
        if np.any(beyond):
            muf_cps = muf.f2_muf_beyond_dmax_mhz(hop, d0, f2_cp)
            mode_muf = muf_cps if mode_muf is None else np.where(beyond, muf_cps, mode_muf)
        if np.any(can_screen):
            sec_s = geometry.incidence_sec(screening_elevation_deg(hop), muf.E_HEIGHT_KM)
            screened = can_screen & (muf.e_screening_mhz(foe_screen, sec_s) >= freq_mhz)
        else:
            screened = np.zeros(elev.shape, dtype=bool)
        g = gain((az - azimuth_deg)[None, :], elev)
        slant = geometry.slant_range_km(hop, hr_f2, hops)
        e = loss.mode_field_dbuv(power_dbkw, g, slant,
                                 absorption_db(hops, sec_e, "F2"),
                                 loss.above_muf_loss_db(freq_mhz, mode_muf, "F2", dist),
                                 loss.ground_reflection_loss_db(hops), auroral)
        valid = ~screened & (elev >= MIN_ELEVATION_DEG) & (hops <= 12)
        fields.append(np.where(valid, e, -np.inf)); munfs.append(mode_muf); elevs.append(elev)
        gains.append(g); slants.append(slant); heights.append(hr_f2); labels.append((hops, "F2"))

    # E modes, paths up to 4000 km
    hop_e_min = np.maximum(np.ceil(dist / muf.E_HOP_MAX_KM),
                           _min_elevation_hops(dist, np.full(n, muf.E_HEIGHT_KM)))[None, :] * np.ones((len(hours), 1))
    for k in range(E_MODES):
        hops = hop_e_min + k
        hop = dist / hops
        elev = geometry.elevation_deg(hop, muf.E_HEIGHT_KM)
        sec_e = geometry.incidence_sec(elev, muf.E_HEIGHT_KM)
        mode_muf = muf.e_muf_mhz(foe_e, sec_e)
        g = gain((az - azimuth_deg)[None, :], elev)
        slant = geometry.slant_range_km(hop, muf.E_HEIGHT_KM, hops)
        e = loss.mode_field_dbuv(power_dbkw, g, slant,
                                 absorption_db(hops, sec_e, "E"),
                                 loss.above_muf_loss_db(freq_mhz, mode_muf, "E", dist),
                                 loss.ground_reflection_loss_db(hops), auroral)
        valid = (dist <= 2 * muf.E_HOP_MAX_KM) & (elev >= MIN_ELEVATION_DEG)
        fields.append(np.where(valid, e, -np.inf)); munfs.append(mode_muf); elevs.append(elev)
        gains.append(g); slants.append(slant); heights.append(np.full_like(elev, muf.E_HEIGHT_KM))
        labels.append((hops, "E"))

    field_modes = np.stack(fields, axis=-1)                                     # (hours, n, modes)
    any_mode = np.isfinite(field_modes).any(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        total = loss.power_sum_db(field_modes)
    total = np.maximum(np.nan_to_num(total, nan=FIELD_FLOOR_DBUV, neginf=FIELD_FLOOR_DBUV), FIELD_FLOOR_DBUV)
    best = np.argmax(np.where(np.isfinite(field_modes), field_modes, -1e9), axis=-1)

    def take(arrs):
        a = np.stack([np.broadcast_to(x, total.shape) for x in arrs], axis=-1)
        return np.take_along_axis(a, best[..., None], axis=-1)[..., 0]

    # path basic MUF: the higher of the lowest-order E and F2 mode MUFs (P.533-14 §3.5)
    e_lowest = np.where(dist <= 2 * muf.E_HOP_MAX_KM, munfs[F2_MODES], 0.0)
    path_muf = np.maximum(munfs[0], e_lowest)
    best_muf = take(munfs)
    hops_best = take([np.broadcast_to(h, total.shape) for h, _ in labels])
    layer_best = take([np.full(total.shape, 1.0 if lay == "E" else 2.0) for _, lay in labels])
    mode = np.char.add(hops_best.astype(int).astype(str), np.where(layer_best == 1.0, "E", "F2"))
    mode = np.where(any_mode, mode, "")

    signal = loss.received_power_dbw(total, freq_mhz, rx_gain_dbi)
    local_hour = hours[:, None] + rx_lon[None, :] / 15.0
    rx_iono = maps.at(rx_lon, rx_lat)
    n_dbw, n_up, n_lo = noise.total_noise(freq_mhz, month, local_hour, environment,
                                          galactic_visible=freq_mhz > rx_iono.fof2_mhz, lon_deg=rx_lon[None, :])
    snr = signal - n_dbw
    s_up, s_lo = reliability.signal_deciles_db(freq_mhz, path_muf)
    d_up, d_lo = reliability.snr_deciles_db(s_up, s_lo, n_up, n_lo)
    rel = reliability.basic_circuit_reliability(snr, required_snr_db_hz, d_up, d_lo)
    tx_gain = take(gains)
    best_field = np.maximum(take(fields), FIELD_FLOOR_DBUV)
    # system loss of the strongest mode as VOACAP reports it: transmitter power minus received power
    # (antenna gains included)
    loss_db = (power_dbkw + 30.0) - loss.received_power_dbw(best_field, freq_mhz, rx_gain_dbi)
    return HFPrediction(
        utc_hours=hours, muf_mhz=path_muf, field_dbuv=total, signal_dbw=signal, noise_dbw=n_dbw, snr_db=snr,
        reliability=rel, snr90_db=reliability.snr_at_percent_db(snr, d_up, d_lo, 90.0),
        snr_upper_db=d_up, snr_lower_db=d_lo,
        mufday=muf.probability_below_muf(freq_mhz, best_muf), mode=mode, field_strongest_dbuv=best_field,
        takeoff_deg=take(elevs),
        loss_db=loss_db, tx_gain_dbi=tx_gain, delay_ms=take(slants) / SPEED_OF_LIGHT_KM_PER_MS,
        vheight_km=take(heights), distance_km=dist)
