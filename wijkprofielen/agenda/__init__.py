"""The yearly cycle of the prestatieafspraken: afspraken, uitvoeringsagenda and monitor.

:mod:`.model` validates afspraken (the JSON exchange format), :mod:`.bronnen` turns a
closed workshop's pins or a scenario's measures into afspraken, :mod:`.store` keeps every
version (SQLite or PostgreSQL), :mod:`.uitvoering` makes the agenda of one year (XLSX, CSV,
PDF) and :mod:`.monitor` looks back: indicator changes next to comparable buurten, the
quadrant then and now, the flags for bijsturen, and the city's homes against the targets.
"""

from .model import RICHTINGEN, STATUSSEN, Afspraak, Doelindicator, Herkomst, parse_afspraak, parse_afspraken
from .monitor import Monitor, build_monitor, city_view, monitor_dataset
from .store import AgendaStore

__all__ = ["RICHTINGEN", "STATUSSEN", "Afspraak", "AgendaStore", "Doelindicator", "Herkomst", "Monitor",
           "build_monitor", "city_view", "monitor_dataset", "parse_afspraak", "parse_afspraken"]
