"""The Kaart page: the buurten in a chosen colour mode, their names, wijk and gemeente outlines, and an
optional background map (``[kaart] achtergrond``)."""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Callable

import numpy as np
import pandas as pd
import streamlit as st

from .. import mapping
from ..config import Config
from ..dataset import Dataset
from ..formatting import integer
from ..mapgeometry import MAP_HEIGHT_PX
from ..mapping import COLOUR_MODES, Colouring, MapGeometry, SplicedDeck, map_spec, overview, selected_code
from ..scoring import ScoreResult
from . import guard, kaart_print, kaartdata, kaarttabel, layout, loaders, session
from .explore import PICK, apply_pick, profile_panel

FOCUS = "_kaart_focus"  # (buurtcode, filter) the map flew to after a choice in the list
LAST_CHOICE = "_kaart_keuze"  # the buurt of the previous run, to see a new choice in the list
NAMES = "kaart_namen"  # the toggle for buurt names on the map
NAMES_CHOSEN = "_kaart_namen_gekozen"  # the user set the toggle: their choice holds from then on
NAMES_AUTO_MAX = 30  # names are on by themselves up to this many shown buurten (a wijk)


def legend(colouring: Colouring, mask=None) -> None:
    """The map legend as text with colour swatches, one line per class with what it means
    (readable by screen readers)."""
    items = []
    for i in colouring.legend_for(mask):
        uitleg = f' <span style="color:#555">— {html.escape(i.uitleg)}</span>' if i.uitleg else ""
        items.append(f'<span aria-hidden="true" style="display:inline-block;width:0.9em;height:0.9em;'
                     f'background:{i.hex};border:1px solid #888;margin-right:0.3em;vertical-align:middle"></span>'
                     f"<b>{html.escape(i.label)}</b> ({i.aantal}){uitleg}")
    st.markdown(f"**{html.escape(colouring.titel)}**<br>" + "<br>".join(items), unsafe_allow_html=True)


def _view(geo: MapGeometry, mask: np.ndarray, current: str | None, picked: str | None) -> dict:
    """Fit the shown buurten; after a new choice in the buurt list (not a click on the map), fly to that buurt.

    The buurt view stays while the filter stays, so a click on the map afterwards does not
    jump back to the whole gemeente.
    """
    filter_key = hash(mask.tobytes())
    previous = st.session_state.get(LAST_CHOICE)
    if previous is not None and current not in (previous, picked) and current is not None:
        st.session_state[FOCUS] = (current, filter_key)
    focus = st.session_state.get(FOCUS)
    if focus is not None and focus[1] == filter_key:
        view = geo.buurt_view(focus[0])
        if view is not None:
            return view
    st.session_state.pop(FOCUS, None)
    return geo.view(mask)


def _names_chosen() -> None:
    st.session_state[NAMES_CHOSEN] = True


def names_toggle(shown: int) -> bool:
    """Whether the map shows buurt names: on by itself for a wijk (at most :data:`NAMES_AUTO_MAX`
    buurten), off for a whole gemeente, until the user sets it.

    Names cost a browser without graphics hardware (a virtual desktop draws WebGL in software)
    more than a second per map: the text layer and its collision filter are compiled and drawn
    on the processor. For a gemeente the collision filter shows only some names anyway; the
    tooltip and the buurt list name every buurt.
    """
    if overview(shown):
        st.toggle("Buurtnamen op de kaart", value=False, disabled=True, key="_kaart_namen_overzicht",
                  help="Op het overzicht van meer dan " + integer(mapping.WIJK_OUTLINES_MAX) + " buurten staan geen namen. "
                       "Kies in de zijbalk een gemeente of wijk.")
        return False
    if not st.session_state.get(NAMES_CHOSEN):
        st.session_state[NAMES] = bool(shown <= NAMES_AUTO_MAX)
    return st.toggle("Buurtnamen op de kaart", key=NAMES, on_change=_names_chosen,
                     help=f"Standaard aan bij ten hoogste {NAMES_AUTO_MAX} buurten (een wijk), uit voor een hele "
                          "gemeente. Namen die elkaar overlappen verschijnen bij inzoomen. Zonder namen tekent de "
                          "kaart sneller op een computer zonder grafische kaart.")


def colouring(cfg: Config, ds: Dataset, frame: pd.DataFrame, result: ScoreResult) -> tuple[Colouring, pd.DataFrame]:
    """The colour per buurt in map order, for the sidebar's colour mode; and the frame in that order."""
    v = session.view_settings()
    mode = v["kleur"] if v["kleur"] in COLOUR_MODES else "kwadrant"
    kolom = v["indicator"] if COLOUR_MODES[mode].needs_kolom else None
    label = ds.indicatoren[kolom].label if kolom in ds.indicatoren else kolom
    return loaders.map_colouring(cfg, ds, frame, result, mode, kolom, label)


