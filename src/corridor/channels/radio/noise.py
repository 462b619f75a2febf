"""Radio noise at the receiver: ITU-R P.372-16.

Noise figures ``F_a`` in dB above kT₀b (T₀ = 288 K); noise power in a 1 Hz band is
``N = F_a − 204`` dBW (P.372-16 eq. 1, 10 log kT₀ = −204 dBW/Hz). Frequencies in MHz.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

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

#: Decile deviations of atmospheric noise, upper and lower (dB): typical HF values of P.372
#: Figs. 15c–38c (not yet read per season and block).
ATMOSPHERIC_DECILES = (9.0, 7.0)
#: Seasons of P.372 (northern hemisphere) by month, and the four-hour local-time blocks.
_SEASON = {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring", 5: "spring",
           6: "summer", 7: "summer", 8: "summer", 9: "autumn", 10: "autumn", 11: "autumn"}
_BLOCKS = (0, 4, 8, 12, 16, 20)


def _read_csv(name: str) -> list[list[str]]:
    text = resources.files("corridor.channels.radio").joinpath("data", name).read_text("utf-8")
    return [line.split(",") for line in text.splitlines()[1:] if line.strip()]


@lru_cache(maxsize=1)
def atmospheric_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """P.372 extracts (``data/README.md``): longitudes (°E), F_am(1 MHz) [season, block, lon] (dB),
    frequencies (MHz) and F_a at F_am(1 MHz) = 10 and 100 dB [season, block, freq] (dB).

    Season index 0–3 = winter, spring, summer, autumn; spring and autumn are the mean of winter and
    summer; the missing winter 00–04 LT block is the mean of the neighbouring blocks.
    """
    lons = np.arange(124.0, 132.0)
    fam = np.full((4, 6, lons.size), np.nan)
    for row in _read_csv("p372_fam1mhz.csv"):
        fam[0 if row[0] == "winter" else 2, _BLOCKS.index(int(row[1]))] = [float(v) for v in row[2:]]
    fam[0, 0] = 0.5 * (fam[0, 5] + fam[0, 1])
    rows = _read_csv("p372_fa_frequency.csv")
    freqs = np.array(sorted({float(r[2]) for r in rows}))
    f10 = np.full((4, 6, freqs.size), np.nan)
    f100 = np.full_like(f10, np.nan)
    for row in rows:
        k = (0 if row[0] == "winter" else 2, _BLOCKS.index(int(row[1])), int(np.searchsorted(freqs, float(row[2]))))
        f10[k], f100[k] = float(row[3]), float(row[4])
    for arr in (fam, f10, f100):
        arr[1] = arr[3] = 0.5 * (arr[0] + arr[2])
    return lons, fam, freqs, f10, f100


def man_made_db(freq_mhz, environment: str = "residential"):
    """Median man-made noise figure F_am (dB above kT₀b) for an environment of P.372 Table 1."""
    c, d, _, _ = MAN_MADE[environment]
    return c - d * np.log10(freq_mhz)


def galactic_db(freq_mhz):
    """Median galactic noise figure F_ag (dB above kT₀b), P.372-16 eq. 14."""
    c, d, _, _ = GALACTIC
    return c - d * np.log10(freq_mhz)


def atmospheric_1mhz_db(month: int, local_hour, lon_deg=127.5):
    """Median atmospheric noise F_am at 1 MHz over North Korea (dB above kT₀b), P.372 maps.

    The season's map for the four-hour local-time block of ``local_hour``, linear in longitude
    over 124–131° E (held constant outside).
    """
    lons, fam, *_ = atmospheric_tables()
    season = ("winter", "spring", "summer", "autumn").index(_SEASON[int(month)])
    block = (np.floor(np.asarray(local_hour, dtype=float) % 24.0 / 4.0)).astype(int)
    x = np.clip(np.asarray(lon_deg, dtype=float), lons[0], lons[-1]) - lons[0]
    i = np.minimum(x.astype(int), lons.size - 2)
    t = x - i
    table = fam[season][block]                                              # (..., lon)
    i, t = np.broadcast_to(i, block.shape), np.broadcast_to(t, block.shape)
    lo = np.take_along_axis(table, i[..., None], axis=-1)[..., 0]
    hi = np.take_along_axis(table, (i + 1)[..., None], axis=-1)[..., 0]
    return lo * (1.0 - t) + hi * t


def atmospheric_db(freq_mhz, month: int, local_hour, lon_deg=127.5):
    """Median atmospheric noise figure F_a at ``freq_mhz`` (dB above kT₀b), ITU-R P.372.

    F_am(1 MHz) from :func:`atmospheric_1mhz_db`, carried to f by the P.372 frequency curves of
    the same season and block: at each frequency F_a is linear in F_am(1 MHz), so
    ``F_a = F_a10 + (F_am − 10)(F_a100 − F_a10)/90``, interpolated linearly in log f between the
    tabulated frequencies (0.5–30 MHz, held constant outside).
    """
    _, _, freqs, f10, f100 = atmospheric_tables()
    season = ("winter", "spring", "summer", "autumn").index(_SEASON[int(month)])
    block = (np.floor(np.asarray(local_hour, dtype=float) % 24.0 / 4.0)).astype(int)
    logf = np.log10(np.clip(float(freq_mhz), freqs[0], freqs[-1]))
    a10 = np.array([np.interp(logf, np.log10(freqs), f10[season, b]) for b in range(6)])[block]
    a100 = np.array([np.interp(logf, np.log10(freqs), f100[season, b]) for b in range(6)])[block]
    fam = atmospheric_1mhz_db(month, local_hour, lon_deg)
    return a10 + (fam - 10.0) * (a100 - a10) / 90.0


def total_noise(freq_mhz, month: int, local_hour, environment: str, galactic_visible, lon_deg=127.5):
    """Total median noise power in 1 Hz (dBW) and its upper/lower decile deviations (dB).

    Components add in power (P.372-16 §8). The deciles of the sum are the power-weighted means
    of the components' deciles, a simplification of the P.372 §8 combination method.
    Galactic noise reaches the ground only when f exceeds foF2 overhead (``galactic_visible``).
    """
    fa = atmospheric_db(freq_mhz, month, local_hour, lon_deg)
    fm = np.broadcast_to(man_made_db(freq_mhz, environment), np.shape(fa))
    fg = np.where(galactic_visible, galactic_db(freq_mhz), -np.inf)
    pa, pm, pg = 10.0 ** (fa / 10.0), 10.0 ** (fm / 10.0), 10.0 ** (fg / 10.0)
    total = pa + pm + pg
    _, _, mu, ml = MAN_MADE[environment]
    du = (pa * ATMOSPHERIC_DECILES[0] + pm * mu + pg * GALACTIC[2]) / total
    dl = (pa * ATMOSPHERIC_DECILES[1] + pm * ml + pg * GALACTIC[3]) / total
    return 10.0 * np.log10(total) + KT0_DBW_PER_HZ, du, dl
