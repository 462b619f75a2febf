"""Direct-to-home satellite: a geostationary beam over Korea and who could watch it.

Geometry in :mod:`.geometry`, the link budget in :mod:`.link` (ITU-R P.618, P.676 and P.840
through ``itur``), DVB-S2 modes and datacasting in :mod:`.dvbs2`, dish ownership in
:mod:`.ownership`; composition into a :class:`~corridor.channels.base.Coverage` in
:mod:`.channel`. Method in ``docs/satellite-model.md``.
"""

from corridor.channels.satellite.channel import SatelliteChannel, SatelliteSpec

__all__ = ["SatelliteChannel", "SatelliteSpec"]
