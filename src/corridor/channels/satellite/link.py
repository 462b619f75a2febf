"""Downlink budget from a geostationary satellite to a small dish: plain functions over arrays.

    C/N = EIRP(θ) − L_fs − A(p) − L_point + G_rx − 10·lg(T_sys) + 228.6 − 10·lg(R_s)      dB

EIRP in dBW, losses and gains in dB, noise temperature in K, symbol rate in symbols/s;
228.6 is −10·lg(k), Boltzmann's constant in dBW/(K·Hz). Atmospheric attenuation ``A(p)``, the
level exceeded for ``p`` % of an average year, comes from ``itur``: rain (ITU-R P.618-13 §2.2.1.1),
gases (P.676-12 Annex 2), clouds (P.840, itur's default edition, which reproduces the P.840-8
validation values) and scintillation (P.618-13 §2.4.1), combined by P.618-13 §2.5 eq. (64).
"""

from __future__ import annotations

import warnings

import numpy as np

#: Speed of light, m/s.
C_M_PER_S = 299_792_458.0
#: −10·lg(Boltzmann's constant), dB(W/(K·Hz)) (CODATA 2018: k = 1.380649e-23 J/K).
BOLTZMANN_DB = -10.0 * np.log10(1.380649e-23)
#: Mean radiating temperature of the atmosphere for sky noise, K (ITU-R P.618-13 §3).
T_MR_K = 275.0
#: Cosmic background, K.
T_COSMIC_K = 2.7


def free_space_loss_db(distance_km, frequency_ghz) -> np.ndarray:
    """Free-space basic transmission loss ``L_fs = 92.45 + 20·lg(f/GHz) + 20·lg(d/km)`` dB
    (ITU-R P.525-4 §2.1, written for GHz)."""
    return 92.45 + 20.0 * np.log10(frequency_ghz) + 20.0 * np.log10(np.asarray(distance_km, float))


def satellite_pattern_db(off_axis_deg, beamwidth_deg: float, floor_db: float = -25.0) -> np.ndarray:
    """Relative gain of a satellite beam ``−12·(θ/θ_3dB)²`` dB, floored at the side-lobe level
    (main lobe of ITU-R S.672-4 Annex 1, ``G_m − 3(ψ/ψ_0)²`` with ψ_0 = θ_3dB / 2; L_s = −25 dB)."""
    theta = np.asarray(off_axis_deg, float)
    return np.maximum(-12.0 * (theta / beamwidth_deg) ** 2, floor_db)


def dish_gain_dbi(diameter_m, frequency_ghz, efficiency) -> np.ndarray:
    """Gain of a parabolic dish ``10·lg(η (π D f / c)²)`` dBi (Maral & Bousquet, *Satellite
    Communications Systems*, 5th ed., ch. 5)."""
    lam = C_M_PER_S / (np.asarray(frequency_ghz, float) * 1e9)
    return 10.0 * np.log10(np.asarray(efficiency, float) * (np.pi * np.asarray(diameter_m, float) / lam) ** 2)


def dish_beamwidth_deg(diameter_m, frequency_ghz) -> np.ndarray:
    """Half-power beamwidth of a dish ``θ_3dB ≈ 70 λ / D`` degrees (Maral & Bousquet, ch. 5)."""
    lam = C_M_PER_S / (np.asarray(frequency_ghz, float) * 1e9)
    return 70.0 * lam / np.asarray(diameter_m, float)


def pointing_loss_db(error_deg, beamwidth_deg) -> np.ndarray:
    """Loss from mispointing ``12·(θ_e / θ_3dB)²`` dB (Maral & Bousquet, ch. 5)."""
    return 12.0 * (np.asarray(error_deg, float) / np.asarray(beamwidth_deg, float)) ** 2


def noise_temperature_k(noise_figure_db) -> np.ndarray:
    """Equivalent noise temperature of an LNB from its noise figure ``290·(10^(F/10) − 1)`` K."""
    return 290.0 * (10.0 ** (np.asarray(noise_figure_db, float) / 10.0) - 1.0)


