"""Reach models, one package per channel.

Each channel turns an :class:`~corridor.channels.base.Activity` into a
:class:`~corridor.channels.base.Coverage` over the population grid. The channels are named here
with the module that defines each; a channel's package (and its models) is imported the first
time :func:`get_channel` or :func:`all_channels` asks for it.
"""

from corridor.channels.base import (
    Activity,
    Channel,
    ChannelSpec,
    Coverage,
    all_channels,
    channel_title,
    get_channel,
    parse_activity,
    register,
    register_module,
)

# name -> the name people read (English; Korean in the catalogue), the one place it is defined
register_module("loudspeaker", "corridor.channels.loudspeaker", "Loudspeakers")
register_module("radio", "corridor.channels.radio", "Radio")
register_module("border", "corridor.channels.border", "Smuggled media")
register_module("satellite", "corridor.channels.satellite", "Satellite")
# the balloon package imports nothing on its own (its commands' help needs only the legal notice)
register_module("balloon", "corridor.channels.balloon.channel", "Leaflet balloons")

__all__ = ["Activity", "Channel", "ChannelSpec", "Coverage", "all_channels", "channel_title", "get_channel",
           "parse_activity", "register", "register_module"]
