"""The two refusals of the access core.

Both are answered without naming the record: a reader who may not know a record exists gets the
same :class:`NotFound` for it as for a record that does not exist.
"""

from __future__ import annotations


class Forbidden(Exception):
    """The actor may see the record but not do this to it (HTTP 403)."""


class NotFound(Exception):
    """No such record, or one the actor may not know exists (HTTP 404)."""
