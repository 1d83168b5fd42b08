"""The Kaart page: the buurten in a chosen colour mode, wijk and gemeente outlines, no basemap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ..config import Config
from ..dataset import Dataset
from ..mapping import COLOUR_MODES, ColourContext, Colouring, MapGeometry, colour_buurten, map_spec, selected_code
from ..scoring import ScoreResult
from . import guard, layout, loaders, session
from .explore import PICK, apply_pick, profile_panel


def legend(colouring: Colouring, mask=None) -> None:
    """The map legend as text with colour swatches (readable by screen readers)."""
    st.markdown(f"**{colouring.titel}**")
    items = [
        f'<span aria-hidden="true" style="display:inline-block;width:0.9em;height:0.9em;background:{i.hex};'
        f'border:1px solid #888;margin-right:0.3em;vertical-align:middle"></span>{i.label}: {i.aantal}'
        for i in colouring.legend_for(mask)
    ]
    st.markdown("<br>".join(items), unsafe_allow_html=True)


def colouring(cfg: Config, ds: Dataset, frame: pd.DataFrame, result: ScoreResult,
              geo: MapGeometry) -> tuple[Colouring, pd.DataFrame]:
    """The colour per buurt in map order, for the sidebar's colour mode; and the frame in that order."""
    v = session.view_settings()
    mode = v["kleur"] if v["kleur"] in COLOUR_MODES else "kwadrant"
    kolom = v["indicator"] if COLOUR_MODES[mode].needs_kolom else None
    label = ds.indicatoren[kolom].label if kolom in ds.indicatoren else kolom
    ordered = frame.set_index("buurtcode").reindex(geo.codes).reset_index()
    ctx = ColourContext(ordered, result.scores.reindex(geo.codes), result.recipe, cfg.kwadrant_namen, kolom, label)
    if mode == "stabiliteit":  # computed only when asked for: costly on a national dataset
        ctx.stabiliteit = loaders.stability(ds, cfg).tabel["stabiliteit"].reindex(geo.codes).to_numpy()
    return colour_buurten(mode, ctx), ordered


def render() -> None:
    cfg, ds, src, frame, result = layout.page_start("Kaart")
    geo = loaders.map_geometry(ds)
    colours, ordered = colouring(cfg, ds, frame, result, geo)
    mask = session.view_mask(ordered, result.scores)
    if not mask.any():
        st.warning("Geen buurten binnen deze filters. Kies in de zijbalk een ander kwadrant of een andere wijk.")
        mask = np.ones(len(ordered), dtype=bool)

    @st.fragment
    @guard.guarded
    def linked() -> None:
        # Columns live inside the fragment: a fragment rerun replaces only its own elements.
        kaart, side = st.columns([3, 1])
        with side:
            legend(colours, mask)
        with kaart:
            picks = st.session_state.get(PICK, {})
            picked, current = picks.get("kaart"), st.session_state.get("buurt")
            if picked is not None and current != picked:
                # Chosen elsewhere (selectbox, assenkruis): a fresh chart key clears the old
                # click highlight, so the map never shows two selected buurten.
                st.session_state["_kaart_generatie"] = st.session_state.get("_kaart_generatie", 0) + 1
                st.session_state[PICK] = {**picks, "kaart": None}
                picked = None
            # The frontend already highlights a clicked buurt; draw an outline only for a
            # choice made elsewhere, so a click does not resend an otherwise identical map.
            outline = current if current != picked else None
            deck = map_spec(geo, result.scores, ordered, cfg.kwadrant_namen, colours.fill, mask, selected=outline)
            event = st.pydeck_chart(
                deck, on_select="rerun", selection_mode="single-object", height=560,
                key=f"kaart-{st.session_state.get('_kaart_generatie', 0)}",
                alt=(f"Kaart van {int(mask.sum())} buurten van {ds.naam}, gekleurd naar {colours.titel.lower()}. "
                     "Kies een buurt met de keuzelijst naast de kaart voor dezelfde gegevens als tekst."),
            )
            apply_pick("kaart", selected_code(event))
        with side:
            code = session.buurt_selectbox(ordered[mask])
            profile_panel(cfg, frame, result, code)

    linked()
    st.caption("Klik op een buurt voor het profiel. Geen achtergrondkaart: de lijnen zijn wijk- en gemeentegrenzen. "
               + layout.result_summary(result))
    layout.caution()
