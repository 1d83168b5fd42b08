"""The Referenties vergelijken page: buurten whose quadrant depends on the reference."""

from __future__ import annotations

import streamlit as st

from ..errors import WijkprofielenError
from ..reference import REFERENCE_LABELS
from . import guard, layout, loaders, session, sidebar


def _use(naam: str) -> None:
    st.session_state["referentie"] = naam  # the sidebar's choice, before its widget is drawn again


def choose_reference(cfg, in_use: str) -> None:
    """Buttons that make another reference the one every page scores against (as the sidebar does)."""
    cols = st.columns(len(sidebar.references(cfg)))
    for col, naam in zip(cols, sidebar.references(cfg)):
        col.button(sidebar.upper_first(REFERENCE_LABELS[naam].split(" (")[0]), key=f"ref_kies_{naam}", on_click=_use, args=(naam,),
                   disabled=naam == in_use, type="primary" if naam == in_use else "secondary", width="stretch",
                   help="Alle pagina's rekenen met deze referentie; ook te kiezen in de zijbalk onder Vergelijken met.")


def render() -> None:
    """Buurten whose quadrant depends on the reference (gemeente, Nederland, peers)."""
    st.title("Referenties vergelijken")
    cfg, ds, _ = layout.data_start()
    try:
        comp, frame = loaders.load_comparison(ds, cfg)
    except WijkprofielenError as exc:
        st.error(f"De referenties kunnen niet worden vergeleken: {guard.redact(str(exc))}")
        st.stop()
    in_use = session.recipe(cfg).referentie
    st.markdown(f"In gebruik: **{REFERENCE_LABELS[in_use]}**. Hieronder dezelfde buurten, vergeleken met elke referentie.")
    choose_reference(cfg, in_use)
    for naam, reden in comp.niet_beschikbaar.items():
        st.warning(f"Referentie *{REFERENCE_LABELS[naam]}* niet beschikbaar: {guard.redact(reden)}", icon=":material/info:")
    if not comp.kwadranten.empty:
        n_dep = int(comp.afhankelijk.sum())
        st.metric("Buurten waarvan het kwadrant afhangt van de referentie", f"{n_dep} van {len(comp.kwadranten)}")
        names = frame.set_index(frame["buurtcode"].astype(str))
        table = comp.kwadranten[comp.afhankelijk].apply(lambda c: c.map(lambda q: cfg.kwadrant_namen.get(q, q)))
        table.columns = [REFERENCE_LABELS[c].split(" (")[0] for c in table.columns]
        table.insert(0, "Wijk", names.loc[table.index, "wijknaam"])
        table.insert(0, "Buurt", names.loc[table.index, "buurtnaam"])
        layout.table(table.reset_index(drop=True))
        st.caption("Een buurt die wisselt, ligt dicht bij het midden van de ene of de andere referentie: "
                   "bespreek welke vergelijking past bij de vraag. Indicatoren die de landelijke extracten niet hebben "
                   "(zoals lokale gegevens), worden ook bij Nederland en stedelijkheid met de eigen gemeente "
                   "vergeleken; zie de pagina Methode.")
    layout.caution()
