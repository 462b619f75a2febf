"""Alembic migrations of the Corridor database (one revision file per schema change)."""
