"""The gebieden of the app: the shared store, the gebieden of the shown dataset and the level's units.

A gebied belongs to a dataset when all its buurten lie in it. The store is opened once per
database URL and shared by all sessions; the sidebar, the pages and the workshop read the
gebieden through here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from .. import gebieden
from ..dataset import Dataset
from ..domain import NIVEAU_LABELS
from ..errors import WijkprofielenError
from ..gebieden import Gebied, Niveauprofiel
from . import loaders, session

if TYPE_CHECKING:
    from ..gebieden import GebiedenStore


@st.cache_resource(show_spinner=False)
def _store_cached(url: str) -> GebiedenStore:
    return gebieden.GebiedenStore(url)


def open_store() -> GebiedenStore:
    """The shared gebieden store (``[opslag] database`` or ``WIJKPROFIELEN_DATABASE``); raises on an error."""
    # The store and SQLAlchemy load on the first page that opens it; the Kaart does without.
    from .. import opslag

    cfg = loaders.load_config()
    return _store_cached(opslag.resolve_url(opslag.configured_url(cfg)))


def store() -> GebiedenStore:
    """The shared gebieden store; on an error, say why in Dutch and stop this page."""
    try:
        return open_store()
    except WijkprofielenError as exc:
        st.error(f"De opslag van gebieden kan niet worden geopend: {exc}")
    except Exception as exc:  # noqa: BLE001 - an unreachable database: the page says so, the app stays up
        st.error(f"De database van de gebieden is niet bereikbaar ({type(exc).__name__}). Controleer opslag.database "
                 "in config.toml of WIJKPROFIELEN_DATABASE en probeer het opnieuw.")
    st.stop()


def of_dataset(ds: Dataset, s: GebiedenStore | None = None) -> list[Gebied]:
    """The stored gebieden (latest versions) whose buurten all lie in ``ds``, by name."""
    try:
        s = s or open_store()
        stored = s.load_all()
    except Exception:  # noqa: BLE001 - without a store there are no gebieden; the Gebiedsprofiel page says why
        return []
    codes = set(ds.codes)
    return [g for g in stored if set(g.buurtcodes) <= codes]


def names(ds: Dataset) -> list[str]:
    """The names of the gebieden of ``ds`` (for the sidebar)."""
    return [g.naam for g in of_dataset(ds)]


def chosen(ds: Dataset) -> list[Gebied]:
    """The gebieden the sidebar chose (all of the dataset when none is chosen)."""
    alle = of_dataset(ds)
    keep = set(session.chosen_gebieden())
    return [g for g in alle if g.naam in keep] or alle


def gemeentecode(ds: Dataset) -> str | None:
    """The dataset's gemeente when it has one (stored with a new gebied), else None."""
    codes = ds.gebieden["gemeentecode"].unique()
    return str(codes[0]) if len(codes) == 1 else None


def level_profile(ds: Dataset, cfg, niveau: str | None = None) -> Niveauprofiel | None:
    """The profile of the sidebar's level (wijk, or the chosen gebieden); None at buurt level or
    when no gebied exists yet (the caller says so)."""
    niveau = niveau or session.niveau()
    if niveau == "buurt":
        return None
    gebieden = chosen(ds) if niveau == "gebied" else None
    if niveau == "gebied" and not gebieden:
        return None
    return loaders.level(ds, cfg, niveau, gebieden)


def unit_names(profile: Niveauprofiel) -> dict[str, str]:
    """``{eenheid: naam}`` of a level's units."""
    f = profile.eenheden.frame
    return dict(zip(f["eenheid"].astype(str), f["naam"].astype(str)))


def current_unit(profile: Niveauprofiel) -> str:
    """The unit to show (a wijk or a gebied): from the URL (``?eenheid=…``, once per new value), the
    session or the first one. A link naming a unit that does not exist at this level gets a Dutch
    warning."""
    options = unit_names(profile)
    raw = st.query_params.get(session.EENHEID_KEY)
    seen = st.session_state.setdefault(session.URL_SEEN, {})
    if raw is not None and seen.get(session.EENHEID_KEY) != raw:
        seen[session.EENHEID_KEY] = raw
        if raw in options:
            st.session_state[session.EENHEID_KEY] = raw
        else:
            shown = raw if len(raw) <= 40 else raw[:40] + "…"
            st.warning(f"De link noemt “{shown}”, maar dat is geen {NIVEAU_LABELS[profile.niveau]} "
                       "van deze dataset. Het eerste wordt getoond; kies er zelf een.", icon=":material/link_off:")
    if st.session_state.get(session.EENHEID_KEY) not in options:
        st.session_state[session.EENHEID_KEY] = next(iter(options))
    return st.session_state[session.EENHEID_KEY]


def unit_selectbox(profile: Niveauprofiel, label: str | None = None) -> str:
    """The keyboard choice of the unit (:func:`current_unit`), kept in the URL."""
    options = unit_names(profile)
    current_unit(profile)
    label = label or ("Wijk" if profile.niveau == "wijk" else "Gebied")
    code = st.selectbox(label, list(options), format_func=lambda c: options[c] if profile.niveau == "gebied"
                        else f"{options[c]} ({c})", key=session.EENHEID_KEY)
    session.write_url(session.EENHEID_KEY, code)
    return code


def unit_buurten(profile: Niveauprofiel, eenheid: str) -> pd.DataFrame:
    """The buurten of one unit with their own scores and quadrant (from the profile)."""
    b = profile.buurten
    return b[b["eenheid"].astype(str) == str(eenheid)].reset_index(drop=True)
