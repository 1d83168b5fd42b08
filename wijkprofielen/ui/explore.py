"""The Kaart and Assenkruis pages (issue 5): linked selection, colour modes, trajectories.

A click on the map or the assenkruis reruns only an ``st.fragment``: it sets the shared
``buurt`` (bound to the URL) and shows the buurt's short profile next to the chart. The
selectbox in the same fragment is the keyboard and screen-reader alternative.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ..charts import assenkruis, assenkruis_data, selected_point, trajectory_data, uncertainty_layers, with_stability
from ..mapping import COLOUR_MODES, ColourContext, colour_buurten, map_spec, selected_code
from . import state
from .explore_state import ALLE

_PICK = "_laatste_klik"  # the last clicked buurt per chart: a persisting chart selection
                          # must not override a later choice in the selectbox


def apply_pick(chart_key: str, code: str | None) -> None:
    """Make a chart click the shared buurt, once per new click."""
    last = st.session_state.get(_PICK, {})
    if code and last.get(chart_key) != code:
        st.session_state[_PICK] = {**last, chart_key: code}
        st.session_state["buurt"] = code


def legend(colouring, mask=None) -> None:
    """The map legend as text with colour swatches (readable by screen readers)."""
    st.markdown(f"**{colouring.titel}**")
    items = [
        f'<span aria-hidden="true" style="display:inline-block;width:0.9em;height:0.9em;background:{i.hex};'
        f'border:1px solid #888;margin-right:0.3em;vertical-align:middle"></span>{i.label}: {i.aantal}'
        for i in colouring.legend_for(mask)
    ]
    st.markdown("<br>".join(items), unsafe_allow_html=True)


def profile_panel(cfg, frame, result, code: str | None) -> None:
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
        v = s[axis]
        shown = "onvoldoende gegevens" if v != v else f"{v:+.2f}".replace(".", ",")
        st.markdown(f"{cfg.recipe.axis(axis).label}: **{shown}** (dekking {s[f'dekking_{axis}']:.0%})")
    st.page_link("views/wijkprofiel.py", label="Volledig wijkprofiel", icon=":material/description:",
                 query_params={"buurt": code})


def _colouring(cfg, ds, frame, result, geo):
    v = state.view_settings()
    mode = v["kleur"] if v["kleur"] in COLOUR_MODES else "kwadrant"
    kolom = v["indicator"] if COLOUR_MODES[mode].needs_kolom else None
    label = ds.indicatoren[kolom].label if kolom in ds.indicatoren else kolom
    ordered = frame.set_index("buurtcode").reindex(geo.codes).reset_index()
    ctx = ColourContext(ordered, result.scores.reindex(geo.codes), state.recipe(cfg), cfg.kwadrant_namen, kolom, label)
    if mode == "stabiliteit":  # computed only when asked for: costly on a national dataset
        ctx.stabiliteit = state.stability(ds, cfg).tabel["stabiliteit"].reindex(geo.codes).to_numpy()
    return colour_buurten(mode, ctx), ordered


def kaart_page() -> None:
    cfg, ds, src, frame, result = state.page_start("Kaart")
    geo = state.map_geometry(ds)
    colouring, ordered = _colouring(cfg, ds, frame, result, geo)
    mask = state.view_mask(ordered, result.scores)
    if not mask.any():
        st.warning("Geen buurten binnen deze filters. Kies in de zijbalk een ander kwadrant of een andere wijk.")
        mask = np.ones(len(ordered), dtype=bool)

    @st.fragment
    def linked() -> None:
        # Columns live inside the fragment: a fragment rerun replaces only its own elements.
        kaart, side = st.columns([3, 1])
        with side:
            legend(colouring, mask)
        with kaart:
            picks = st.session_state.get(_PICK, {})
            picked, current = picks.get("kaart"), st.session_state.get("buurt")
            if picked is not None and current != picked:
                # Chosen elsewhere (selectbox, assenkruis): a fresh chart key clears the old
                # click highlight, so the map never shows two selected buurten.
                st.session_state["_kaart_generatie"] = st.session_state.get("_kaart_generatie", 0) + 1
                st.session_state[_PICK] = {**picks, "kaart": None}
                picked = None
            # The frontend already highlights a clicked buurt; draw an outline only for a
            # choice made elsewhere, so a click does not resend an otherwise identical map.
            outline = current if current != picked else None
            deck = map_spec(geo, result.scores, ordered, cfg.kwadrant_namen, colouring.fill, mask, selected=outline)
            event = st.pydeck_chart(
                deck, on_select="rerun", selection_mode="single-object", height=560,
                key=f"kaart-{st.session_state.get('_kaart_generatie', 0)}",
                alt=(f"Kaart van {int(mask.sum())} buurten van {ds.naam}, gekleurd naar {colouring.titel.lower()}. "
                     "Kies een buurt met de keuzelijst naast de kaart voor dezelfde gegevens als tekst."),
            )
            apply_pick("kaart", selected_code(event))
        with side:
            code = state.buurt_selectbox(ordered[mask])
            profile_panel(cfg, frame, result, code)

    linked()
    st.caption("Klik op een buurt voor het profiel. Geen achtergrondkaart: de lijnen zijn wijk- en gemeentegrenzen. "
               + state.result_summary(result))
    state.caution()


def trajectory_years(ds, recipe, until: int | None) -> tuple[list[int], str]:
    """The years to follow: those of the heaviest recipe indicator measured in several years
    (with the default recipe the Leefbaarometer: 2018, 2020, 2022, 2024), up to ``until``."""
    candidates = []
    for axis in recipe.assen:
        for ind in axis.indicatoren:
            jaren = ds.jaren(ind.kolom) if ind.kolom in ds.kolommen else []
            if len(jaren) > 1:
                candidates.append((ind.gewicht, len(jaren), ind.kolom, jaren))
    if not candidates:
        return [], ""
    _, _, kolom, jaren = max(candidates)
    label = ds.indicatoren[kolom].label if kolom in ds.indicatoren else kolom
    return [j for j in jaren if until is None or j <= until], label


def trajectories(ds, cfg, codes: list[str]) -> tuple[pd.DataFrame, str]:
    """Positions of ``codes`` per year (each year scored with its own figures, cached)."""
    jaren, label = trajectory_years(ds, state.recipe(cfg), state.peiljaar(ds))
    by_year = {j: state.scored(ds, cfg, jaar=j)[1].scores for j in jaren}
    names = dict(zip(ds.gebieden["buurtcode"], ds.gebieden["buurtnaam"]))
    return trajectory_data(by_year, codes, names), label


def assenkruis_page() -> None:
    cfg, ds, src, frame, result = state.page_start("Assenkruis")
    mask = state.view_mask(frame, result.scores)
    shown = frame[mask]
    data = assenkruis_data(shown, result.scores, cfg.kwadrant_namen)
    jaar = state.peiljaar(ds)
    st.caption(f"Peiljaar: {'nieuwste per indicator' if jaar is None else jaar} (kies het jaar in de zijbalk).")
    verloop = st.toggle("Verloop over de jaren tonen (pijlen)", key="assenkruis_verloop",
                        help="Voor de gekozen buurt, of voor alle buurten van de gekozen wijk.")
    # wiring B: opacity by stability (on by default for a gemeente; a national set asks first)
    zeker = st.toggle("Stabiliteit tonen (doorzichtiger = minder stabiel)", key="assenkruis_stabiliteit",
                      value=len(frame) <= state.STABILITY_AUTO_MAX,
                      help="Hoe vaak de buurt in hetzelfde kwadrant blijft bij redelijke andere keuzes in het recept.")
    kruis = st.toggle("Onzekerheidskruis tonen", key="assenkruis_kruis", value=False,
                      help="Per buurt de spreiding (10e – 90e percentiel) van beide scores over de alternatieve recepten.")
    extra = None
    if zeker or kruis:
        data = with_stability(data, state.stability(ds, cfg).tabel, state.intervals(ds, cfg) if kruis else None)
        extra = uncertainty_layers(data) if kruis else None

    @st.fragment
    def linked() -> None:
        chart_col, side = st.columns([3, 1])
        code = st.session_state.get("buurt")
        traj = None
        if verloop:
            wijk = state.view_settings()["wijk"]
            follow = shown["buurtcode"].tolist() if wijk not in (None, ALLE) else ([code] if code else [])
            traj, bron = trajectories(ds, cfg, follow[:60])
        with chart_col:
            chart = assenkruis(data, cfg.kwadrant_namen, state.recipe(cfg), selected=code, trajecten=traj, extra=extra)
            event = st.altair_chart(chart, on_select="rerun", key="assenkruis")
            apply_pick("assenkruis", selected_point(event))
            if traj is not None:
                if len(traj):
                    jaren = sorted(traj["jaar"].unique())
                    st.caption(
                        f"Pijlen: positie per meetjaar van {bron} ({jaren[0]} → {jaren[-1]}). Elk jaar is gescoord "
                        "met de cijfers van dat moment; jaren met te weinig gegevens zijn overgeslagen."
                    )
                else:
                    st.caption("Geen verloop: kies een buurt of een wijk.")
        with side:
            picked = state.buurt_selectbox(shown if len(shown) else frame)
            profile_panel(cfg, frame, result, picked)

    linked()
    missing = int((result.scores.loc[shown["buurtcode"], "kwadrant"] == "onvoldoende_data").sum())
    st.caption(
        f"{len(data)} buurten geplaatst; {missing} met onvoldoende gegevens staan niet in het assenkruis. "
        + state.result_summary(result)
    )
    with st.expander("Wat betekenen de kwadranten?"):
        for q, uitleg in cfg.kwadrant_uitleg.items():
            st.markdown(f"- **{cfg.kwadrant_namen[q]}**: {uitleg}")
    state.caution()
