"""Closed-workshop placements in the app: the source for the export and the Wijkprofiel expander."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from .. import opslag
from ..config import Config
from ..errors import WijkprofielenError
from ..formatting import MISSING, is_missing, score
from ..workshop.export_link import TOELICHTING, closed_placements, store_exists
from ..workshop.store import WorkshopStore
from . import layout

COLUMNS = {"workshop": "Workshop", "deelnemer": "Deelnemer", "draagkracht": "Draagkracht",
           "fysieke_kansen": "Fysieke kansen", "reden": "Reden", "tijd": "Tijd"}


def moment(value) -> str:
    """A time as people write it: day-month-year hours:minutes."""
    return MISSING if is_missing(value) else f"{pd.Timestamp(value):%d-%m-%Y %H:%M}"


@st.cache_resource(show_spinner=False)
def _store_cached(url: str) -> WorkshopStore:
    return WorkshopStore(url)


def source(cfg: Config) -> tuple[Callable[[str], pd.DataFrame] | None, str, str | None]:
    """``(plaatsingen, key, problem)`` for the configured store.

    ``plaatsingen`` is None when there is no store file yet or it cannot be opened;
    ``key`` identifies the source for caches; ``problem`` is a Dutch message when the store
    exists but cannot be opened (the export then goes without placements).
    """
    try:
        url = opslag.resolve_url(opslag.configured_url(cfg))
        if not store_exists(url):
            return None, "", None
        return closed_placements(store=_store_cached(url)), url, None
    except WijkprofielenError as exc:
        return None, "", str(exc)
    except Exception as exc:  # unreachable server: export without placements, the app stays up
        return None, "", f"de workshopdatabase is niet bereikbaar ({type(exc).__name__})"


def note_unavailable(problem: str | None) -> None:
    """Say that the export goes without workshop placements, and why."""
    if problem:
        st.caption(f":material/info: Workshopplaatsingen staan niet in de export: {problem}. "
                   "Controleer opslag.database in config.toml of WIJKPROFIELEN_DATABASE.")


def expander(plaatsingen: Callable[[str], pd.DataFrame] | None, code: str) -> None:
    """The placements of closed workshops for one buurt, as a plain (escaped) table."""
    with st.expander("Workshopplaatsingen"):
        if plaatsingen is None:
            st.caption("Geen workshopopslag gevonden: er zijn nog geen workshops gehouden.")
            return
        try:
            df = plaatsingen(code)
        except WijkprofielenError as exc:
            st.warning(str(exc))
            return
        if not len(df):
            st.caption("Deze buurt is nog in geen enkele afgesloten workshop geplaatst.")
            return
        st.caption(TOELICHTING)
        # st.dataframe shows cell text literally: participants' reasons are never rendered as markdown.
        layout.table(df[list(COLUMNS)].rename(columns=COLUMNS), {"Draagkracht": score, "Fysieke kansen": score,
                                                                  "Tijd": moment}, widths={"Reden": "large"})
