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
    get_channel,
    parse_activity,
    register,
    register_module,
)

for _name in ("loudspeaker", "radio", "border", "satellite"):
    register_module(_name, f"corridor.channels.{_name}")
del _name
# the balloon package imports nothing on its own (its commands' help needs only the legal notice)
register_module("balloon", "corridor.channels.balloon.channel")

__all__ = ["Activity", "Channel", "ChannelSpec", "Coverage", "all_channels", "get_channel",
           "parse_activity", "register", "register_module"]
