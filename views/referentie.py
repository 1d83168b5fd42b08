"""Referenties vergelijken: buurten waarvan het kwadrant afhangt van de referentie."""

import streamlit as st

from wijkprofielen.ui import methode_view, state

st.title("Referenties vergelijken")
cfg = state.config()
ds, src = state.dataset(cfg)
state.dataset_banner(ds, src)
methode_view.render_comparison(cfg, ds)
state.caution()
