"""Menukaart: browse and filter every intervention in the catalogue."""

import streamlit as st

from wijkprofielen.ui import menukaart as ui_menukaart
from wijkprofielen.ui import state

st.title("Menukaart")
st.markdown(
    "Interventies per wijkprofiel: wat past bij welke combinatie van draagkracht en fysieke kansen, "
    "wie trekt het, waarom, en wat werkte elders. Kies een buurt op de pagina *Wijkprofiel* voor de "
    "suggesties die bij die buurt passen."
)
cfg = state.config()
mk = state.menukaart(cfg)
if mk is not None:
    ui_menukaart.catalogue(mk, cfg.kwadrant_namen)
state.caution()
