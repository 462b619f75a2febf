"""Leaflet balloons: where the wind carries them, where their payloads land, whom they reach.

Physics and statistics are plain functions (``windfield``, ``interpolation``, ``integrate``,
``atmosphere``, ``fall``, ``landing``, ``ensemble``); ``channel`` composes them into the
registered :class:`~corridor.channels.balloon.channel.BalloonChannel`.
"""

from corridor.channels.balloon.channel import BalloonChannel, LaunchSpec  # noqa: F401
from corridor.channels.balloon.legal import LEGAL_NOTICE  # noqa: F401
