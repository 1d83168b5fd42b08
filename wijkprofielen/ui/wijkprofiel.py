"""The Wijkprofiel page: one buurt's scores, coverage, contributions, indicator values and menukaart."""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st

from ..charts import assenkruis, assenkruis_data, trend_chart
from ..config import Config
from ..dataset import Dataset
from ..dragers import quadrant_reading
from ..formatting import compact, is_missing, measure, number, percent, score, styled
from ..profiel import BADGES, badge_counts, contributions_table, kerncijfers, lbm_trend
from ..scoring import ScoreResult
from . import dynamiek, export, grafiek, layout, loaders, methode, session, vergelijkbaar, workshop_plaatsingen
from .menukaart import suggestions

SUBSCORES = {"draagkracht": ("draagkracht", "draaglast"), "fysieke_kansen": ("ruimte", "opgave")}
CONTRIBUTION_FORMATS = {"gewicht": compact, "genormaliseerd": score, "bijdrage": functools.partial(number, digits=3, signed=True)}
CONTRIBUTION_HEADERS = {"indicator": "Indicator", "subas": "Deelas", "richting": "Richting", "gewicht": "Gewicht",
                        "genormaliseerd": "Genormaliseerd", "bijdrage": "Bijdrage"}
KERNCIJFERS_HEADERS = {"indicator": "Indicator", "waarde": "Waarde", "mediaan": "Gemeente (mediaan)", "eenheid": "Eenheid",
                       "jaar": "Jaar", "bron": "Bron", "badge": "Let op"}


def kerncijfers_table(table: pd.DataFrame):
    """The buurt's indicator values at their unit's precision, with the gemeente median beside them
    (the columns people read: by label, without the catalogue code and status)."""
    notes = [("; ".join(dict.fromkeys(t for t in (BADGES.get(b, ""), str(status or "")) if t)))
             for b, status in zip(table["badge"], table["status"])]
    table = table.assign(badge=notes)[list(KERNCIJFERS_HEADERS)]
    styler = styled(table)
    for eenheid, rows in table.groupby(table["eenheid"].fillna(""), sort=False):
        styler = styler.format(functools.partial(measure, eenheid=eenheid), subset=pd.IndexSlice[rows.index, ["waarde", "mediaan"]])
    return styler


def scores_panel(result: ScoreResult, code: str) -> None:
    """Both axis scores with their coverage and sub-scores."""
    s = result.scores.loc[code]
    for col, axis in zip(st.columns(2), SUBSCORES):
        col.metric(result.recipe.axis(axis).label, "onvoldoende gegevens" if is_missing(s[axis]) else score(s[axis]),
                   help="Gewogen gemiddelde van de genormaliseerde indicatoren (0 = midden van de referentie).")
        col.progress(float(s[f"dekking_{axis}"]), text=f"Dekking {percent(s[f'dekking_{axis}'])} van het gewicht")
        for sub in SUBSCORES[axis]:
            col.metric(f"Deelscore {sub}", score(s[f"sub_{sub}"]),
                       help="Draaglast: hoger = zwaardere last." if sub == "draaglast" else None)


def contributions(result: ScoreResult, ds: Dataset, code: str) -> None:
    st.markdown("#### Bijdragen per indicator")
    for col, axis in zip(st.columns(2), SUBSCORES):
        col.caption(result.recipe.axis(axis).label)
        layout.score_basis_caption(col, result, ds, code, axis)
        with col:
            layout.table(contributions_table(result, code, axis)[list(CONTRIBUTION_HEADERS)], CONTRIBUTION_FORMATS,
                         headers=CONTRIBUTION_HEADERS, widths={"indicator": "large"})


def indicator_values(ds: Dataset, code: str) -> None:
    trend = lbm_trend(ds, code)
    if len(trend):
        st.markdown(f"#### Leefbaarometer {trend['jaar'].min()}–{trend['jaar'].max()}")
        grafiek.chart(trend_chart(trend))
    st.markdown("#### Kerncijfers")
    table = kerncijfers(ds, code)
    for badge, n in badge_counts(table).items():
        st.badge(f"{n}× {BADGES[badge]}", icon=":material/info:", color="gray")
    st.caption("Mediaan: de middelste waarde van de buurten in dezelfde gemeente, zelfde jaar.")
    st.dataframe(kerncijfers_table(table), hide_index=True, column_config={
        c: st.column_config.Column(h, width="large" if c in ("indicator", "bron") else None)
        for c, h in KERNCIJFERS_HEADERS.items()})


def menukaart_suggestions(cfg: Config, frame: pd.DataFrame, result: ScoreResult, code: str) -> None:
    st.markdown("#### Menukaart voor deze buurt")
    advies = loaders.advies(cfg, frame, result, code)
    if advies is not None:
        suggestions(advies)


def render() -> None:
    cfg, ds, src, frame, result = layout.page_start("Wijkprofiel")
    code = session.buurt_selectbox(frame)
    row = frame.set_index("buurtcode").loc[code]
    kwadrant = result.scores.at[code, "kwadrant"]
    st.subheader(f"{row['buurtnaam']} · {row['wijknaam']} · {row['gemeentenaam']}")
    st.markdown(f"Kwadrant: **{cfg.kwadrant_namen[kwadrant]}** — {cfg.kwadrant_uitleg[kwadrant]}")
    st.markdown(quadrant_reading(result.scores.loc[code], result.recipe))
    methode.stability_badge(loaders.stability(ds, cfg), code)
    methode.reference_note(cfg, ds, code)
    st.caption(layout.result_summary(result))
    layout.caution()
    ex = export.exporter(ds, src, cfg, frame, result)
    export.profiel_downloads(ex, code)
    workshop_plaatsingen.expander(ex.plaatsingen, code)

    left, right = st.columns([2, 3])
    with left:
        data = assenkruis_data(frame[frame["gemeentecode"] == row["gemeentecode"]], result.scores, cfg.kwadrant_namen)
        grafiek.chart(assenkruis(data, cfg.kwadrant_namen, result.recipe, selected=code, height=300, compact=True))
        st.caption("De buurt tussen de andere buurten van de gemeente.")
    with right:
        scores_panel(result, code)
    dynamiek.block(cfg, ds, result, code)
    contributions(result, ds, code)
    vergelijkbaar.block(cfg, ds, code)
    indicator_values(ds, code)
    menukaart_suggestions(cfg, frame, result, code)
