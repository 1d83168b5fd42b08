"""Kaart: the buurten coloured by quadrant, with wijk outlines and no basemap."""

import streamlit as st

from wijkprofielen.mapping import QUADRANT_HEX, buurten_deck, selected_code
from wijkprofielen.ui import state

st.title("Kaart")
cfg = state.config()
ds, src = state.dataset(cfg)
state.dataset_banner(ds, src)
frame, result = state.scored(ds, cfg)

deck = buurten_deck(frame, result.scores, cfg.kwadrant_namen, web=ds.web_geometry)
event = st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key="kaart", height=560,
                        alt=f"Kaart van {len(frame)} buurten van {ds.naam}, gekleurd naar kwadrant")
code = selected_code(event)
if code:
    st.session_state["buurt"] = code
    st.switch_page("views/wijkprofiel.py")

counts = result.scores["kwadrant"].value_counts()
cols = st.columns(len(QUADRANT_HEX))
for col, (q, colour) in zip(cols, QUADRANT_HEX.items()):
    col.markdown(f'<span style="color:{colour}">■</span> **{cfg.kwadrant_namen[q]}**: {counts.get(q, 0)} buurten',
                 unsafe_allow_html=True)
st.caption("Klik op een buurt voor het wijkprofiel. " + state.result_summary(result))
state.caution()
