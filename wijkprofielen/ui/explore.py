"""The linked selection of the Kaart and Assenkruis pages, and the short buurt profile beside them.

A click on the map or the assenkruis reruns only an ``st.fragment``: it sets the shared
``buurt`` (kept in the URL) and shows the buurt's short profile next to the chart. The
selectbox in the same fragment is the keyboard and screen-reader alternative.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..config import Config
from ..formatting import percent, score
from ..scoring import ScoreResult

PICK = "_laatste_klik"  # the last clicked buurt per chart: a persisting chart selection
                        # must not override a later choice in the selectbox


def apply_pick(chart_key: str, code: str | None) -> None:
    """Make a chart click the shared buurt, once per new click."""
    last = st.session_state.get(PICK, {})
    if code and last.get(chart_key) != code:
        st.session_state[PICK] = {**last, chart_key: code}
        st.session_state["buurt"] = code


def profile_panel(cfg: Config, frame: pd.DataFrame, result: ScoreResult, code: str | None) -> None:
    """A buurt's short profile: quadrant, both scores and their coverage, a link onward."""
    if code is None or code not in result.scores.index:
        st.caption("Klik op een buurt of kies er een hierboven.")
        return
    row = frame.set_index("buurtcode").loc[code]
    s = result.scores.loc[code]
    st.subheader(f"{row['buurtnaam']}", anchor=False)
    st.caption(f"{code} · {row['wijknaam']} · {row['gemeentenaam']}")
    st.markdown(f"Kwadrant: **{cfg.kwadrant_namen[s['kwadrant']]}**")
    for axis in ("draagkracht", "fysieke_kansen"):
        shown = score(s[axis], reason="onvoldoende gegevens")
        st.markdown(f"{result.recipe.axis(axis).label}: **{shown}** (dekking {percent(s[f'dekking_{axis}'])})")
    st.page_link("views/wijkprofiel.py", label="Volledig wijkprofiel", icon=":material/description:",
                 query_params={"buurt": code})
