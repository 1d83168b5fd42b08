"""The Monitor page: looking back on the afspraken, the flags for bijsturen, and the city's homes.

Per afspraak the change of each aimed indicator since its start year next to the median
change of comparable buurten without an afspraak, the quadrant then and now, and the
status; the city view adds the homes per segment against the targets of Uitzoomen.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from ..agenda.monitor import PEERS_UITLEG, SIGNAAL_UITLEG, city_view
from ..errors import WijkprofielenError
from ..formatting import integer
from . import afspraken, layout, loaders, uitzoomen

HEADERS = {"id": "Id", "buurtcode": "Gebied", "titel": "Afspraak", "trekker": "Trekker", "status": "Status",
           "start_jaar": "Start", "eind_jaar": "Eind", "indicator": "Indicator", "richting": "Beoogd", "van_jaar": "Van (jaar)",
           "van": "Van", "tot_jaar": "Tot (jaar)", "tot": "Tot", "verschil": "Verschil", "richting_goed": "Goede richting",
           "vergelijkbaar_verschil": "Vergelijkbare buurten (mediaan verschil)", "vergelijkbaar_aantal": "Aantal vergelijkbaar",
           "bron": "Bron", "kwadrant_toen": "Kwadrant toen", "kwadrant_nu": "Kwadrant nu",
           "dynamiek_toen": "Dynamiek toen", "dynamiek_nu": "Dynamiek nu", "signalen": "Signalen"}


def show_city(items, gm: str, cfg) -> None:
    st.subheader("Stad: woningen per segment tegen de doelen")
    try:
        doelen = loaders.workspace(cfg).doelen_for([gm])
    except WijkprofielenError as exc:
        st.info(str(exc))
        return
    scenarios = uitzoomen.store(cfg).list(gm)
    labels = {s.id: f"{s.naam} (versie {s.versie})" for s in scenarios}
    sid = st.selectbox("Gepland volgens scenario", [None, *labels], key="mon_scenario",
                       format_func=lambda i: "geen scenario" if i is None else labels[i])
    scenario = uitzoomen.store(cfg).load(sid) if sid is not None else None
    view = city_view(items, doelen, scenario)
    shown = view.drop(columns="doel").rename(columns={"label": "Segment", "streef": "Doel", "gepland": "Gepland (scenario)",
                                                       "afgesproken": "Afgesproken", "gerealiseerd": "Gerealiseerd"})
    st.dataframe(shown, hide_index=True, width="stretch")
    for r in view.itertuples(index=False):
        if pd.notna(r.streef) and r.streef:
            st.progress(min(float(r.gerealiseerd) / float(r.streef), 1.0),
                        text=f"**{r.label}**: gerealiseerd {integer(r.gerealiseerd)}, afgesproken {integer(r.afgesproken)}, "
                             f"gepland {integer(r.gepland)} van {integer(r.streef)}")
    st.caption(f"Doelen: {doelen.naam} ({doelen.periode[0]}–{doelen.periode[1]}). Afgesproken: afspraken die niet vervallen "
               "zijn en in die periode lopen; gerealiseerd: die gereed zijn. Alleen toegevoegde woningen tellen mee.")


def render() -> None:
    cfg, ds, frame, gm, s = afspraken.page_start(
        "Monitor prestatieafspraken", "Elk jaar terug- en vooruitkijken: bewegen de beoogde indicatoren de goede kant "
        "op, en anders dan in vergelijkbare buurten zonder afspraak? Waar is bijsturen nodig?", "mon_gemeente")
    try:
        items = s.list(gm)
        jaar = int(st.number_input("Toetsjaar (eindjaren)", 2000, 2100, date.today().year, key="mon_jaar"))
        m = afspraken.monitor_for(items, ds, cfg, jaar)
        names = cfg.kwadrant_namen
        t_sig, t_afspr, t_stad = st.tabs([f"Bijsturen ({len(m.signalen())})", "Per afspraak", "Stad"])
        with t_sig:
            if not m.signalen():
                st.success("Geen signalen: geen afspraak beweegt de verkeerde kant op of loopt over zijn eindjaar, "
                           "en geen buurt zonder afspraak kreeg een negatief signaal.")
            for ident, sig in m.signalen():
                st.warning(f"**{ident}**: {sig.tekst}", icon=":material/flag:")
        with t_afspr:
            if not items:
                st.info("Nog geen afspraken voor deze gemeente. Maak ze op de pagina Afspraken.")
            else:
                table = m.table()
                for col in ("kwadrant_toen", "kwadrant_nu"):
                    table[col] = table[col].map(lambda k: names.get(k, k) if isinstance(k, str) else "")
                table["richting_goed"] = table["richting_goed"].map({True: "ja", False: "nee"}).fillna("–")
                st.dataframe(table.rename(columns=HEADERS), hide_index=True, width="stretch")
            st.caption(PEERS_UITLEG)
            st.caption(SIGNAAL_UITLEG)
        with t_stad:
            show_city(items, gm, cfg)
    except SQLAlchemyError as exc:
        afspraken.store_failure(exc)
    layout.caution()
