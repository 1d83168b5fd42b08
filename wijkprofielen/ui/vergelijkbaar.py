"""The block *Vergelijkbare buurten* of the Wijkprofiel page: the buurten most like this one."""

from __future__ import annotations

import functools

import streamlit as st

from ..config import Config
from ..dataset import Dataset
from ..domain import REFERENCE_LABELS
from ..dynamiek import KLASSE_LABELS
from ..formatting import integer, number, score
from ..peers import differences
from . import layout, loaders, session

PEER_HEADERS = {"buurtnaam": "Buurt", "gemeentenaam": "Gemeente", "afstand": "Afstand",
                "gedeelde_indicatoren": "Gedeelde indicatoren", "kwadrant": "Kwadrant",
                "dynamiek": "Dynamiek draagkracht", "verandering": "Verandering (sd)"}
DIFF_HEADERS = {"indicator": "Indicator", "buurt": "Deze buurt", "vergelijkbaar": "Vergelijkbare buurten (gemiddeld)",
                "verschil": "Verschil"}
DIFF_FORMATS = {"buurt": score, "vergelijkbaar": score, "verschil": functools.partial(number, digits=2, signed=True)}
PER_ROW = 4


def block(cfg: Config, ds: Dataset, code: str) -> None:
    """The peers with distance and quadrant, a button to open each, and how the buurt differs from them."""
    st.markdown("#### Vergelijkbare buurten")
    peers, result = loaders.peers(ds, cfg, code)
    opts = cfg.vergelijk
    where = REFERENCE_LABELS[result.recipe.referentie].split(" (")[0]
    st.caption(f"De {opts.k} buurten in {where} die het meest op deze buurt lijken: de kleinste afstand over de "
               f"genormaliseerde indicatoren van het recept die beide buurten hebben (ten minste "
               f"{opts.min_gedeelde_indicatoren}; 0 = gelijk). Een ontbrekende waarde telt nooit als gelijk. "
               "Vergelijkbaar is een vraag om verder te kijken, geen oordeel.")
    if peers.empty:
        st.info("Geen vergelijkbare buurten: deze buurt heeft te weinig indicatoren met een waarde, of er zijn geen "
                "buurten met genoeg gedeelde indicatoren.", icon=":material/info:")
        return
    # Where each peer is going: its dynamiek class and change on draagkracht over the same period.
    dyn = loaders.dynamiek(ds, cfg)
    codes = peers["buurtcode"].astype(str)
    shown = peers.assign(kwadrant=peers["kwadrant"].map(lambda q: cfg.kwadrant_namen.get(q, q)),
                         dynamiek=[KLASSE_LABELS.get(dyn.klasse(c), "onbekend") for c in codes],
                         verandering=dyn.tabel["dynamiek_draagkracht"].reindex(codes).to_numpy())
    st.caption(f"Dynamiek: de richting van de draagkracht over {dyn.periode} (zie Methode).")
    layout.table(shown[list(PEER_HEADERS)], {"afstand": functools.partial(number, digits=3),
                                            "gedeelde_indicatoren": integer,
                                            "verandering": functools.partial(number, digits=2, signed=True)},
                 headers=PEER_HEADERS, widths={"buurtnaam": "medium", "kwadrant": "medium"})
    st.caption("Open het profiel van een vergelijkbare buurt:")
    rows = list(peers.itertuples())
    for start in range(0, len(rows), PER_ROW):
        for col, r in zip(st.columns(PER_ROW), rows[start:start + PER_ROW]):
            col.button(r.buurtnaam, key=f"peer_{r.buurtcode}", on_click=session.choose_buurt, args=(r.buurtcode,),
                       help=f"Wijkprofiel van {r.buurtnaam} ({r.buurtcode}, {r.gemeentenaam})", width="stretch")
    st.markdown("##### Waarin deze buurt verschilt")
    st.caption("Per indicator de genormaliseerde waarde van deze buurt en het gemiddelde van de vergelijkbare buurten "
               "(richting niet toegepast); de grootste verschillen eerst.")
    table = differences(result, code, peers["buurtcode"])
    layout.table(table[list(DIFF_HEADERS)], DIFF_FORMATS, headers=DIFF_HEADERS, widths={"indicator": "large"})
