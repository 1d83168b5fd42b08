"""The Menukaart page (the whole catalogue, filtered) and the suggestions for one buurt."""

from __future__ import annotations

import streamlit as st

from ..menukaart import CATEGORIEEN, ITEM_QUADRANTS, TREKKERS, Interventie, Menukaart, Suggestie, group_by_category
from . import layout, loaders

DISCLAIMER = (
    "De menukaart doet **suggesties, geen voorschriften**: ze volgen uit openbare cijfers en de "
    "drempels in de catalogus. Kies samen met bewoners en partners wat in deze buurt past."
)


def _item_details(i: Interventie) -> None:
    st.markdown(f"**Trekker:** {', '.join(i.trekker)}")
    st.markdown(f"{i.waarom}")
    st.markdown(f"**Bron:** {i.bron}")
    st.markdown(f"**Wat werkte en wat niet:** {i.bewijs}")


def suggestions(suggesties: list[Suggestie], top: int = 10) -> None:
    """The suggested menukaart for one buurt, grouped by category.

    Each item shows its trekker, why it fits here (``redenen``), what could not be checked
    (``onbekend``), its source and its evidence.
    """
    st.caption(DISCLAIMER)
    if not suggesties:
        st.info("Met de huidige gegevens past geen interventie uit de menukaart bij deze buurt.")
        return
    if any(u.startswith("kwadrant onbekend") for u in suggesties[0].onbekend):
        st.warning("Deze buurt heeft te weinig gegevens voor een kwadrant. De suggesties hieronder "
                   "rusten alleen op de voorwaarden die wel te controleren zijn en zijn dus onzeker.")
    show_all = st.toggle(f"Toon alle {len(suggesties)} passende interventies", key="mk_alle") if len(suggesties) > top else True
    shown = suggesties if show_all else suggesties[:top]
    for label, items in group_by_category(shown).items():
        st.markdown(f"##### {label}")
        for s in items:
            i = s.interventie
            with st.container(border=True):
                st.markdown(f"**{i.titel}**  \n:small[Trekker: {', '.join(i.trekker)}]")
                st.markdown("Waarom hier: " + "; ".join(s.redenen))
                if s.onbekend:
                    st.markdown(":small[:material/help: Onbekend (ontbrekende gegevens): " + "; ".join(s.onbekend) + "]")
                with st.expander("Toelichting, bron en bewijs"):
                    _item_details(i)


def catalogue(mk: Menukaart, kwadrant_namen: dict[str, str]) -> None:
    """Browse and filter the whole catalogue by category, trekker, quadrant and text.

    Widget keys start with ``mk_`` so they never collide with the sidebar (``buurt``, ``wijk`` …).
    """
    c1, c2, c3 = st.columns(3)
    cats = c1.multiselect("Categorie", list(CATEGORIEEN), format_func=CATEGORIEEN.get, key="mk_categorie",
                          placeholder="Alle categorieën", select_all=False)
    trekkers = c2.multiselect("Trekker", list(TREKKERS), key="mk_trekker", placeholder="Alle trekkers",
                              select_all=False)
    kws = c3.multiselect("Kwadrant", list(ITEM_QUADRANTS), format_func=lambda q: kwadrant_namen.get(q, q),
                         key="mk_kwadrant", placeholder="Alle kwadranten", select_all=False)
    tekst = st.text_input("Zoek in titel, toelichting en bewijs", key="mk_zoek")
    items = mk.filter(cats, trekkers, kws, tekst)
    st.caption(f"{len(items)} van de {len(mk)} interventies.")
    if not items:
        st.info("Geen interventies met deze filters. Maak een filter leeg om meer te zien.")
        return
    table = mk.table(items)
    table["kwadranten"] = [", ".join(kwadrant_namen.get(q, q) for q in i.kwadranten) for i in items]
    # The overview fits the page; reasons, contra-indications and evidence are in the expanders below.
    headers = {"titel": "Interventie", "categorie": "Categorie", "trekker": "Trekker", "kwadranten": "Kwadranten",
               "voorwaarden": "Voorwaarden"}
    layout.table(table[list(headers)], headers=headers, key="mk_tabel",
                 widths={"titel": "large", "voorwaarden": "large", "kwadranten": "medium", "trekker": "medium"})
    for cat, label in CATEGORIEEN.items():
        in_cat = [i for i in items if i.categorie == cat]
        if not in_cat:
            continue
        st.markdown(f"#### {label}")
        for i in in_cat:
            with st.expander(i.titel):
                st.markdown(f"**Kwadranten:** {', '.join(kwadrant_namen.get(q, q) for q in i.kwadranten)}")
                st.markdown("**Voorwaarden:** " + ("; ".join(v.label for v in i.voorwaarden) or "geen"))
                st.markdown("**Contra-indicaties:** " + ("; ".join(v.label for v in i.contra) or "geen"))
                _item_details(i)


def render() -> None:
    st.title("Menukaart")
    st.markdown(
        "Interventies per wijkprofiel: wat past bij welke combinatie van draagkracht en fysieke kansen, "
        "wie trekt het, waarom, en wat werkte elders. Kies een buurt op de pagina *Wijkprofiel* voor de "
        "suggesties die bij die buurt passen."
    )
    cfg = loaders.config()
    mk = loaders.menukaart(cfg)
    if mk is not None:
        catalogue(mk, cfg.kwadrant_namen)
    layout.caution()