def sky_noise_k(attenuation_db) -> np.ndarray:
    """Sky brightness through an attenuating atmosphere
    ``T_sky = T_mr (1 − 10^(−A/10)) + 2.7·10^(−A/10)`` K (ITU-R P.618-13 §3)."""
    t = 10.0 ** (-np.asarray(attenuation_db, float) / 10.0)
    return T_MR_K * (1.0 - t) + T_COSMIC_K * t


def carrier_to_noise_db(eirp_dbw, path_loss_db, rx_gain_dbi, system_temp_k, symbol_rate_baud) -> np.ndarray:
    """``C/N = EIRP − L + G − 10·lg(T) + 228.6 − 10·lg(R_s)`` dB (Es/N0 with matched filtering)."""
    return (np.asarray(eirp_dbw) - path_loss_db + rx_gain_dbi - 10.0 * np.log10(system_temp_k)
            + BOLTZMANN_DB - 10.0 * np.log10(symbol_rate_baud))


def total_attenuation_db(gas_db, cloud_db, rain_db, scintillation_db) -> np.ndarray:
    """Total slant-path attenuation ``A_T = A_G + √((A_R + A_C)² + A_S²)`` (ITU-R P.618-13 eq. 64)."""
    return np.asarray(gas_db) + np.sqrt((np.asarray(rain_db) + np.asarray(cloud_db)) ** 2
                                        + np.asarray(scintillation_db) ** 2)


def gas_attenuation_db(frequency_ghz: float, elevation_deg, rho_g_m3, pressure_hpa, temperature_k,
                       vapour_kg_m2, hs_km) -> np.ndarray:
    """Oxygen and water-vapour attenuation on the slant path, dB (ITU-R P.676-12 Annex 2,
    through ``itur``): surface water-vapour density ρ (g/m³), pressure (hPa), temperature (K),
    integrated water vapour V_t (kg/m²) and station altitude (km)."""
    from itur.models import itu676

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = itu676.gaseous_attenuation_slant_path(frequency_ghz, elevation_deg, rho_g_m3, pressure_hpa,
                                                  temperature_k, vapour_kg_m2, hs_km, mode="approx")
    return np.asarray(a.value, float)


