"""Radio noise at the receiver: ITU-R P.372-16.

Noise figures ``F_a`` in dB above kT₀b (T₀ = 288 K); noise power in a 1 Hz band is
``N = F_a − 204`` dBW (P.372-16 eq. 1, 10 log kT₀ = −204 dBW/Hz). Frequencies in MHz.
"""

from __future__ import annotations

import numpy as np

#: Man-made noise ``F_am = c − d log f`` and its decile deviations (P.372-16 Table 1 and §5):
#: environment: (c, d, upper decile D_u, lower decile D_l), dB.
MAN_MADE = {
    "city": (76.8, 27.7, 11.0, 6.7),
    "residential": (72.5, 27.7, 10.6, 5.3),
    "rural": (67.2, 27.7, 9.2, 4.6),
    "quiet_rural": (53.6, 28.6, 9.2, 4.6),
}
#: Galactic noise ``F_ag = 52 − 23 log f``, deciles ±2 dB (P.372-16 eq. 14, §6).
GALACTIC = (52.0, 23.0, 2.0, 2.0)
KT0_DBW_PER_HZ = -204.0

#: Atmospheric noise at 1 MHz, dB above kT₀b, for the Korean peninsula (about 38–42° N,
#: 124–131° E), by season (Dec–Feb, Mar–May, Jun–Aug, Sep–Nov) and four-hour local-time block
#: (00–04, 04–08, …, 20–24). Read coarsely from the world maps of P.372 (Figs. 15a–38a,
#: F_am at 1 MHz); a documented approximation to the CCIR coefficient maps, to ±5 dB.
ATMOSPHERIC_1MHZ = np.array([
    [62.0, 52.0, 25.0, 30.0, 55.0, 65.0],
    [70.0, 60.0, 35.0, 40.0, 62.0, 72.0],
    [78.0, 68.0, 45.0, 50.0, 72.0, 82.0],
    [72.0, 60.0, 35.0, 40.0, 65.0, 74.0],
])
ATMOSPHERIC_DECILES = (9.0, 7.0)


def man_made_db(freq_mhz, environment: str = "residential"):
    """Median man-made noise figure F_am (dB above kT₀b) for an environment of P.372 Table 1."""
    c, d, _, _ = MAN_MADE[environment]
    return c - d * np.log10(freq_mhz)


def galactic_db(freq_mhz):
    """Median galactic noise figure F_ag (dB above kT₀b), P.372-16 eq. 14."""
    c, d, _, _ = GALACTIC
    return c - d * np.log10(freq_mhz)


def atmospheric_db(freq_mhz, month: int, local_hour):
    """Median atmospheric noise figure F_aa (dB above kT₀b) over Korea.

    F_a at 1 MHz from :data:`ATMOSPHERIC_1MHZ`, carried to ``f`` by the shape of the frequency
    curves of P.372 (Figs. 15b–38b): ``F_a(f) = F_a1 − (0.28 F_a1) x − 8 x²``, x = log₁₀ f,
    a coarse fit to those curves between 1 and 30 MHz (±5 dB).
    """
    season = {12: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1, 6: 2, 7: 2, 8: 2, 9: 3, 10: 3, 11: 3}[int(month)]
    block = (np.floor(np.asarray(local_hour, dtype=float) % 24.0 / 4.0)).astype(int)
    fa1 = ATMOSPHERIC_1MHZ[season][block]
    x = np.log10(freq_mhz)
    return fa1 - 0.28 * fa1 * x - 8.0 * x ** 2


def total_noise(freq_mhz, month: int, local_hour, environment: str, galactic_visible):
    """Total median noise power in 1 Hz (dBW) and its upper/lower decile deviations (dB).

    Components add in power (P.372-16 §8). The deciles of the sum are the power-weighted means
    of the components' deciles, a simplification of the P.372 §8 combination method.
    Galactic noise reaches the ground only when f exceeds foF2 overhead (``galactic_visible``).
    """
    fa = atmospheric_db(freq_mhz, month, local_hour)
    fm = np.broadcast_to(man_made_db(freq_mhz, environment), np.shape(fa))
    fg = np.where(galactic_visible, galactic_db(freq_mhz), -np.inf)
    pa, pm, pg = 10.0 ** (fa / 10.0), 10.0 ** (fm / 10.0), 10.0 ** (fg / 10.0)
    total = pa + pm + pg
    _, _, mu, ml = MAN_MADE[environment]
    du = (pa * ATMOSPHERIC_DECILES[0] + pm * mu + pg * GALACTIC[2]) / total
    dl = (pa * ATMOSPHERIC_DECILES[1] + pm * ml + pg * GALACTIC[3]) / total
    return 10.0 * np.log10(total) + KT0_DBW_PER_HZ, du, dl
