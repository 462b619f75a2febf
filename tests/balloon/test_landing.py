"""Where payloads land: country or sea, and people who find a leaflet."""

import numpy as np

from corridor.channels.balloon import landing


def test_points_are_classified_with_the_shipped_boundaries():
    lon = [125.75, 126.98, 124.5, 124.4, 129.0, 131.0]
    lat = [39.03, 37.57, 37.0, 40.5, 35.2, 41.5]
    assert landing.classify(lon, lat).tolist() == ["north", "south", "sea", "china", "south", "sea"]


def test_shares_and_finding():
    cls = np.array(["north", "south", "sea", "north"], dtype=object)
    sh = landing.shares(cls, np.array([1.0, 1.0, 2.0, 0.0]), np.array([0, 0, 1, 1]), 2)
    assert sh["north"].tolist() == [0.5, 0.0] and sh["sea"].tolist() == [0.0, 1.0]
    p = landing.share_finding(np.array([0.0, 1000.0, 10.0]), np.array([100.0, 1000.0, 0.0]))
    np.testing.assert_allclose(p, [0.0, 1 - np.exp(-1.0), 0.0])


def test_cells_are_found_for_points_in_the_north_only(grid):
    idx = landing.cell_index(grid, [125.75, 126.98], [39.03, 37.57])
    assert idx[0] >= 0 and idx[1] == -1
    assert grid.province[idx[0]] == 0 or grid.population[idx[0]] > 1000   # Pyongyang is populated
