"""The channel commands' shared skeleton: the grid resolution they are asked for, and console
output in the language asked for."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import run_in_process

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "loudspeaker" / "paju-night.yaml"


def _hangul(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def test_the_resolution_option_and_setting_choose_the_grid(monkeypatch, capsys):
    code, out, err = run_in_process(monkeypatch, capsys, "loudspeaker", "coverage", EXAMPLE, "--draws", "20",
                                    "--resolution", "10", "--json")
    assert code == 0, err
    ten = json.loads(out)
    assert ten["resolution_km"] == 10.0
    monkeypatch.setenv("CORRIDOR_GRID_KM", "20")
    code, out, err = run_in_process(monkeypatch, capsys, "loudspeaker", "coverage", EXAMPLE, "--draws", "20",
                                    "--json")
    assert code == 0, err
    twenty = json.loads(out)
    assert twenty["resolution_km"] == 20.0
    # the same country on either grid: the same people, in different cells
    assert twenty["population"] == pytest.approx(ten["population"], rel=1e-6)


def test_console_output_follows_lang(monkeypatch, capsys):
    code, out_en, err = run_in_process(monkeypatch, capsys, "loudspeaker", "coverage", EXAMPLE, "--draws", "20")
    assert code == 0, err
    assert "people who could understand it" in out_en and not _hangul(out_en.splitlines()[0])
    code, out_ko, err = run_in_process(monkeypatch, capsys, "loudspeaker", "coverage", EXAMPLE, "--draws", "20",
                                       "--lang", "ko")
    assert code == 0, err
    first = out_ko.splitlines()[0]
    assert _hangul(first) and "people who could understand it" not in first
    # the figures are the same whatever the language
    digits = [w for w in out_en.splitlines()[0].replace("(", " ").split() if w[:1].isdigit()]
    assert all(d.rstrip(",)") in first for d in digits[:2])
