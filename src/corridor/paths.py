"""Where Corridor keeps its cache and its data on this computer.

Both follow the platform's conventions (``platformdirs``) and can be moved with environment
variables, for example to keep everything of one project together:

- ``CORRIDOR_CACHE_DIR``: rebuildable files (population grids). Safe to delete.
- ``CORRIDOR_DATA_DIR``: the user's own data (the local database). Back it up.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "corridor"


def cache_dir() -> Path:
    """Return the cache folder, creating it if needed."""
    path = Path(os.environ.get("CORRIDOR_CACHE_DIR") or platformdirs.user_cache_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    """Return the data folder, creating it if needed (mode 0700: it holds private records)."""
    path = Path(os.environ.get("CORRIDOR_DATA_DIR") or platformdirs.user_data_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
