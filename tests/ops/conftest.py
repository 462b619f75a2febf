"""The web tests' fixtures, for the tests that check a server operation on a real app: orgs A
and B, a user and an API token for every role in each, and a client."""

from tests.web.conftest import app, client, world  # noqa: F401  (fixtures)
