"""Assenkruis: every buurt on the two axes, with quadrant lines and names."""

import streamlit as st

from wijkprofielen.charts import assenkruis, assenkruis_data, selected_point
from wijkprofielen.ui import state

st.title("Assenkruis")
cfg = state.config()
ds, src = state.dataset(cfg)
state.dataset_banner(ds, src)
frame, result = state.scored(ds, cfg)

data = assenkruis_data(frame, result.scores, cfg.kwadrant_namen)
chart = assenkruis(data, cfg.kwadrant_namen, cfg.recipe, selected=st.session_state.get("buurt"))
event = st.altair_chart(chart, on_select="rerun", key="assenkruis")
code = selected_point(event)
if code:
    st.session_state["buurt"] = code
    st.switch_page("views/wijkprofiel.py")

missing = int((result.scores["kwadrant"] == "onvoldoende_data").sum())
st.caption(
    f"{len(data)} buurten geplaatst; {missing} met onvoldoende gegevens staan niet in het assenkruis. "
    + state.result_summary(result)
)
with st.expander("Wat betekenen de kwadranten?"):
    for q, uitleg in cfg.kwadrant_uitleg.items():
        st.markdown(f"- **{cfg.kwadrant_namen[q]}**: {uitleg}")
state.caution()
