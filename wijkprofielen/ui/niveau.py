"""The Kaart at wijk and gebied level (the sidebar's Niveau), and what the level's pages share.

The map draws each wijk or gebied as the dissolved outline of its buurten, coloured by its own
scores, with its name; the buurten inside on demand. The Assenkruis of the units is in
:mod:`.assenkruis` (it needs the chart library, which the map page does not load).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ..config import Config
from ..dataset import Dataset
from ..domain import NIVEAU_LABELS
from ..formatting import percent, score
from ..gebieden import Niveauprofiel
from ..mapgeometry import MAP_HEIGHT_PX
from ..mapping import COLOUR_MODES, ColourContext, colour_buurten
from ..mapunits import selected_unit, unit_map_spec
from . import gebieden, guard, layout, loaders, session
from .kaart import legend
from .session import ALLE, EENHEID_KEY

UNIT_MODES = ("kwadrant", "bivariaat", "draagkracht", "fysieke_kansen", "indicator", "dekking")
PICKED = "_eenheid_klik"  # the last clicked unit per chart


def no_units(niveau: str) -> None:
    """Say why a level shows nothing yet: no gebied has been made."""
    if niveau == "gebied":
        st.info("Er zijn nog geen eigen gebieden bij deze dataset. Maak er een op de pagina Gebiedsprofiel (tab Gebied "
                "maken) of importeer een bestand.", icon=":material/add_location_alt:")
        st.page_link("views/gebiedsprofiel.py", label="Naar Gebiedsprofiel", icon=":material/hub:")


def unit_frame(profile: Niveauprofiel) -> pd.DataFrame:
    """The units as rows the assenkruis and the colourings read (``buurtcode`` = the unit)."""
    f = profile.frame
    return f.assign(buurtnaam=f["naam"].astype(str), wijknaam=NIVEAU_LABELS[profile.niveau])


def unit_mask(profile: Niveauprofiel, frame: pd.DataFrame) -> np.ndarray:
    """The units passing the sidebar's gemeente and kwadrant filters."""
    v = session.view_settings()
    mask = np.ones(len(frame), dtype=bool)
    if v["gemeente"] not in (None, ALLE) and "gemeentecode" in frame:
        mask &= (frame["gemeentecode"] == v["gemeente"]).to_numpy()
    if v["kwadrant"] not in (None, ALLE):
        mask &= (profile.result.scores["kwadrant"].reindex(frame["buurtcode"]) == v["kwadrant"]).to_numpy()
    return mask if mask.any() else np.ones(len(frame), dtype=bool)


def pick(chart: str, code: str | None) -> None:
    """Make a click on a unit the shown unit, once per new click (the fragment then redraws with it)."""
    last = st.session_state.get(PICKED, {})
    if code and last.get(chart) != code:
        st.session_state[PICKED] = {**last, chart: code}
        if st.session_state.get(EENHEID_KEY) != code:
            st.session_state[EENHEID_KEY] = code
            st.rerun(scope="fragment")


def unit_panel(cfg: Config, profile: Niveauprofiel, code: str) -> None:
    """A unit's short profile beside the map or the assenkruis, with a link to its Gebiedsprofiel."""
    s = profile.result.scores.loc[code]
    st.subheader(gebieden.unit_names(profile)[code], anchor=False)
    spreiding = profile.spreiding.set_index("eenheid")
    n = int(spreiding.at[code, "n_buurten"]) if code in spreiding.index else 0
    st.caption(f"{NIVEAU_LABELS[profile.niveau]} · {n} buurten")
    st.markdown(f"Kwadrant: **{cfg.kwadrant_namen.get(s['kwadrant'], s['kwadrant'])}**")
    for axis in ("draagkracht", "fysieke_kansen"):
        st.markdown(f"{profile.result.recipe.axis(axis).label}: **{score(s[axis], reason='onvoldoende gegevens')}** "
                    f"(dekking {percent(s[f'dekking_{axis}'])})")
    if code in spreiding.index and not bool(spreiding.at[code, "eenduidig"]):
        st.warning(f"{'Deze wijk' if profile.niveau == 'wijk' else 'Dit gebied'} is niet eenduidig: de buurten liggen "
                   "in tegenovergestelde kwadranten.",
                   icon=":material/call_split:")
    st.page_link("views/gebiedsprofiel.py", label="Volledig gebiedsprofiel", icon=":material/hub:",
                 query_params={"niveau": profile.niveau, EENHEID_KEY: code})


