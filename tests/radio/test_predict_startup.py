"""``corridor radio predict`` starts light: no matplotlib or pandas on its path.

PyIRI's package imports its plotting module (matplotlib) though a prediction draws nothing: the
ionosphere module registers that one module as a stand-in read on first use. The CSV is written
without pandas, byte for byte as pandas wrote it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from corridor.channels.radio import cases, ionosphere, ssn

CASE05 = Path(__file__).parent / "data" / "voacapl" / "case05.json"
#: What the prediction must not import: drawing and table libraries, and the gridded-data stack.
HEAVY = ("pandas", "matplotlib", "xarray", "netCDF4", "opt_einsum")


def _small_case(tmp_path: Path) -> Path:
    """The shipped case 05 on a 5 × 5 grid and two hours."""
    case = json.loads(CASE05.read_text())
    case["utc_hours"] = [3, 15]
    case["receiver"]["grid"].update(lat_max=38.5, lon_max=125.0)
    src = tmp_path / "case.json"
    src.write_text(json.dumps(case))
    return src


def _loaded_after(code: str, *args: str) -> tuple[subprocess.CompletedProcess, list[str]]:
    head = "import json, sys\nheavy = sys.argv[1:]\n"
    tail = "\nprint('LOADED', json.dumps(sorted(m for m in heavy if m in sys.modules)))"
    r = subprocess.run([sys.executable, "-c", head + code + tail, *HEAVY, *args],
                       check=False, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    last = r.stdout.strip().splitlines()[-1]
    assert last.startswith("LOADED ")
    return r, json.loads(last.removeprefix("LOADED "))


def test_predict_command_imports_no_heavy_library(tmp_path):
    src, out = _small_case(tmp_path), tmp_path / "pred.csv"
    code = "\n".join([
        "from corridor.cli import main",
        f"sys.argv = ['corridor', 'radio', 'predict', {str(src)!r}, '--out', {str(out)!r}]",
        "try:",
        "    main()",
        "except SystemExit as exc:",
        "    assert not exc.code, exc.code",
    ])
    r, loaded = _loaded_after(code)
    assert "50 rows (5 × 5 points, 2 hours)" in r.stdout
    assert len(out.read_text().splitlines()) == 1 + 50
    assert loaded == [], (f"`corridor radio predict` imported {loaded}: the command should predict with "
                          "cases.predict_table and write with cases.write_csv (no pandas)")


def test_prediction_and_csv_import_no_heavy_library(tmp_path):
    src, out = _small_case(tmp_path), tmp_path / "pred.csv"
    code = "\n".join([
        "from corridor.channels.radio import cases",
        f"cases.write_csv(cases.predict_table(cases.read_case({str(src)!r})), {str(out)!r})",
    ])
    _, loaded = _loaded_after(code)
    assert loaded == []
    assert out.read_text().splitlines()[0].split(",") == cases.COLUMNS


def test_csv_is_written_as_pandas_writes_it(tmp_path):
    import pandas as pd

    table = cases.predict_table(cases.read_case(_small_case(tmp_path)))
    assert list(table) == cases.COLUMNS and all(len(v) == 50 for v in table.values())
    odd = dict(table)
    odd["muf_mhz"] = np.array([np.nan, np.inf, -np.inf, -0.0, 1e-5, 1e16, 0.1 + 0.2, 123456789.125, 2.0, 1 / 3] * 5)
    odd["mode"] = np.array(["", "1F2", "12E", "2F2", "3F2"] * 10)
    for t in (table, odd):
        cases.write_csv(t, tmp_path / "ours.csv")
        pd.DataFrame(t).to_csv(tmp_path / "pandas.csv", index=False)
        assert (tmp_path / "ours.csv").read_bytes() == (tmp_path / "pandas.csv").read_bytes()
    frame = cases.predict_case(cases.read_case(_small_case(tmp_path)))
    assert list(frame.columns) == cases.COLUMNS
    assert frame.equals(pd.DataFrame(table))
    rows, n_lat, n_lon, n_hours = cases.table_shape(table)
    assert (rows, n_lat, n_lon, n_hours) == (50, 5, 5, 2)


def test_rows_are_sorted_by_hour_lat_lon_whatever_the_hour_order(tmp_path):
    case = cases.read_case(_small_case(tmp_path))
    shuffled = cases.predict_table(dict(case, utc_hours=[15, 3]))
    ordered = cases.predict_table(dict(case, utc_hours=[3, 15]))
    for name in cases.COLUMNS:
        assert np.array_equal(shuffled[name], ordered[name]), name
    keys = list(zip(ordered["utc_hour"], ordered["lat"], ordered["lon"]))
    assert keys == sorted(keys)


# --- PyIRI itself, without its plotting module until something draws -------------------------------

@pytest.fixture(scope="module")
def pyiri():
    import PyIRI
    import PyIRI.igrf_library as igrf
    import PyIRI.main_library as iri

    return PyIRI.coeff_dir, igrf, iri


def test_pyiri_is_used_and_its_plotting_loads_when_asked():
    code = "\n".join([
        "from corridor.channels.radio import ionosphere",
        "ionosphere.at_points(7, [3, 15], [125.0, 127.0], [39.0, 41.0], 80.0)",
        "assert 'PyIRI.main_library' in sys.modules and 'matplotlib' not in sys.modules",
        "import PyIRI",
        "assert callable(PyIRI.plotting.PyIRI_plot_NmF2)      # read from its file on first use",
        "assert 'matplotlib' in sys.modules",
    ])
    r = subprocess.run([sys.executable, "-c", "import sys\n" + code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr


def test_map_index_is_pyiri_s(pyiri):
    _, _, iri = pyiri
    for r in np.linspace(0.0, 300.0, 601):
        assert ssn.map_index(float(r)) == float(max(iri.R12_2_IG12(float(r), version=2), 0.0))


def test_points_shared_by_every_hour_give_the_per_hour_values():
    maps = ionosphere.IonosphereMaps.covering(7, np.arange(24.0), 80.0, [120.0, 135.0], [30.0, 45.0])
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(120, 135, 300), rng.uniform(30, 45, 300)
    shared = maps.at(lon, lat)
    per_hour = maps.at(np.broadcast_to(lon, (24, 300)).copy(), np.broadcast_to(lat, (24, 300)).copy())
    for name in ("fof2_mhz", "m3000", "foe_mhz", "solar_zenith_deg", "gyro_300km_mhz", "dip_deg", "lat_deg"):
        a, b = getattr(shared, name), getattr(per_hour, name)
        assert a.shape == b.shape == (24, 300) and np.array_equal(a, b), name
