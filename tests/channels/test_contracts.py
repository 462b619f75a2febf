"""Activity, Coverage and the channel registry."""

from datetime import datetime

import numpy as np
import pytest

from corridor.channels import Activity, Coverage, all_channels, get_channel, parse_activity
from corridor.channels.base import ChannelSpec
from corridor.errors import CorridorError

SPEC = {"lon": 126.70, "lat": 37.90, "sound_power_db": 160}


def test_registry_knows_the_loudspeaker_and_refuses_unknown_channels():
    assert "loudspeaker" in all_channels()
    channel = get_channel("loudspeaker")
    assert issubclass(channel.spec_model, ChannelSpec)
    with pytest.raises(CorridorError, match="unknown channel"):
        get_channel("carrier pigeon")


def test_activity_validates_its_spec_with_the_channel_model():
    a = Activity.create("loudspeaker", SPEC, id="a1", start=datetime(2024, 6, 1, 22))
    assert a.spec.sound_power_db == 160 and a.spec.band_hz == 500
    again = Activity.model_validate(a.model_dump())  # round trip through plain data
    assert again == a


@pytest.mark.parametrize("change, field", [
    ({"sound_power_db": -3}, "spec.sound_power_db"),
    ({"colour": "red"}, "spec.colour"),
    ({"band_hz": 300}, "spec.band_hz"),
    ({"lat": 35.0, "lon": 128.0}, "spec"),  # far from North Korea
])
def test_bad_specs_name_the_field(change, field):
    with pytest.raises(CorridorError) as err:
        parse_activity({"id": "x", "channel": "loudspeaker", "start": "2024-06-01T22:00",
                        "spec": {**SPEC, **change}}, source="launch.yaml")
    text = str(err.value)
    assert text.startswith("launch.yaml: " + field)


def test_end_before_start_is_refused():
    with pytest.raises(CorridorError, match="end is before start"):
        parse_activity({"id": "x", "channel": "loudspeaker", "start": "2024-06-02",
                        "end": "2024-06-01", "spec": SPEC})


def test_coverage_checks_shape_range_and_grid(grid):
    with pytest.raises(ValueError):
        Coverage("a", "loudspeaker", grid.key, np.full((2, grid.n_cells), 1.5), "m", "1")
    with pytest.raises(ValueError):
        Coverage("a", "loudspeaker", grid.key, np.zeros(grid.n_cells), "m", "1")
    p = np.zeros((3, grid.n_cells))
    p[:, :10] = [[0.2], [0.5], [1.0]]
    cov = Coverage("a", "loudspeaker", grid.key, p, "m", "1")
    people = cov.people(grid)
    assert people[2] == pytest.approx(grid.population[:10].sum())
    assert people[0] == pytest.approx(0.2 * grid.population[:10].sum())
    by_province = cov.people_by_province(grid)
    assert np.allclose(by_province.sum(axis=1), people)
    s = cov.summary(grid)
    assert s["reached_lower90"] <= s["reached_median"] <= s["reached_upper90"] <= s["population"]
    other = Coverage("a", "loudspeaker", "another-grid", p, "m", "1")
    with pytest.raises(ValueError, match="grid"):
        other.people(grid)
