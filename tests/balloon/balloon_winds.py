"""Fixtures for the balloon tests: the shipped wind samples (import them into a test module)."""

import pytest


@pytest.fixture(scope="session")
def january():
    """The shipped real GFS sample (valid 2011-01-15 12Z) as a normalised Dataset."""
    from corridor.channels.balloon.samples import open_sample

    return open_sample("gfs-2011-01-15")


@pytest.fixture(scope="session")
def rotating():
    """The shipped constructed, time-varying test field."""
    from corridor.channels.balloon.samples import open_sample

    return open_sample("rotating-2011-10-11")
