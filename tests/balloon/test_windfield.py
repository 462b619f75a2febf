"""Wind fields: GRIB2 and NetCDF become one normalised Dataset; bad files are named errors."""

import numpy as np
import pytest
import xarray as xr

from tests.balloon.balloon_winds import january, rotating  # noqa: F401  (fixtures)
from corridor.channels.balloon.interpolation import BELOW, AREA, WindArrays, wind_at
from corridor.channels.balloon.windfield import G0, normalize_wind, open_wind
from corridor.errors import CorridorError


def test_grib_sample_reads_to_the_normalised_layout(january):
    ds = january
    assert set(ds.data_vars) == {"gh", "u", "v"}
    assert ds["gh"].dims == ("member", "time", "level", "latitude", "longitude")
    assert ds.sizes["level"] == 17 and ds.sizes["time"] == 1
    assert ds["level"].values[0] == 1000 and ds["level"].values[-1] == 300
    assert np.all(np.diff(ds["latitude"].values) > 0)
    assert str(ds["time"].values[0]).startswith("2011-01-15T12")
    # Korea in January: north-westerlies of 12-25 m/s near 700 hPa (SOURCE.md box means)
    box = ds.sel(latitude=slice(32.5, 45), longitude=slice(122.5, 132.5), level=700)
    speed = float(np.hypot(box.u, box.v).mean())
    assert 12 < speed < 25
    assert float(box.u.mean()) > 0 and float(box.v.mean()) < 0


def test_netcdf_with_other_names_units_and_order_is_normalised(january, tmp_path):
    ds = january.isel(member=0, time=0).sel(latitude=slice(30, 45), longitude=slice(120, 135))
    other = xr.Dataset(
        {"z": (("plev", "lat", "lon"), (ds.gh.values * G0)[:, ::-1, :], {"units": "m**2 s**-2"}),
         "ua": (("plev", "lat", "lon"), ds.u.values[:, ::-1, :]),
         "va": (("plev", "lat", "lon"), ds.v.values[:, ::-1, :])},
        coords={"plev": ds.level.values * 100.0, "lat": ds.latitude.values[::-1],
                "lon": ds.longitude.values - 360.0, "time": np.datetime64("2011-01-15T12:00")})
    path = tmp_path / "other.nc"
    other.to_netcdf(path)
    back = open_wind(path)
    np.testing.assert_allclose(back.gh.values[0, 0], ds.gh.values, rtol=1e-6)
    np.testing.assert_array_equal(back.u.values[0, 0], ds.u.values)
    np.testing.assert_array_equal(back.latitude.values, ds.latitude.values)
    np.testing.assert_array_equal(back.longitude.values, ds.longitude.values)


def test_a_wind_file_without_v_is_refused_by_name(january, tmp_path):
    path = tmp_path / "no_v.nc"
    january.isel(member=0).drop_vars("v").to_netcdf(path)
    with pytest.raises(CorridorError) as err:
        open_wind(path)
    assert "no_v.nc" in str(err.value) and "v" in err.value.field


def test_missing_geopotential_and_irregular_grid_are_refused(january):
    with pytest.raises(CorridorError, match="geopotential"):
        normalize_wind(january.drop_vars("gh"))
    bad = january.isel(latitude=[0, 1, 3, 4])
    with pytest.raises(CorridorError, match="not regular"):
        normalize_wind(bad)


def test_not_a_wind_file(tmp_path):
    path = tmp_path / "x.nc"
    path.write_text("hello")
    with pytest.raises(CorridorError, match="x.nc"):
        open_wind(path)


def _linear_field(lat0=30.0, lon0=120.0, n=11, levels=(1000, 900, 800, 700, 600)):
    """A field whose gh, u, v are linear in lat, lon and level index: interpolation must be exact."""
    lat = lat0 + 0.5 * np.arange(n)
    lon = lon0 + 0.5 * np.arange(n)
    k = np.arange(len(levels))[:, None, None]
    gh = 500.0 * (k + 1) + 10.0 * lat[None, :, None] + 0 * lon[None, None, :]
    u = 2.0 * k + 0.3 * lon[None, None, :] + 0 * lat[None, :, None]
    v = -1.0 * k + 0.2 * lat[None, :, None] + 0 * lon[None, None, :]
    times = np.array(["2011-01-01T00", "2011-01-01T03"], dtype="datetime64[ns]")
    data = lambda a, dt: np.stack([a, a + dt])[None].astype(np.float32)  # noqa: E731
    return xr.Dataset({"gh": (("member", "time", "level", "latitude", "longitude"), data(gh, 0.0)),
                       "u": (("member", "time", "level", "latitude", "longitude"), data(u, 3.0)),
                       "v": (("member", "time", "level", "latitude", "longitude"), data(v, 0.0))},
                      coords={"time": times, "level": np.array(levels, float), "latitude": lat, "longitude": lon})


def test_interpolation_is_linear_in_time_space_and_height():
    W = WindArrays.from_dataset(normalize_wind(_linear_field()))
    t0 = W.times[0]
    lat, lon = 32.3, 122.7
    gh0 = 500.0 + 10 * lat                   # level index 0 height at this latitude
    z = gh0 + 0.25 * 500.0                   # a quarter of the way to level 1
    u, v, flags = wind_at(W, t0 + 5400.0, lat, lon, z)   # half-way in time: u shifted by 1.5
    assert flags == 0
    np.testing.assert_allclose(u, 2.0 * 0.25 + 0.3 * lon + 1.5, atol=2e-4)
    np.testing.assert_allclose(v, -0.25 + 0.2 * lat, atol=2e-4)


def test_extrapolation_below_the_lowest_level_and_outside_the_area_is_flagged():
    W = WindArrays.from_dataset(normalize_wind(_linear_field()))
    t0 = W.times[0]
    u, _, flags = wind_at(W, t0, 32.0, 122.0, 100.0)
    assert flags & BELOW
    np.testing.assert_allclose(u, 2.0 * ((100.0 - 820.0) / 500.0) + 0.3 * 122.0, atol=2e-4)  # linear beyond
    _, _, flags = wind_at(W, t0, 50.0, 122.0, 2000.0)
    assert flags & AREA
