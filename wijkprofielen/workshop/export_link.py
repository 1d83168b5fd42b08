"""Workshop placements for the wijkprofiel export: closed workshops only, anonymised.

The export (:class:`wijkprofielen.export.exporter.Exporter`) takes a callable
``plaatsingen(buurtcode) -> DataFrame``; :func:`closed_placements` builds it on the shared
store. Only closed workshops count (an open one is still changing) and participants
appear as "Deelnemer n": a one-pager travels further than the workshop room.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from .. import opslag
from ..config import Config
from ..errors import WijkprofielenError
from .store import WorkshopStore

TOELICHTING = ("Alleen afgesloten workshops; deelnemers zijn geanonimiseerd (‘Deelnemer 1’, …). "
               "Een plaatsing is de inschatting van een deelnemer, geen meting.")


def store_exists(url: str) -> bool:
    """False for an SQLite file that does not exist yet: then no workshop was ever held there."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return True
    return Path(parsed.database).exists()


def closed_placements(url: str | None = None, *, cfg: Config | None = None,
                      store: WorkshopStore | None = None) -> Callable[[str], pd.DataFrame] | None:
    """``buurtcode -> DataFrame`` of placements in closed workshops, anonymised.

    Parameters
    ----------
    url : str, optional
        Store URL; default ``$WIJKPROFIELEN_DATABASE`` or ``[opslag] database`` of ``cfg``.
    cfg : Config, optional
    store : WorkshopStore, optional
        An already opened store (the app caches one); ``url``/``cfg`` are then ignored.

    Returns
    -------
    callable or None
        None when the configured SQLite file does not exist (no workshops; nothing is
        created). The frames carry ``attrs["toelichting"]``, printed on the one-pager.

    Raises
    ------
    WijkprofielenError
        When the store cannot be opened (invalid URL, unreachable server, newer schema).
    """
    if store is None:
        resolved = opslag.resolve_url(url or opslag.configured_url(cfg))
        if not store_exists(resolved):
            return None
        try:
            store = WorkshopStore(resolved)
        except SQLAlchemyError as exc:
            raise WijkprofielenError(f"De workshopopslag {opslag.describe_url(resolved)} is niet bereikbaar "
                                     f"({type(exc).__name__}). Controleer opslag.database of WIJKPROFIELEN_DATABASE.") from None

    def plaatsingen(buurtcode: str) -> pd.DataFrame:
        try:
            out = store.buurt_placements(buurtcode, alleen_gesloten=True, anoniem=True)
        except SQLAlchemyError as exc:
            raise WijkprofielenError(f"Workshopplaatsingen van {buurtcode} konden niet worden gelezen "
                                     f"({type(exc).__name__}). Probeer het opnieuw.") from None
        out.attrs["toelichting"] = TOELICHTING
        return out

    return plaatsingen
