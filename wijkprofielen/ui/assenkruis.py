"""The Assenkruis page: every buurt on the two axes, with quadrant lines, stability and trajectories; at wijk or
gebied level the units, and around the chosen one its buurten."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..charts import (
    assenkruis, assenkruis_data, dynamiek_arrows, selected_point, trajectory_data, uncertainty_layers, with_stability,
)
from ..config import Config, Recipe
from ..dataset import Dataset
from ..gebieden import Niveauprofiel
from . import gebieden, grafiek, guard, layout, loaders, niveau, session
from .explore import apply_pick, profile_panel
from .session import ALLE


def trajectory_years(ds: Dataset, recipe: Recipe, until: int | None) -> tuple[list[int], str]:
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


def trajectories(ds: Dataset, cfg: Config, recipe: Recipe, codes: list[str]) -> tuple[pd.DataFrame, str]:
    """Positions of ``codes`` per year (each year scored with its own figures, cached)."""
    jaren, label = trajectory_years(ds, recipe, session.peiljaar(ds))
    by_year = {j: loaders.scored(ds, cfg, jaar=j, recipe=recipe)[1].scores for j in jaren}
    names = dict(zip(ds.gebieden["buurtcode"], ds.gebieden["buurtnaam"]))
    return trajectory_data(by_year, codes, names), label


def render() -> None:
    cfg, ds, src, frame, result = layout.page_start("Assenkruis")
    recipe = result.recipe
    mask = session.view_mask(frame, result.scores)
    shown = frame[mask]
    data = assenkruis_data(shown, result.scores, cfg.kwadrant_namen)
    jaar = session.peiljaar(ds)
    st.caption(f"Peiljaar: {'nieuwste per indicator' if jaar is None else jaar} (kies het jaar in de zijbalk).")
    verloop = st.toggle("Verloop over de jaren tonen (pijlen)", key="assenkruis_verloop",
                        help="Voor de gekozen buurt, of voor alle buurten van de gekozen wijk.")
    # Stability as opacity: on by default for a gemeente; a national set asks first.
    zeker = st.toggle("Stabiliteit tonen (doorzichtiger = minder stabiel)", key="assenkruis_stabiliteit",
                      value=len(frame) <= loaders.STABILITY_AUTO_MAX,
                      help="Hoe vaak de buurt in hetzelfde kwadrant blijft bij redelijke andere keuzes in het recept.")
    beweging = st.toggle("Dynamiek van alle buurten tonen (pijlen)", key="assenkruis_dynamiek", value=False,
                         help="Per buurt een dunne pijl: de verandering van beide assen over de laatste jaren, "
                              "in standaarddeviaties van de referentie. De pijl eindigt bij de huidige positie.")
    kruis = st.toggle("Onzekerheidskruis tonen", key="assenkruis_kruis", value=False,
                      help="Per buurt de spreiding (10e – 90e percentiel) van beide scores over de alternatieve recepten.")
    extra = None
    if zeker or kruis:
        data = with_stability(data, loaders.stability(ds, cfg).tabel, loaders.intervals(ds, cfg) if kruis else None)
        extra = uncertainty_layers(data) if kruis else None

    pijlen = None
    if beweging:
        dyn = loaders.dynamiek(ds, cfg)
        pijlen = dynamiek_arrows(data, dyn.tabel, dyn.van_jaar, dyn.tot_jaar)

    @st.fragment
    @guard.guarded
    def linked() -> None:
        chart_col, side = st.columns([3, 1])
        code = st.session_state.get("buurt")
        traj = None
        if verloop:
            wijk = session.view_settings()["wijk"]
            follow = shown["buurtcode"].tolist() if wijk not in (None, ALLE) else ([code] if code else [])
            traj, bron = trajectories(ds, cfg, recipe, follow[:60])
        with chart_col:
            chart = assenkruis(data, cfg.kwadrant_namen, recipe, selected=code, trajecten=traj, extra=extra, dynamiek=pijlen)
            event = grafiek.chart(chart, on_select="rerun", key="assenkruis")
            apply_pick("assenkruis", selected_point(event))
            if pijlen is not None:
                st.caption(f"Dunne pijlen: de dynamiek {dyn.periode} van {pijlen['buurtcode'].nunique()} buurten "
                           "(verandering in standaarddeviaties van de referentie; zie de pagina Methode). Buurten zonder "
                           "dynamiek op beide assen hebben geen pijl.")
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
            picked = session.buurt_selectbox(shown if len(shown) else frame)
            profile_panel(cfg, frame, result, picked)

    linked()
    missing = int((~result.geplaatst().loc[shown["buurtcode"]]).sum())
    st.caption(
        f"{len(data)} buurten geplaatst; {missing} zonder kwadrant (onvoldoende gegevens, te weinig inwoners of geen "
        "inwonersaantal) staan niet in het assenkruis. "
        + layout.result_summary(result)
    )
    with st.expander("Wat betekenen de kwadranten?"):
        for q, uitleg in cfg.kwadrant_uitleg.items():
            st.markdown(f"- **{cfg.kwadrant_namen[q]}**: {uitleg}")
    layout.caution()


def _units(cfg: Config, profile: Niveauprofiel) -> None:
    """The Assenkruis at wijk or gebied level: the units, and around the chosen one its buurten."""
    frame = niveau.unit_frame(profile)
    data = assenkruis_data(frame[niveau.unit_mask(profile, frame)], profile.result.scores, cfg.kwadrant_namen)

    @st.fragment
    @guard.guarded
    def linked() -> None:
        chart_col, side = st.columns([3, 1])
        code = gebieden.current_unit(profile)
        rondom = assenkruis_data(gebieden.unit_buurten(profile, code).assign(wijknaam=""),
                                 niveau.buurt_scores(profile, code), cfg.kwadrant_namen)
        with chart_col:
            chart = assenkruis(data, cfg.kwadrant_namen, profile.result.recipe, selected=code, rondom=rondom)
            event = grafiek.chart(chart, on_select="rerun", key=f"assenkruis_{profile.niveau}")
            niveau.pick(f"assenkruis_{profile.niveau}", selected_point(event))
            st.caption(f"Kleine punten: de {len(rondom)} geplaatste buurten van {gebieden.unit_names(profile)[code]}, "
                       "elk gescoord als buurt. Het gemiddelde verbergt die spreiding.")
        with side:
            code = gebieden.unit_selectbox(profile)
            niveau.unit_panel(cfg, profile, code)

    linked()
    st.caption(f"{len(data)} eenheden geplaatst, genormaliseerd tegen {profile.referentie}. "
               + layout.result_summary(profile.result))
    layout.caution()


def render_units() -> None:
    """The Assenkruis page at the sidebar's level."""
    start = niveau.page_start("Assenkruis")
    if start is not None:
        cfg, _ds, profile = start
        _units(cfg, profile)
