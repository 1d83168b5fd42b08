"""Gebieden: wijken and a team's own areas (named sets of buurten), their figures and scores.

* :mod:`.model`: :class:`Gebied`, reading CSV/XLSX/JSON, writing JSON/CSV, checks;
* :mod:`.store`: :class:`GebiedenStore`, versioned in the shared store;
* :mod:`.aggregate`: from buurten to wijk and gebied figures (published first, computed by kind);
* :mod:`.niveau`: scores against wijken, the spread of the buurten, dissolved outlines.
"""

from .aggregate import Eenheden, aggregate, wijk_members
from .model import Gebied, check_codes, check_names, from_json, read_gebieden, to_csv, to_frame, to_json
from .niveau import NIET_EENDUIDIG, Niveauprofiel, dissolved, score_units, spread

_STORE = ("GebiedenStore", "GebiedInfo")


def __getattr__(name: str):
    # The store brings SQLAlchemy (a tenth of a second and some MB); pages that only read
    # figures, such as the Kaart, do without it.
    if name in _STORE:
        from . import store

        return getattr(store, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "Eenheden", "Gebied", "GebiedInfo", "GebiedenStore", "NIET_EENDUIDIG", "Niveauprofiel", "aggregate", "check_codes",
    "check_names", "dissolved", "from_json", "read_gebieden", "score_units", "spread", "to_csv", "to_frame", "to_json",
    "wijk_members",
]
