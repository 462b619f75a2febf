"""Attacks on the running service, done as an outsider or a hostile insider would.

Each test performs one attack through HTTP (a real app on a fresh database) or the CLI, and
fails if the attack works. The fixtures are the web tests' own: orgs A and B, a user and an API
token for every role in each, and a client.
"""

from tests.web.conftest import (PASSWORD, app, bearer, client, csrf_of, login,  # noqa: F401  (fixtures)
                                world)
