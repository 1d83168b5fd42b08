"""Methode: how the scores are made, generated from config.toml and the dataset."""

from wijkprofielen.ui import methode_view, state

cfg, ds, src, frame, result = state.page_start("Methode")
methode_view.render(cfg, ds, result, state.stability(ds, cfg))
