"""Smuggled media (USB sticks, SD cards, DVDs) entering across the Chinese border and spreading.

Physics-free but the same pattern as the other channels: the model as plain functions over
arrays (:mod:`.parameters` the table of assumptions, :mod:`.network` the trade network,
:mod:`.spread` the metapopulation simulator), composed into a
:class:`~corridor.channels.base.Coverage` in :mod:`.channel`. Method in ``docs/border-model.md``.
"""

from corridor.channels.border.channel import BorderChannel, BorderSpec

__all__ = ["BorderChannel", "BorderSpec"]
