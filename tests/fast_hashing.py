"""Cheaper Argon2 parameters for the tests (the product keeps the defaults).

``tests/conftest.py`` imports the fixture, so it applies to every test: a password hash costs
about a millisecond instead of a third of a second (each ``world`` fixture makes a dozen
accounts). A test that counts or replaces the hasher monkeypatches ``accounts._HASHER`` itself.
"""

import pytest
from argon2 import PasswordHasher


@pytest.fixture(autouse=True)
def fast_argon2(monkeypatch):
    from corridor.access import accounts

    monkeypatch.setattr(accounts, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
