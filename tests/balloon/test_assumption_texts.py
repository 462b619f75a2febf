"""The balloon assumptions are written once, in :class:`Assumptions`: the texts beside every
estimate and the charts' notes are made from its fields."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from corridor.channels.balloon.channel import ASSUMPTIONS, assumption_texts
from corridor.channels.balloon.ensemble import Assumptions, EnsembleResult
from corridor.channels.balloon.legal import LEGAL_NOTICE
from corridor.channels.balloon.notes import launch_notes, windows_note
from corridor.channels.balloon.windows import safest


def test_texts_follow_the_fields():
    a = Assumptions()
    texts = assumption_texts(a)
    assert texts == ASSUMPTIONS and texts["legal"] == LEGAL_NOTICE
    assert f"{a.timer_failure_probability:.0%} timer failure" in texts["flight"]
    changed = replace(a, timer_failure_probability=0.25, found_share_range=(0.1, 0.3), terrain=False)
    t = changed.prose()
    assert "25% timer failure" in t["flight"] and "10–30% of landed leaflets" in t["finding"]
    assert "sea level" in t["ground"] and "elevation field" not in t["ground"]
    assert "25% failures" in windows_note("en", changed)
    assert "10–30%" in launch_notes("en", changed)[1]


def test_notes_in_korean_keep_the_figures():
    en, ko = launch_notes("en"), launch_notes("ko")
    assert en != ko and any("\uac00" <= ch <= "\ud7a3" for ch in ko[0])
    for figure in ("1.5–3", "0.15", "0.9"):
        assert figure in en[0] and figure in ko[0]


def test_safest_hour_sends_least_south_then_most_north():
    table = pd.DataFrame({"launch_time_utc": ["a", "b", "c"], "south": [0.2, 0.1, 0.1], "north": [0.7, 0.5, 0.8]})
    assert safest(table).launch_time_utc == "c"


def test_example_tracks_run_from_the_site_through_releases_to_the_envelope():
    drops = np.full((1, 2, 3, 4), np.nan)
    drops[0, 0, 0] = [0.0, 38.0, 127.0, 4000.0]
    drops[0, 1, :2] = [[0.0, 38.1, 127.1, 4000.0], [1.0, 38.2, 127.2, 4000.0]]
    r = EnsembleResult(draws=1, balloons=2, parcel_draw=np.zeros(0), parcel_lat=np.zeros(0), parcel_lon=np.zeros(0),
                       parcel_leaflets=np.zeros(0), parcel_opened=np.zeros(0, bool), parcel_aloft=np.zeros(0, bool),
                       envelope_lat=np.array([[38.5, 38.6]]), envelope_lon=np.array([[127.5, 127.6]]), drops=drops)
    tracks = r.example_tracks(126.7, 37.8, n=5)
    assert len(tracks) == 2
    assert tracks[0].tolist() == [[126.7, 37.8], [127.0, 38.0], [127.5, 38.5]]
    assert tracks[1].shape == (4, 2) and tracks[1][-1].tolist() == [127.6, 38.6]