def kaart(cfg: Config, ds: Dataset, profile: Niveauprofiel) -> None:
    """The Kaart at wijk or gebied level."""
    frame = unit_frame(profile)
    units = loaders.unit_geometry(ds, profile.eenheden.leden)
    order = frame.set_index("buurtcode").reindex(list(units.codes)).reset_index()
    v = session.view_settings()
    mode = v["kleur"] if v["kleur"] in UNIT_MODES else "kwadrant"
    kolom = v["indicator"] if COLOUR_MODES[mode].needs_kolom else None
    label = ds.indicatoren[kolom].label if kolom in ds.indicatoren else kolom
    ctx = ColourContext(order, profile.result.scores.reindex(units.codes), profile.result.recipe, cfg.kwadrant_namen,
                        kolom, label, uitleg=cfg.kwadrant_uitleg)
    colours = colour_buurten(mode, ctx)
    mask = unit_mask(profile, order)
    binnen = st.toggle("Buurten binnen tonen", key="kaart_buurten_binnen",
                       help="Tekent de grenzen van de buurten binnen elke wijk of elk gebied.")
    if v["kleur"] not in UNIT_MODES:
        st.caption(f"Kleuring {COLOUR_MODES[v['kleur']].label.lower()} bestaat alleen per buurt; getoond wordt het kwadrant.")

    @st.fragment
    @guard.guarded
    def linked() -> None:
        col, side = st.columns([3, 1])
        with col:
            deck = unit_map_spec(units, profile.result.scores, gebieden.unit_names(profile), cfg.kwadrant_namen,
                                 colours.fill, mask, selected=gebieden.current_unit(profile),
                                 buurten=loaders.map_geometry(ds) if binnen else None, tegels=cfg.kaart.tegels)
            niveau = NIVEAU_LABELS[profile.niveau]
            event = st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", height=MAP_HEIGHT_PX,
                                    key=f"kaart_{profile.niveau}",
                                    alt=f"Kaart van {int(mask.sum())} eenheden (niveau {niveau}) van {ds.naam}, gekleurd "
                                        f"naar {colours.titel.lower()}. Kies er een in de keuzelijst naast de kaart.")
            pick(f"kaart_{profile.niveau}", selected_unit(event))
            legend(colours, mask)
        with side:
            code = gebieden.unit_selectbox(profile, label="Zoek (naam of code)")
            unit_panel(cfg, profile, code)

    linked()
    st.caption(f"Per {NIVEAU_LABELS[profile.niveau]}: de samengevoegde grenzen van de buurten. Scores zijn "
               f"genormaliseerd tegen {profile.referentie}. " + layout.result_summary(profile.result))
    layout.caution()


def buurt_scores(profile: Niveauprofiel, eenheid: str) -> pd.DataFrame:
    """The buurten of one unit as a score table (indexed by buurtcode) for :func:`assenkruis_data`."""
    b = gebieden.unit_buurten(profile, eenheid)
    return b.set_index("buurtcode")[["draagkracht", "fysieke_kansen", "kwadrant"]]


def profile_hint() -> None:
    """On the Wijkprofiel page at wijk or gebied level: point to the profile of that level."""
    if session.niveau() != "buurt":
        st.info(f"Niveau {NIVEAU_LABELS[session.niveau()]} is gekozen: het profiel op dat niveau staat op de pagina "
                "Gebiedsprofiel. Hieronder het profiel van één buurt.", icon=":material/hub:")
        st.page_link("views/gebiedsprofiel.py", label="Naar Gebiedsprofiel", icon=":material/hub:")


def page_start(title: str) -> tuple[Config, Dataset, Niveauprofiel] | None:
    """What a page at wijk or gebied level starts with: the page start and the level's profile;
    None, with the reason shown, when the level has no units yet."""
    cfg, ds, _src, _frame, _result = layout.page_start(title)
    profile = gebieden.level_profile(ds, cfg)
    if profile is None:
        no_units(session.niveau())
        return None
    return cfg, ds, profile


def render_kaart() -> None:
    """The Kaart page at the sidebar's level (views/kaart.py calls this for wijk and gebied)."""
    start = page_start("Kaart")
    if start is not None:
        kaart(*start)
