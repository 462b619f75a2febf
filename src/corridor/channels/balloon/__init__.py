"""Leaflet balloons: where the wind carries them, where their payloads land, whom they reach.

Physics and statistics are plain functions (``windfield``, ``interpolation``, ``integrate``,
``atmosphere``, ``fall``, ``landing``, ``ensemble``); ``channel`` composes them into the
registered :class:`~corridor.channels.balloon.channel.BalloonChannel`.
"""


__all__ = ["LEGAL_NOTICE", "BalloonChannel", "LaunchSpec"]


def __getattr__(name: str):
    """The channel and its spec are imported when first asked for (they load NumPy, pandas, the
    compiled kernels and the outlines); the legal notice alone, which every balloon command's help
    shows, costs nothing."""
    if name in ("BalloonChannel", "LaunchSpec"):
        from corridor.channels.balloon import channel

        return getattr(channel, name)
    if name == "LEGAL_NOTICE":
        from corridor.channels.balloon.legal import LEGAL_NOTICE

        return LEGAL_NOTICE
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
