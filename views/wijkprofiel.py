"""Wijkprofiel: one buurt's scores, coverage, contributions and indicator values."""

import streamlit as st

from wijkprofielen.profiel import contributions_table, indicator_table
from wijkprofielen.ui import export as export_ui
from wijkprofielen.ui import state

st.title("Wijkprofiel")
cfg = state.config()
ds, src = state.dataset(cfg)
state.dataset_banner(ds, src)
frame, result = state.scored(ds, cfg)

code = state.buurt_selectbox(frame)
row = frame.set_index("buurtcode").loc[code]
s = result.scores.loc[code]
st.subheader(f"{row['buurtnaam']} · {row['wijknaam']} · {row['gemeentenaam']}")
st.markdown(f"Kwadrant: **{cfg.kwadrant_namen[s['kwadrant']]}** — {cfg.kwadrant_uitleg[s['kwadrant']]}")
export_ui.profiel_downloads(export_ui.exporter(ds, src, cfg, frame, result), code)

c1, c2 = st.columns(2)
for col, axis in ((c1, "draagkracht"), (c2, "fysieke_kansen")):
    value = s[axis]
    col.metric(cfg.recipe.axis(axis).label, "onvoldoende gegevens" if value != value else f"{value:+.2f}".replace(".", ","),
               help="Gewogen gemiddelde van de genormaliseerde indicatoren (0 = midden van de referentie).")
    col.progress(float(s[f"dekking_{axis}"]), text=f"Dekking {s[f'dekking_{axis}']:.0%} van het gewicht")
    table = contributions_table(result, code, axis)
    col.dataframe(table, hide_index=True, column_config={
        "genormaliseerd": st.column_config.NumberColumn(format="%+.2f"),
        "bijdrage": st.column_config.NumberColumn(format="%+.3f"),
    })

st.markdown("#### Indicatoren")
st.dataframe(indicator_table(ds, code), hide_index=True, column_config={
    "waarde": st.column_config.NumberColumn(format="%.2f"),
    "jaar": st.column_config.NumberColumn(format="%d"),
})
state.caution()
