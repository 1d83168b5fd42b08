"""Wijkprofiel: one buurt's scores, coverage, contributions, indicator values and its menukaart."""

import streamlit as st

from wijkprofielen.charts import assenkruis, assenkruis_data, trend_chart
from wijkprofielen.menukaart import suggest
from wijkprofielen.profiel import BADGES, badge_counts, contributions_table, kerncijfers, lbm_trend
from wijkprofielen.ui import menukaart as ui_menukaart
from wijkprofielen.ui import methode_view, state
from wijkprofielen.ui import export as export_ui
from wijkprofielen.ui import workshop_plaatsingen

cfg, ds, src, frame, result = state.page_start("Wijkprofiel")

code = state.buurt_selectbox(frame)
row = frame.set_index("buurtcode").loc[code]
s = result.scores.loc[code]
st.subheader(f"{row['buurtnaam']} · {row['wijknaam']} · {row['gemeentenaam']}")
st.markdown(f"Kwadrant: **{cfg.kwadrant_namen[s['kwadrant']]}** — {cfg.kwadrant_uitleg[s['kwadrant']]}")
methode_view.stability_badge(state.stability(ds, cfg), code)
methode_view.reference_note(cfg, ds, code)
st.caption(state.result_summary(result))
state.caution()
ex = export_ui.exporter(ds, src, cfg, frame, result)
export_ui.profiel_downloads(ex, code)
workshop_plaatsingen.expander(ex.plaatsingen, code)

left, right = st.columns([2, 3])
with left:
    data = assenkruis_data(frame[frame["gemeentecode"] == row["gemeentecode"]], result.scores, cfg.kwadrant_namen)
    st.altair_chart(assenkruis(data, cfg.kwadrant_namen, cfg.recipe, selected=code, height=300, compact=True))
    st.caption("De buurt tussen de andere buurten van de gemeente.")
with right:
    c1, c2 = st.columns(2)
    for col, axis, subs in ((c1, "draagkracht", ("draagkracht", "draaglast")), (c2, "fysieke_kansen", ("ruimte", "opgave"))):
        value = s[axis]
        col.metric(cfg.recipe.axis(axis).label, "onvoldoende gegevens" if value != value else f"{value:+.2f}".replace(".", ","),
                   help="Gewogen gemiddelde van de genormaliseerde indicatoren (0 = midden van de referentie).")
        col.progress(float(s[f"dekking_{axis}"]), text=f"Dekking {s[f'dekking_{axis}']:.0%} van het gewicht")
        for sub in subs:
            v = s[f"sub_{sub}"]
            col.metric(f"Deelscore {sub}", "–" if v != v else f"{v:+.2f}".replace(".", ","),
                       help="Draaglast: hoger = zwaardere last." if sub == "draaglast" else None)

st.markdown("#### Bijdragen per indicator")
c1, c2 = st.columns(2)
for col, axis in ((c1, "draagkracht"), (c2, "fysieke_kansen")):
    col.caption(cfg.recipe.axis(axis).label)
    state.score_basis_caption(col, result, ds, code, axis)  # issue 3
    col.dataframe(contributions_table(result, code, axis), hide_index=True, column_config={
        "genormaliseerd": st.column_config.NumberColumn(format="%+.2f"),
        "bijdrage": st.column_config.NumberColumn(format="%+.3f"),
    })

trend = lbm_trend(ds, code)
if len(trend):
    st.markdown(f"#### Leefbaarometer {trend['jaar'].min()}–{trend['jaar'].max()}")
    st.altair_chart(trend_chart(trend))

st.markdown("#### Kerncijfers")
table = kerncijfers(ds, code)
counts = badge_counts(table)
for badge, n in counts.items():
    st.badge(f"{n}× {BADGES[badge]}", icon=":material/info:", color="gray")
st.caption("Mediaan: de middelste waarde van de buurten in dezelfde gemeente, zelfde jaar.")
st.dataframe(table, hide_index=True, column_config={
    "waarde": st.column_config.NumberColumn(format="%.2f"),
    "mediaan": st.column_config.NumberColumn("gemeente (mediaan)", format="%.2f"),
    "jaar": st.column_config.NumberColumn(format="%d"),
})

st.markdown("#### Menukaart voor deze buurt")
mk = state.menukaart(cfg)
if mk is not None:
    ui_menukaart.suggestions(suggest(frame, result, code, mk, kwadrant_namen=cfg.kwadrant_namen))
