"""Workshop mode (gebiedsatelier): place buurten together, pin interventions, compare with the data.

``store`` keeps workshops as append-only events (SQLite or PostgreSQL), ``analyse`` derives
spread, disagreement and pin tallies, ``charts`` draws the assenkruis for placing.
"""

from .analyse import disagreement, pin_colours, pin_tally
from .store import Deelnemer, Workshop, WorkshopStore

__all__ = ["Deelnemer", "Workshop", "WorkshopStore", "disagreement", "pin_colours", "pin_tally"]
