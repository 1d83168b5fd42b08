"""Export: all scored buurten (GeoPackage, CSV), the snapshot manifest, and batches."""

import streamlit as st

from wijkprofielen.ui import export as export_ui
from wijkprofielen.ui import state

cfg, ds, src, frame, result = state.page_start("Export")
ex = export_ui.exporter(ds, src, cfg, frame, result)

st.markdown("#### Alle buurten")
st.caption(f"{len(frame)} buurten met scores, kwadrant, dekking en indicatoren. De GeoPackage staat in RD New "
           "(EPSG:28992), de standaard van Nederlandse GIS-pakketten. Het manifest legt dataset (met hash), recept, "
           "drempels, appversie en alle scores vast; `python -m wijkprofielen reproduce manifest.json` rekent het na.")
export_ui.table_downloads(ex)

st.markdown("#### Wijkprofielen in één keer")
st.caption("Alle wijkprofielen van een wijk of de gemeente als één PDF of als ZIP. Eén wijkprofiel exporteert u op de "
           "pagina Wijkprofiel.")
export_ui.batch(ex)
state.caution()
