"""The Menukaart page (the whole catalogue, filtered) and the suggestions for one buurt."""

from __future__ import annotations

import streamlit as st

from ..errors import WijkprofielenError
from ..menukaart import (
    CATEGORIEEN, ITEM_QUADRANTS, TREKKERS, Advies, Interventie, Menukaart, Suggestie, group_by_category,
)
from . import gebieden, layout, loaders, session

DISCLAIMER = (
    "De menukaart doet **suggesties, geen voorschriften**: ze volgen uit openbare cijfers en de "
    "drempels in de catalogus. Kies samen met bewoners en partners wat in deze buurt past."
)
TE_CONTROLEREN = (
    "Bij deze interventies ontbreekt een cijfer dat beslist of ze passen. Ze staan niet tussen de "
    "suggesties en tellen niet half mee: controleer eerst de genoemde waarde, bijvoorbeeld met lokale "
    "gegevens van gemeente of corporatie."
)


def _item_details(i: Interventie) -> None:
    st.markdown(f"**Trekker:** {', '.join(i.trekker)}")
    st.markdown(f"{i.waarom}")
    st.markdown(f"**Bron:** {i.bron}")
    st.markdown(f"**Wat werkte en wat niet:** {i.bewijs}")


def _card(s: Suggestie) -> None:
    i = s.interventie
    with st.container(border=True):
        st.markdown(f"**{i.titel}**  \n:small[Trekker: {', '.join(i.trekker)}]")
        if s.te_controleren:
            st.markdown("Te controleren:\n" + "\n".join(f"- {c.tekst}" for c in s.controles))
            if s.redenen:
                st.markdown(":small[Wel bekend: " + "; ".join(s.redenen) + "]")
        else:
            st.markdown("Waarom hier: " + "; ".join(s.redenen))
        with st.expander("Toelichting, bron en bewijs"):
            _item_details(i)


def _shown(items: tuple[Suggestie, ...], top: int, key: str, label: str) -> tuple[Suggestie, ...]:
    if len(items) <= top:
        return items
    return items if st.toggle(label.format(n=len(items)), key=key) else items[:top]


def suggestions(advies: Advies, top: int = 10) -> None:
    """The menukaart for one buurt: the suggestions grouped by category, then apart the items
    te controleren with what to check.

    Each suggestion shows its trekker, why it fits here (``redenen``), its source and its
    evidence; an item te controleren shows the missing value and the value that would decide.
    """
    st.caption(DISCLAIMER)
    if advies.kwadrant not in ITEM_QUADRANTS:
        st.warning("Deze buurt heeft te weinig gegevens voor een kwadrant. Interventies die van het kwadrant "
                   "afhangen staan daarom onder *Te controleren*.")
    if not advies.suggesties:
        st.info("Met de bekende gegevens past geen interventie zeker bij deze buurt."
                + (" Zie hieronder wat te controleren is." if advies.te_controleren else ""))
    shown = _shown(advies.suggesties, top, "mk_alle", "Toon alle {n} passende interventies")
    for label, items in group_by_category(list(shown)).items():
        st.markdown(f"##### {label}")
        for s in items:
            _card(s)
    if advies.te_controleren:
        st.markdown(f"#### Te controleren ({len(advies.te_controleren)})")
        st.caption(TE_CONTROLEREN)
        for s in _shown(advies.te_controleren, top, "mk_alle_controle", "Toon alle {n} te controleren interventies"):
            _card(s)


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


def for_buurt(cfg) -> None:
    """The suggestions and the items te controleren for the chosen buurt (or wijk or gebied, at
    the sidebar's level); the catalogue tab keeps working when the dataset cannot be loaded."""
    try:
        ds, src = loaders.load_dataset(cfg)
    except WijkprofielenError as exc:
        st.info(f"Voor de menukaart van één buurt is een dataset nodig. {exc}")
        return
    layout.dataset_banner(ds, src)
    profile = gebieden.level_profile(ds, cfg)
    if profile is not None:  # at wijk or gebied level: the unit's own figures and scores
        frame, result, code = profile.frame, profile.result, gebieden.unit_selectbox(profile)
    else:
        frame, result = loaders.scored(ds, cfg)
        code = session.buurt_selectbox(frame)
    advies = loaders.advies(cfg, frame, result, code)
    if advies is not None:
        suggestions(advies)


def render() -> None:
    st.title("Menukaart")
    st.markdown(
        "Interventies per wijkprofiel: wat past bij welke combinatie van draagkracht en fysieke kansen, "
        "wie trekt het, waarom, en wat werkte elders. Onder *Voor één buurt* staan de suggesties voor een "
        "gekozen buurt, en apart wat eerst te controleren is omdat er een beslissend cijfer ontbreekt."
    )
    cfg = loaders.config()
    mk = loaders.menukaart(cfg)
    if mk is not None:
        alles, buurt = st.tabs(["Hele menukaart", "Voor één buurt"])
        with alles:
            catalogue(mk, cfg.kwadrant_namen)
        with buurt:
            for_buurt(cfg)
    layout.caution()
