"""Assess: which method is most effective, and where the next dollar should go.

:func:`~corridor.assess.engine.assess` combines the ledger's activities, their coverages, the
evidence and the costs; :mod:`~corridor.assess.allocate` suggests where a budget goes next.
"""

from corridor.assess.engine import Assessment, Evidence, Item, assess, load_assumptions

__all__ = ["Assessment", "Evidence", "Item", "assess", "load_assumptions"]
