"""Shared fixtures of the evidence tests: a small synthetic survey written as canonical CSV."""

from __future__ import annotations

import pytest

from corridor.evidence.synth import draw_sample, draw_truth


@pytest.fixture(scope="session")
def truth():
    return draw_truth(7)


@pytest.fixture(scope="session")
def survey(truth):
    return draw_sample(truth, 2000, seed=7)


@pytest.fixture
def survey_csv(survey, tmp_path):
    path = tmp_path / "survey.csv"
    survey.to_csv(path, index=False)
    return path
