"""Validation: the development flights of the Tawhiri reference, predicted on the same fields."""

from tests.conftest import SHARED, needs_shared
from corridor.channels.balloon.validation import validate_folder

FLIGHTS = SHARED / "data" / "reference" / "balloon" / "tawhiri"
WIND = SHARED / "data" / "wind"

pytestmark = needs_shared(FLIGHTS, "Tawhiri reference flights (18) and wind fields")


def test_every_reference_flight_lands_within_100_m_and_tracks_stay_within_100_m():
    results = validate_folder(FLIGHTS, WIND)
    assert len(results) == 18
    for r in results:
        assert r.landing_distance_m < 100.0, r
        assert r.max_track_deviation_m < 100.0, r
        assert abs(r.final_altitude_difference_m) < 5.0, r
    # long flights too: this is not a short-range coincidence
    assert max(r.range_km for r in results) > 500
