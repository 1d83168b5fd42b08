"""Methode: how the scores are made, generated from config.toml and the dataset."""

import streamlit as st

from wijkprofielen.ui import methode_view, state

st.title("Methode")
cfg = state.config()
ds, src = state.dataset(cfg)
state.dataset_banner(ds, src)
frame, result = state.scored(ds, cfg)
methode_view.render(cfg, ds, result, state.stability(ds, cfg))
