"""``corridor radio validate d1``: the model judged on CCIR Data Bank D1 measurements.

The sample file holds three real paths of the data bank's development part (Luxembourg–
Bockhacken 175 km at 6.1 MHz, Bracknell–Norddeich 585 km at 3.3 and 14.4 MHz) with two months
each, and the bank's Table 3 (see tests/radio/data/README.md).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.cli_runner import run_in_process

SAMPLE = Path(__file__).parent / "data" / "d1_sample.txt"


def measured_hours(path: Path) -> dict[int, int]:
    """Hourly medians present (not 99) per path id, read straight from Table 2."""
    lines = path.read_text(encoding="latin-1").splitlines()
    start, end = lines.index("TABLE 2"), lines.index("TABLE 3")
    out: dict[int, int] = {}
    for line in lines[start:end]:
        if line[:3].strip().isdigit() and len(line) >= 80:
            vals = [int(line[8 + 3 * k: 11 + 3 * k]) for k in range(24)]
            out[int(line[:3])] = out.get(int(line[:3]), 0) + sum(v != 99 for v in vals)
    return out


@pytest.fixture(scope="module")
def comparison():
    from corridor.channels.radio import measured

    return measured.compare_d1(SAMPLE)


def test_every_measured_hour_is_compared_once(comparison):
    counts = measured_hours(SAMPLE)
    assert {int(i): int((comparison.path_id == i).sum()) for i in np.unique(comparison.path_id)} == counts
    assert comparison.skipped == {}
    assert np.all(np.isfinite(comparison.error_db)) and np.all(comparison.f_over_muf > 0)


def test_an_error_is_the_model_minus_the_measurement_at_that_utc_hour(comparison):
    from corridor.channels.radio import d1, hf

    # Path 8 (Bracknell–Norddeich, 3.3 MHz), July 1980: hour 01 measured 36 dB(µV/m). Hour k of
    # Table 2 is UTC hour k; R12 comes from Table 3.
    _, _, r12 = d1.read_d1(SAMPLE)
    iso = lambda off, elev: np.zeros(np.broadcast(off, elev).shape)   # noqa: E731
    pred = hf.predict(52.05, -1.2166667, [53.5666667], [7.1166667], freq_mhz=3.3, month=7,
                      utc_hours=np.arange(1, 25) % 24, ssn=r12[(1980, 7)], power_kw=1.0, gain=iso, year=1980)
    first = np.flatnonzero(comparison.path_id == 8)[0]
    assert comparison.error_db[first] == pytest.approx(pred.field_dbuv[0, 0] - 36.0, abs=1e-6)


def test_day_and_night_follow_the_sun_at_mid_path(comparison):
    sel = np.flatnonzero(comparison.path_id == 8)[:24]        # July 1980, every hour measured
    day = comparison.day[sel]
    assert not day[0] and not day[23]                          # 01 and 24 (00) UTC: night over the North Sea
    assert day[11]                                             # 12 UTC: day


def test_the_json_has_the_documented_keys_and_adds_up(monkeypatch, capsys):
    code, out, err = run_in_process(monkeypatch, capsys, "radio", "validate", "d1", SAMPLE, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data["hourly"]) == {"bias_db", "sd_db", "median_abs_db", "n"}
    assert set(data["paths"]) == {"bias_db", "sd_db", "n"}
    assert data["hourly"]["n"] == sum(measured_hours(SAMPLE).values()) and data["paths"]["n"] == 3
    assert sum(c["n"] for c in data["cells"]) == data["hourly"]["n"]
    assert {(c["distance"], c["daynight"]) for c in data["cells"]} == {
        (d, t) for d in ("<1000 km", "1000-3000 km", "3000-7000 km") for t in ("day", "night")}
    assert sum(b["n"] for b in data["frequency_bands"]) == data["hourly"]["n"]
    assert sum(b["n"] for b in data["f_over_muf"]) == data["hourly"]["n"]
    assert data["skipped"] == {}


def test_the_table_names_the_figures(monkeypatch, capsys):
    code, out, err = run_in_process(monkeypatch, capsys, "radio", "validate", "d1", SAMPLE)
    assert code == 0, err
    assert "hourly-weighted" in out and "path-weighted" in out and "<1000 km" in out


def test_paths_the_method_does_not_cover_are_left_out_and_counted(tmp_path):
    from corridor.channels.radio import measured

    text = SAMPLE.read_text(encoding="latin-1")
    far = " 99 FAR AWAY     ELSEWHERE     9.6 52.03N   1.13W 40.00S  70.00W  9999"
    low = " 98 LOW FREQ     NORDDEICH     1.2 52.03N   1.13W 53.34N   7.07E   585"
    row = "{:>3} 80 7" + " 20" * 24
    text = text.replace("TABLE 2", f"{far}\n{low}\nTABLE 2", 1)
    text = text.replace("TABLE 3", f"{row.format(99)}\n{row.format(98)}\nTABLE 3", 1)
    path = tmp_path / "d1.txt"
    path.write_text(text, encoding="latin-1")
    c = measured.compare_d1(path)
    assert c.skipped == {"longer than 7000 km": 1, "frequency outside 1.6-30 MHz": 1}
    assert 99 not in c.path_id and 98 not in c.path_id


@pytest.mark.parametrize("content, expect", [
    (None, "no such file"),
    ("just some text\n", "not a CCIR Data Bank D1 file"),
])
def test_a_bad_file_is_one_line_naming_it(monkeypatch, capsys, tmp_path, content, expect):
    path = tmp_path / "d1.txt"
    if content is not None:
        path.write_text(content)
    code, out, err = run_in_process(monkeypatch, capsys, "radio", "validate", "d1", path)
    assert code == 2 and expect in err and str(path) in err and len(err.strip().splitlines()) == 1


def test_a_damaged_row_names_its_line(monkeypatch, capsys, tmp_path):
    lines = SAMPLE.read_text(encoding="latin-1").splitlines()
    k = next(i for i, line in enumerate(lines) if line.startswith("  1 84 8"))
    lines[k] = lines[k][:20] + "xx" + lines[k][22:]
    path = tmp_path / "d1.txt"
    path.write_text("\n".join(lines), encoding="latin-1")
    code, out, err = run_in_process(monkeypatch, capsys, "radio", "validate", "d1", path)
    assert code == 2 and f"line {k + 1}" in err


def test_the_absorption_option_is_checked_and_reported(monkeypatch, capsys):
    code, _out, err = run_in_process(monkeypatch, capsys, "radio", "validate", "d1", SAMPLE, "--absorption", "nope")
    assert code != 0 and "--absorption" in err and "nope" in err and "d1_e_layer" in err
    code, out, err = run_in_process(monkeypatch, capsys, "radio", "validate", "d1", SAMPLE, "--json",
                                    "--absorption", "d1_e_layer")
    assert code == 0, err
    assert json.loads(out)["absorption"] == "d1_e_layer"
