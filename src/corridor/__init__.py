"""Corridor: coordinate, model and assess outside-information campaigns into North Korea.

The package is laid out the way data flows (see ``docs/architecture.md``):

- :mod:`corridor.geo`      North Korea as data: boundaries, census, places, the population grid.
- :mod:`corridor.channels` one reach model per channel, each turning an :class:`Activity` into a :class:`Coverage`.
- :mod:`corridor.assess`   the assessment that combines the coverages.
- :mod:`corridor.presentation` maps, charts, the PDF report, fonts and number formatting.
- :mod:`corridor.cli`      the ``corridor`` command, a thin face over the functions above.
"""

__version__ = "0.1.0"
