"""Reach models, one package per channel.

Each channel turns an :class:`~corridor.channels.base.Activity` into a
:class:`~corridor.channels.base.Coverage` over the population grid. Importing this package
registers every channel; :func:`get_channel` finds one by name.
"""

from corridor.channels.base import (Activity, Channel, ChannelSpec, Coverage, all_channels,
                                    get_channel, parse_activity, register)
from corridor.channels import loudspeaker  # noqa: F401,E402  (registers the channel)
from corridor.channels import radio  # noqa: F401,E402  (registers the channel)
from corridor.channels import balloon  # noqa: F401,E402  (registers the channel)
from corridor.channels import border  # noqa: F401,E402  (registers the channel)
from corridor.channels import satellite  # noqa: F401,E402  (registers the channel)

__all__ = ["Activity", "Channel", "ChannelSpec", "Coverage", "all_channels", "get_channel",
           "parse_activity", "register"]
