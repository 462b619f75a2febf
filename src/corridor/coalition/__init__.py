"""The coalition ledger: organisations, campaigns and activities, private by default.

Pure rules live here (who may do what, overlaps and gaps, the audit chain, HXL exchange, currency
conversion); the tables are in :mod:`corridor.store` and the pages in :mod:`corridor.web`.
"""