@st.cache_resource(show_spinner=False, max_entries=16)
def _deck_cached(key: tuple, _build: Callable[[], SplicedDeck]) -> SplicedDeck:
    return _build()


def deck(cfg: Config, ds: Dataset, result: ScoreResult, geo: MapGeometry, colours: Colouring, ordered: pd.DataFrame,
         mask: np.ndarray, outline: str | None, view: dict, labels: bool = True) -> SplicedDeck:
    """The map's deck, assembled once for every session that shows the same map: a national deck
    takes most of a second to build, and a second visit or tab should not wait for it again."""
    publish = kaartdata.publisher()
    fill = hashlib.sha256(np.asarray(colours.fill, dtype=np.uint8).tobytes()).hexdigest()
    key = (ds.fingerprint, loaders.scores_key(ds, cfg, result), loaders.config_key(cfg), fill,
           hashlib.sha256(np.packbits(mask).tobytes()).hexdigest(), outline, json.dumps(view, sort_keys=True),
           publish is not None, st.get_option("server.baseUrlPath"), labels)

    def build() -> SplicedDeck:
        return map_spec(geo, result.scores, ordered, cfg.kwadrant_namen, colours.fill, mask, selected=outline,
                        view=view, tegels=cfg.kaart.tegels, labels=labels, publish=publish)

    spec = _deck_cached(key, build)
    if kaartdata.missing(spec.to_json()):  # its layer file was cleaned up: build and store it again
        _deck_cached.clear(key, build)
        spec = _deck_cached(key, build)
    return spec


def render() -> None:
    cfg, ds, src, frame, result = layout.page_start("Kaart")
    geo = loaders.map_geometry(ds)
    colours, ordered = colouring(cfg, ds, frame, result)
    mask = session.view_mask(ordered, result.scores)
    if not mask.any():
        st.warning("Geen buurten binnen deze filters. Kies in de zijbalk een ander kwadrant of een andere wijk.")
        mask = np.ones(len(ordered), dtype=bool)

    @st.fragment
    @guard.guarded
    def linked() -> None:
        # Columns live inside the fragment: a fragment rerun replaces only its own elements.
        kaart, side = st.columns([3, 1])
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
            # The view fits the chosen place (gemeente, wijk), not the kwadrant filter: a weight
            # change then leaves the deck's initial view unchanged, so the frontend keeps the
            # user's zoom and pan.
            place = session.view_mask(ordered)
            view = _view(geo, place if place.any() else mask, current, picked)
            chart = st.container()  # above the toggle, drawn after it: the toggle decides the names
            labels = names_toggle(int(mask.sum()))
            with chart, st.spinner(f"Kaart van {integer(mask.sum())} buurten samenstellen …"):
                spec = deck(cfg, ds, result, geo, colours, ordered, mask, outline, view, labels)
            event = chart.pydeck_chart(
                spec, on_select="rerun", selection_mode="single-object", height=MAP_HEIGHT_PX,
                key=f"kaart-{st.session_state.get('_kaart_generatie', 0)}",
                alt=(f"Kaart van {int(mask.sum())} buurten van {ds.naam}, gekleurd naar {colours.titel.lower()}. "
                     "Kies een buurt met de keuzelijst naast de kaart voor dezelfde gegevens als tekst."),
            )
            apply_pick("kaart", selected_code(event))
            legend(colours, mask)
            kaarttabel.render(colours, ordered, mask)
        with side:
            code = session.buurt_selectbox(ordered[mask], label="Zoek een buurt (naam of code)")
            st.session_state[LAST_CHOICE] = code
            if st.session_state.get(FOCUS) is not None:
                st.button("Hele kaart tonen", icon=":material/zoom_out_map:", on_click=st.session_state.pop,
                          args=(FOCUS, None))
            profile_panel(cfg, frame, result, code)

    linked()
    kaart_print.downloads(cfg, ds, frame, result)
    tegels = cfg.kaart.tegels
    achtergrond = (f"Achtergrondkaart: {tegels[1]}." if tegels else
                   "Geen achtergrondkaart (instelling [kaart] achtergrond): de lijnen zijn wijk- en gemeentegrenzen.")
    namen = "Buurtnamen: zet ze aan of uit onder de kaart. "
    if overview(mask.sum()):
        namen = ""
        achtergrond = (f"Overzicht van meer dan {integer(mapping.WIJK_OUTLINES_MAX)} buurten: alleen de kleur per buurt. Kies "
                       "in de zijbalk een gemeente of wijk voor buurtgrenzen, wijk- en gemeentegrenzen en namen.")
    st.caption("Klik op een buurt voor het profiel; kies een buurt in de lijst om erheen te gaan. " + namen
               + achtergrond + " " + layout.result_summary(result))
    layout.caution()
