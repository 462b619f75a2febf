"""The access core: who may see and do what, for the ledger, the archive and every derived view.

- :mod:`~corridor.access.rules`: roles, named actions and one rule table per record kind, from
  which both the Python check and the SQL filter are made;
- :mod:`~corridor.access.tables`: organisations, users, memberships, sessions, tokens,
  enrolment codes, failures and the audit log;
- :mod:`~corridor.access.members`: organisations, accounts, memberships and tokens, and ending
  someone's access;
- :mod:`~corridor.access.accounts`: passwords, second factors and tokens as primitives;
- :mod:`~corridor.access.audit`: the hash-chained audit log;
- :mod:`~corridor.access.serverkey`: the key outside the database that seals secrets in it;
- :mod:`~corridor.access.views`: what each derived view may reveal about records a reader
  cannot read.

The ledger (:mod:`corridor.coalition`) and the archive (:mod:`corridor.archive`) ask it; it asks
nothing above it.
"""

from corridor.access.errors import Forbidden, NotFound

__all__ = ["Forbidden", "NotFound"]
