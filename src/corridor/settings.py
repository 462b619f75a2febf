"""Settings that apply to every command, the dashboard and the demo (light: imported at start-up).

- ``CORRIDOR_GRID_KM``: the side of the population grid's cells in km (default 5; 1 for detail).
  A command's ``--resolution-km`` option overrides it for one run.
- ``CORRIDOR_LANG``: the language of console output, ``en`` or ``ko``. When it is not set, the
  locale decides (the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set, as POSIX reads
  them: Korean under ``ko_KR.UTF-8``, else English). A command's ``--lang`` overrides both.
"""

from __future__ import annotations

import math
import os

from corridor.errors import CorridorError

GRID_KM_ENV = "CORRIDOR_GRID_KM"
DEFAULT_GRID_KM = 5.0
#: Finest and coarsest cell sides (km). Below 0.5 km the grid outgrows memory; above 80 km a
#: province can be left without a cell of its own (90 km cells leave two).
MIN_GRID_KM = 0.5
MAX_GRID_KM = 80.0


def validate_resolution(resolution_km, *, field: str = "--resolution-km") -> float:
    """The cell side in km as a float, or a :class:`CorridorError` naming ``field`` and the value."""
    try:
        value = float(resolution_km)
    except (TypeError, ValueError):
        raise CorridorError("must be a number of km", field=field, value=resolution_km) from None
    if not math.isfinite(value) or value <= 0:
        raise CorridorError("must be a positive number of km", field=field, value=resolution_km)
    if value < MIN_GRID_KM:
        raise CorridorError(f"finer than {MIN_GRID_KM:g} km is not supported", field=field, value=resolution_km)
    if value > MAX_GRID_KM:
        raise CorridorError(f"coarser than {MAX_GRID_KM:g} km would leave provinces without a cell",
                            field=field, value=resolution_km)
    return value


def grid_resolution_km(resolution_km: float | None = None) -> float:
    """The grid resolution to use: ``resolution_km`` when given (a command's option), else
    ``$CORRIDOR_GRID_KM``, else 5 km."""
    if resolution_km is not None:
        return validate_resolution(resolution_km)
    env = os.environ.get(GRID_KM_ENV, "").strip()
    if env:
        return validate_resolution(env, field=GRID_KM_ENV)
    return DEFAULT_GRID_KM


LANG_ENV = "CORRIDOR_LANG"
#: The locale variables, in the order POSIX consults them for messages.
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")


def default_language(environ=None) -> str:
    """The console's language when no ``--lang`` is given: ``$CORRIDOR_LANG``, else Korean under
    a Korean locale, else English (an unsupported ``$CORRIDOR_LANG`` is refused by ``--lang``'s
    check, naming the variable's value)."""
    env = os.environ if environ is None else environ
    explicit = env.get(LANG_ENV, "").strip()
    if explicit:
        return explicit
    for name in LOCALE_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"
