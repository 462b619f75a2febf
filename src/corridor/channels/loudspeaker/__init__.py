"""Loudspeaker broadcasts across the Military Demarcation Line.

The simplest channel, and the pattern for the others: physics in :mod:`.acoustics` (plain
functions over arrays, ISO 9613-2), composition into a :class:`~corridor.channels.base.Coverage`
in :mod:`.channel`.
"""

from corridor.channels.loudspeaker.channel import LoudspeakerChannel, LoudspeakerSpec

__all__ = ["LoudspeakerChannel", "LoudspeakerSpec"]
