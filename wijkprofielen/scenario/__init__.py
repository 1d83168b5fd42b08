"""Scenarios against the city's targets: model, targets, evaluation, store.

See :mod:`.model` (validated scenario JSON), :mod:`.doelen` (``[doelen.GMxxxx]``),
:mod:`.evaluate` (zooming out) and :mod:`.store` (SQLAlchemy, append-only versions).
"""

from .doelen import Doelen, doelen_for
from .evaluate import Evaluatie, Waarschuwing, compare, compare_buurten, evaluate
from .model import CATALOGUE, SEGMENTS, Maatregel, Scenario, Soort, known_interventions, load_scenario_json, parse_scenario

__all__ = [
    "CATALOGUE", "SEGMENTS", "Doelen", "Evaluatie", "Maatregel", "Scenario", "Soort", "Waarschuwing",
    "compare", "compare_buurten", "doelen_for", "evaluate", "known_interventions",
    "load_scenario_json", "parse_scenario",
]
