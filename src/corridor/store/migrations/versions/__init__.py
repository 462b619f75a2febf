"""Revision files, applied in order by :func:`corridor.store.upgrade`."""
