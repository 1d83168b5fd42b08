"""Workshop mode (gebiedsatelier): place buurten together, pin interventions, compare with the data.

``store`` keeps workshops as append-only events (SQLite or PostgreSQL) on the tables of
``schema``; ``events`` replays them into the current state, ``exchange`` is the export
format, ``ratelimit`` slows down guessing, ``text`` cleans what people type. ``analyse``
derives spread, disagreement and pin tallies, ``charts`` draws the assenkruis for placing.
"""

from .analyse import disagreement, pin_colours, pin_tally
from .events import Deelnemer, Workshop, current_pins, current_placements
from .settings import store_settings
from .store import WorkshopStore

__all__ = ["Deelnemer", "Workshop", "WorkshopStore", "current_pins", "current_placements", "disagreement",
           "pin_colours", "pin_tally", "store_settings"]
