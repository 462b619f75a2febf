"""Running a coalition server: whole-coalition backups and restores, and the health checks.

- :mod:`~corridor.ops.backup`: one encrypted, authenticated file holding the whole coalition
  (ledger, evidence, archive with its identities still sealed, audit log), checked completely
  before a restore writes anything;
- :mod:`~corridor.ops.doctor`: one line per check of a running server, with what to do;
- :mod:`~corridor.ops.rotate`: a new server key, with every second factor sealed again under it
  in one transaction (nobody enrols again).

It sits above the records (it reads every table and the archive's file store) and below the
command line; nothing imports it but ``corridor.cli.ops``.
"""
