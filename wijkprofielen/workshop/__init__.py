"""Workshop mode (gebiedsatelier): place buurten together, pin interventions, compare with the data.

>>> from wijkprofielen.workshop import WorkshopStore  # doctest: +SKIP
"""

from .analyse import disagreement, pin_colours, pin_tally
from .store import Deelnemer, Workshop, WorkshopStore

__all__ = ["Deelnemer", "Workshop", "WorkshopStore", "disagreement", "pin_colours", "pin_tally"]
