"""Radio broadcasts into North Korea: shortwave and mediumwave reach over the population grid.

Physics as plain functions: :mod:`.geometry`, :mod:`.ionosphere` (PyIRI CCIR maps), :mod:`.muf`,
:mod:`.loss`, :mod:`.absorption` (ITU-R P.533 Figs. 1–3), :mod:`.noise` (ITU-R P.372), :mod:`.reliability` (ITU-R P.533 §10),
:mod:`.antennas`, :mod:`.groundwave` (NTIA LF/MF), :mod:`.jamming`; composition in :mod:`.hf`
(ITU-R P.533-14 short-path chain) and :mod:`.channel`; listener assumptions in
:mod:`.listeners`; the VOACAP-style case format in :mod:`.cases`.
"""

from corridor.channels.radio.channel import RadioChannel
from corridor.channels.radio.schedule import RadioSpec

__all__ = ["RadioChannel", "RadioSpec"]
