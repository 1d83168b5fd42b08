"""The Referenties vergelijken page: buurten whose quadrant depends on the reference."""

from __future__ import annotations

import streamlit as st

from ..errors import WijkprofielenError
from ..reference import REFERENCE_LABELS
from . import layout, loaders


def render() -> None:
    """Buurten whose quadrant depends on the reference (gemeente, Nederland, peers)."""
    st.title("Referenties vergelijken")
    cfg, ds, _ = layout.data_start()
    try:
        comp, frame = loaders.load_comparison(ds, cfg)
    except WijkprofielenError as exc:
        st.error(f"De referenties kunnen niet worden vergeleken: {exc}")
        st.stop()
    st.markdown(f"In gebruik: **{REFERENCE_LABELS.get(cfg.recipe.referentie, cfg.recipe.referentie)}** "
                "(`[scoring] referentie` in config.toml). Hieronder dezelfde buurten, vergeleken met elke referentie.")
    for naam, reden in comp.niet_beschikbaar.items():
        st.warning(f"Referentie *{REFERENCE_LABELS[naam]}* niet beschikbaar: {reden}", icon=":material/info:")
    if not comp.kwadranten.empty:
        n_dep = int(comp.afhankelijk.sum())
        st.metric("Buurten waarvan het kwadrant afhangt van de referentie", f"{n_dep} van {len(comp.kwadranten)}")
        names = frame.set_index(frame["buurtcode"].astype(str))
        table = comp.kwadranten[comp.afhankelijk].apply(lambda c: c.map(lambda q: cfg.kwadrant_namen.get(q, q)))
        table.columns = [REFERENCE_LABELS[c].split(" (")[0] for c in table.columns]
        table.insert(0, "wijk", names.loc[table.index, "wijknaam"])
        table.insert(0, "buurt", names.loc[table.index, "buurtnaam"])
        st.dataframe(table.reset_index(), hide_index=True)
        st.caption("Een buurt die wisselt, ligt dicht bij het midden van de ene of de andere referentie: "
                   "bespreek welke vergelijking past bij de vraag. Indicatoren die de landelijke extracten niet hebben "
                   "(zoals lokale gegevens), worden ook bij Nederland en stedelijkheid met de eigen gemeente "
                   "vergeleken; zie de pagina Methode.")
    layout.caution()