def attenuation_components_db(lat_deg, lon_deg, frequency_ghz: float, elevation_deg, p_percent: float,
                              dish_m: float, *, efficiency: float = 0.65, tau_deg: float = 0.0,
                              hs_km=None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Gas, cloud, rain and scintillation attenuation exceeded for ``p`` % of the year, dB.

    Each comes from ``itur`` with its own climatology (P.1511 altitude, P.1510 temperature,
    P.836 water vapour, P.837 rain rate, P.839 rain height, P.840 liquid water); gases and
    clouds are evaluated at ``max(p, 1)`` % as P.618-13 §2.5 prescribes (eqs. 65–66).
    """
    import itur
    from itur.models import itu618, itu840

    lat = np.atleast_1d(np.asarray(lat_deg, float))
    lon = np.atleast_1d(np.asarray(lon_deg, float))
    el = np.broadcast_to(np.asarray(elevation_deg, float), lat.shape)
    p_cg = max(1.0, p_percent)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hs = itur.topographic_altitude(lat, lon).value if hs_km is None else np.broadcast_to(hs_km, lat.shape)
        T = itur.surface_mean_temperature(lat, lon).value
        P = itur.standard_pressure(hs).value
        rho = itur.surface_water_vapour_density(lat, lon, p_cg, hs).value
        V_t = itur.total_water_vapour_content(lat, lon, p_cg, hs).value
        rain = itu618.rain_attenuation(lat, lon, frequency_ghz, el, hs=hs, p=p_percent, tau=tau_deg).value
        cloud = itu840.cloud_attenuation(lat, lon, el, frequency_ghz, p_cg).value
        scint = itu618.scintillation_attenuation(lat, lon, frequency_ghz, el, p_percent, dish_m,
                                                 eta=efficiency, T=T).value
    gas = gas_attenuation_db(frequency_ghz, el, rho, P, T, V_t, hs)
    return (np.asarray(gas, float), np.asarray(cloud, float), np.asarray(rain, float),
            np.asarray(scint, float))


#: Time percentages (% of an average year) at which attenuation is tabulated for availability.
P_LEVELS = np.array([0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.0, 5.0])


def attenuation_exceeded_db(lat_deg, lon_deg, frequency_ghz: float, elevation_deg, dish_m: float, *,
                            efficiency: float = 0.65, tau_deg: float = 0.0,
                            p_levels: np.ndarray = P_LEVELS) -> tuple[np.ndarray, np.ndarray]:
    """Attenuation exceeded for each of ``p_levels`` % of the year at each site, dB.

    Returns ``(total, absorptive)``, both shaped ``(len(p_levels), n_sites)``: the total of
    P.618-13 eq. (64), and gas + cloud + rain (the absorbing part that raises sky noise).
    The climatologies are read once; gases and clouds are recomputed only for ``p > 1`` %.
    """
    import itur
    from itur.models import itu618, itu840

    lat = np.atleast_1d(np.asarray(lat_deg, float)).ravel()
    lon = np.atleast_1d(np.asarray(lon_deg, float)).ravel()
    el = np.broadcast_to(np.asarray(elevation_deg, float).ravel(), lat.shape)
    total = np.empty((len(p_levels), lat.size))
    absorptive = np.empty_like(total)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        hs = np.asarray(itur.topographic_altitude(lat, lon).value, float).reshape(lat.shape)
        T = np.asarray(itur.surface_mean_temperature(lat, lon).value, float).reshape(lat.shape)
        P = np.asarray(itur.standard_pressure(hs).value, float).reshape(lat.shape)
        cache: dict[float, tuple[np.ndarray, np.ndarray]] = {}
        for i, p in enumerate(p_levels):
            p_cg = max(1.0, float(p))
            if p_cg not in cache:
                rho = itur.surface_water_vapour_density(lat, lon, p_cg, hs).value
                v_t = itur.total_water_vapour_content(lat, lon, p_cg, hs).value
                gas = gas_attenuation_db(frequency_ghz, el, rho, P, T, v_t, hs).reshape(lat.shape)
                cloud = np.asarray(itu840.cloud_attenuation(lat, lon, el, frequency_ghz, p_cg).value,
                                   float).reshape(lat.shape)
                cache[p_cg] = (gas, cloud)
            gas, cloud = cache[p_cg]
            rain = np.asarray(itu618.rain_attenuation(lat, lon, frequency_ghz, el, hs=hs, p=float(p),
                                                      tau=tau_deg).value, float).reshape(lat.shape)
            scint = np.asarray(itu618.scintillation_attenuation(lat, lon, frequency_ghz, el, float(p), dish_m,
                                                                eta=efficiency, T=T).value,
                               float).reshape(lat.shape)
            total[i] = total_attenuation_db(gas, cloud, rain, scint)
            absorptive[i] = gas + cloud + rain
    return total, absorptive


def availability_percent(cn_by_p_db: np.ndarray, threshold_db: float,
                         p_levels: np.ndarray = P_LEVELS) -> np.ndarray:
    """Share of the year the link closes, %: ``100 − p*`` where ``C/N(p*) = threshold``.

    ``cn_by_p_db`` is C/N at each of ``p_levels`` (first axis, increasing p, so C/N rises with p).
    Between levels the crossing is interpolated linearly in ``lg p``; a link that closes even at
    the smallest p gets ``100 − p_min``, one that fails even at the largest gets at most
    ``100 − p_max`` (reported as that bound).
    """
    cn = np.asarray(cn_by_p_db, float)
    margin = np.where(np.isfinite(cn), cn - threshold_db, -1e9)   # no service: never closes
    logp = np.log10(p_levels)
    n = margin.shape[1]
    out = np.full(n, 100.0 - p_levels[-1])
    ok_all = margin[0] >= 0
    out[ok_all] = 100.0 - p_levels[0]
    for k in range(len(p_levels) - 1):
        a, b = margin[k], margin[k + 1]
        hit = (a < 0) & (b >= 0)
        frac = np.divide(-a, b - a, out=np.zeros_like(a), where=hit)
        out[hit] = 100.0 - 10.0 ** (logp[k] + frac[hit] * (logp[k + 1] - logp[k]))
    return out
