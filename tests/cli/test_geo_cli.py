"""``corridor geo`` as a user runs it: real processes, real exit codes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_runner import assert_user_error, run_process

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


run = run_process


def test_summary_2008_json_is_the_census(grid2008):
    data = json.loads(run("geo", "summary", "--year", "2008", "--json", check=True).stdout)
    assert data["year"] == 2008
    assert data["civilian"] == 23_349_859
    assert data["military"] == 702_372
    assert data["total"] == 24_052_231
    assert data["cells"] == grid2008.n_cells
    assert data["provinces"] == {
        "Pyongyang": 3255288, "South Pyongan": 4051696, "North Pyongan": 2728662,
        "Jagang": 1299830, "South Hwanghae": 2310485, "North Hwanghae": 2113672,
        "Kangwon": 1477582, "South Hamgyong": 3066013, "North Hamgyong": 2327362,
        "Ryanggang": 719269}


def test_summary_table_and_province_counties():
    proc = run("geo", "summary", "--year", "2030", "--province", "량강도", check=True)
    assert "Ryanggang" in proc.stdout and "Hyesan City" in proc.stdout
    assert "World Population Prospects 2024" in proc.stdout


@pytest.mark.parametrize("value", ["0", "-3"])
def test_bad_resolution(value):
    assert_user_error(run("geo", "summary", "--resolution-km", value), "--resolution-km", value)


def test_unknown_province_names_the_value():
    assert_user_error(run("geo", "summary", "--province", "Atlantis"), "--province", "Atlantis")


def test_unwritable_output_leaves_nothing(tmp_path):
    target = tmp_path / "missing" / "map.png"
    assert_user_error(run("geo", "map", "--out", str(target)), "--out", str(target))
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    assert_user_error(run("geo", "map", "--out", str(a_file / "map.png")), "--out", "folder does not exist")
    assert_user_error(run("geo", "map", "--out", str(tmp_path)), "is a directory")
    assert list(tmp_path.iterdir()) == [a_file]


def test_corrupt_cache_gives_one_line_and_rebuild_repairs_it(tmp_path):
    env_cache = tmp_path / "cache"
    env_cache.mkdir()
    env = {**os.environ, "CORRIDOR_CACHE_DIR": str(env_cache)}
    first = subprocess.run([sys.executable, "-m", "corridor", "geo", "summary", "--year", "2008",
                            "--resolution-km", "10", "--json"], capture_output=True, text=True, env=env)
    assert first.returncode == 0, first.stderr
    (cached,) = env_cache.glob("grid-*.parquet")
    cached.write_bytes(b"garbage")
    bad = subprocess.run([sys.executable, "-m", "corridor", "geo", "summary", "--resolution-km", "10"],
                         capture_output=True, text=True, env=env)
    assert_user_error(bad, str(cached), "corrupt")
    fixed = subprocess.run([sys.executable, "-m", "corridor", "geo", "summary", "--year", "2008",
                            "--resolution-km", "10", "--json", "--rebuild"], capture_output=True, text=True, env=env)
    assert fixed.returncode == 0
    assert json.loads(fixed.stdout)["civilian"] == json.loads(first.stdout)["civilian"]


def test_map_in_english_and_korean(tmp_path):
    for lang in ("en", "ko"):
        out = tmp_path / f"map-{lang}.png"
        proc = run("geo", "map", "--out", str(out), "--lang", lang, check=True)
        assert "missing from font" not in proc.stderr  # every Hangul glyph was found
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert out.stat().st_size > 100_000
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind
    assert_user_error(run("geo", "map", "--out", str(tmp_path / "x.png"), "--lang", "fr"), "--lang", "fr")


def test_loudspeaker_example_runs(tmp_path):
    out = tmp_path / "ls.png"
    proc = run("loudspeaker", "coverage", str(EXAMPLES / "loudspeaker" / "paju-night.yaml"), "--json",
               "--draws", "50", "--out", str(out), check=True)
    data = json.loads(proc.stdout)
    assert 0 < data["reached_lower90"] <= data["reached_median"] <= data["reached_upper90"] < data["population"]
    assert out.exists()


def test_loudspeaker_bad_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("spec:\n  lon: 126.7\n  lat: 37.9\n  sound_power_db: 0\n", encoding="utf-8")
    assert_user_error(run("loudspeaker", "coverage", str(bad)), str(bad), "spec.sound_power_db")
    bad.write_text("spec: [unclosed\n", encoding="utf-8")
    assert_user_error(run("loudspeaker", "coverage", str(bad)), "not valid YAML")
