"""Who could be listening: receivers and listening hours, kept apart from the physics.

Defaults are editable assumptions, each with its basis:

* Tunable sets. Legal sets are registered, fixed-tuned to state channels and sealed; listeners
  use modified ("jailbroken") or smuggled Chinese sets (liquisearch "Communications in North
  Korea: radio"; Daily NK reports). InterMedia's *A Quiet Opening* (2012; surveys of 250 refugees
  and travellers in 2010 and 420 defectors in 2011) asked which radio people had; in one sample of
  200, 57 % had a radio and 74 had listened to foreign radio (as quoted by Kirkpatrick, *Escape
  from North Korea*, 2012). Defectors are not a random sample of the population, so the share of
  people with a set able to receive outside stations is drawn from Beta(4, 16): mean 0.20,
  90 % interval about 0.08–0.35.
* Listening hours. Outside radio is heard mostly late at night, when listening is least likely
  to be overheard, and the outside stations concentrate their hours there too (the 38 North count
  of broadcasts on air, reported by KBS, 2025-07). The profile puts the peak at 23:00–01:00 KST,
  an assumption; it gives, per local hour, the chance that someone with such a set listens then.
"""

from __future__ import annotations

import numpy as np

KST_OFFSET_H = 9
TUNABLE_BETA = (4.0, 16.0)
#: Probability that a person with a tunable set listens during each hour of the day (KST 0–23).
LISTENING_BY_KST_HOUR = np.array([
    0.35, 0.20, 0.08, 0.03, 0.03, 0.05, 0.05, 0.03, 0.02, 0.02, 0.02, 0.02,
    0.02, 0.02, 0.02, 0.02, 0.02, 0.03, 0.05, 0.06, 0.08, 0.12, 0.20, 0.35,
])

ASSUMPTIONS = {
    "receivers": "share of people with a set that can tune outside stations ~ Beta(4, 16), mean 20 % "
                 "(InterMedia, A Quiet Opening, 2012: surveys of refugees, travellers and defectors in "
                 "2010–2011; legal sets are fixed-tuned and sealed)",
    "listening": "chance of listening in a given hour peaks at 35 % at 23:00–01:00 KST, "
                 "a few % by day (38 North / KBS 2025; editable profile)",
}


def listening_probability(utc_hours) -> np.ndarray:
    """Chance that a set owner listens in each UTC hour."""
    kst = (np.asarray(utc_hours, dtype=int) + KST_OFFSET_H) % 24
    return LISTENING_BY_KST_HOUR[kst]


def daily_reach(reliability_by_hour: np.ndarray, utc_hours, tunable_share) -> np.ndarray:
    """Probability a person hears the broadcast on a given day.

    ``tunable · (1 − Π_h (1 − listen_h · rel_h))``: they own a usable set, and in at least one
    broadcast hour they listen and the signal is good (``reliability_by_hour`` (…, hours, cells)).
    """
    listen = listening_probability(utc_hours)[:, None]
    miss = np.prod(1.0 - listen * reliability_by_hour, axis=-2)
    share = np.asarray(tunable_share, dtype=float)
    return (share[..., None] if share.ndim else share) * (1.0 - miss)
