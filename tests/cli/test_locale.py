"""The console speaks the reader's language: --lang, else $CORRIDOR_LANG, else a Korean locale."""

from __future__ import annotations

import os

import pytest

from corridor.settings import default_language
from tests.cli_runner import run_process


@pytest.mark.parametrize("env, want", [
    ({}, "en"),
    ({"LANG": "ko_KR.UTF-8"}, "ko"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "ko_KR.UTF-8"}, "ko"),       # LC_ALL wins, as in POSIX
    ({"LC_ALL": "C.UTF-8", "LANG": "ko_KR.UTF-8"}, "en"),
    ({"LANG": "ko_KR.UTF-8", "CORRIDOR_LANG": "en"}, "en"),         # the setting wins over the locale
])
def test_the_default_language_follows_the_setting_then_the_locale(env, want):
    assert default_language(env) == want


def _korean(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def test_a_korean_locale_makes_channel_commands_answer_in_korean(tmp_path):
    bad = tmp_path / "speaker.yaml"
    bad.write_text("channel: loudspeaker\nid: a\nstart: 2024-07-21T22:00:00+09:00\n"
                   "spec: {lon: 126.7, lat: 37.9, sound_power_db: 170, azimuth_deg: 0, period: night}\n",
                   encoding="utf-8")
    env = {**os.environ, "CORRIDOR_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "ko_KR.UTF-8"}
    ko = run_process("loudspeaker", "coverage", str(bad), "--draws", "20", env=env, timeout=300)
    assert ko.returncode == 0, ko.stderr[-2000:]
    assert _korean(ko.stdout)
    en = run_process("loudspeaker", "coverage", str(bad), "--draws", "20", "--lang", "en", env=env, timeout=300)
    assert en.returncode == 0 and not _korean(en.stdout)
    wrong = run_process("loudspeaker", "coverage", str(bad), env={**env, "CORRIDOR_LANG": "fr"})
    assert wrong.returncode == 2 and "fr" in wrong.stderr and "Traceback" not in wrong.stderr
