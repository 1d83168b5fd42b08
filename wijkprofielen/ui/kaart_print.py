"""The Kaart page's print: the current colour mode and selection as a PDF, PNG or SVG download.

The file is drawn only when the download is clicked (a deferred download), once per dataset,
peiljaar, recipe, colour mode, selection and paper (cached); the drawing module is imported
then too, so the Kaart page itself does not load matplotlib.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..config import Config
from ..dataset import Dataset
from ..errors import WijkprofielenError
from ..export import slug
from ..export.kaartopties import FORMATS, MIME, PAPIER, KaartOpties, check_opties, selection
from ..mapping import COLOUR_MODES
from ..scoring import ScoreResult
from . import guard, layout, loaders, session
from .session import ALLE


@st.cache_data(show_spinner=False, max_entries=16)
def _kaart_cached(fingerprint: str, recipe_key: str, jaar: int | None, opties_key: str, fmt: str, _ds: Dataset,
                  _cfg: Config, _frame: pd.DataFrame, _result: ScoreResult, _opties: KaartOpties, _stabiliteit) -> bytes:
    # The drawing code brings matplotlib (some 30 MB per server): loaded when a print is asked for.
    from ..export.kaart import kaart_bytes

    return kaart_bytes(_ds, _frame, _result, _cfg, _opties, fmt, jaar=jaar, stabiliteit=_stabiliteit)


def current_opties(**paper) -> KaartOpties:
    """The sidebar's colour mode and gemeente or wijk, with the paper choices."""
    v = session.view_settings()
    kleur = v["kleur"] if v["kleur"] in COLOUR_MODES else "kwadrant"
    wijk = v["wijk"] if v["wijk"] not in (None, ALLE) else None
    gemeente = v["gemeente"] if v["gemeente"] not in (None, ALLE) and wijk is None else None
    indicator = v["indicator"] if COLOUR_MODES[kleur].needs_kolom else None
    return KaartOpties(kleur=kleur, indicator=indicator, gemeente=gemeente, wijk=wijk, **paper)


OPEN = "kaartprint_open"
OPTION_KEYS = ("kaartprint_formaat", "kaartprint_papier", "kaartprint_liggend", "kaartprint_labels",
               "kaartprint_nummers", "kaartprint_arcering")


def downloads(cfg: Config, ds: Dataset, frame: pd.DataFrame, result: ScoreResult) -> None:
    """"Kaart afdrukken": format and paper, then a download of the map as shown (mode and selection)."""

    @st.fragment
    @guard.guarded
    def body() -> None:
        # Built only while open: its seven widgets made every map page slower to draw.
        box = layout.lazy_expander("Kaart afdrukken (PDF, PNG of SVG)", OPEN, icon=":material/print:", keep=OPTION_KEYS)
        with box:
            if not box.open:
                return
            c1, c2, c3 = st.columns(3)
            fmt = c1.radio("Formaat", FORMATS, horizontal=True, key="kaartprint_formaat", format_func=str.upper,
                           help="PDF en SVG: vectoren, tekst blijft tekst (voor de raadsstukken). PNG: 300 dpi (voor dia's).")
            papier = c2.radio("Papier", list(PAPIER), horizontal=True, key="kaartprint_papier")
            liggend = c3.toggle("Liggend", key="kaartprint_liggend")
            c1, c2, c3 = st.columns(3)
            labels = c1.checkbox("Buurtnamen", key="kaartprint_labels")
            nummers = c2.checkbox("Klassenummers", key="kaartprint_nummers",
                                  help="Het nummer van de klasse op elke buurt en in de legenda: leesbaar zonder kleur.")
            arcering = c3.checkbox("Arcering per klasse", key="kaartprint_arcering", help="Leesbaar in zwart-wit.")
            opties = current_opties(papier=papier, liggend=liggend, labels=labels, klassenummers=nummers,
                                    arcering=arcering)
            try:
                check_opties(opties)
                _, naam = selection(frame, opties)
            except WijkprofielenError as exc:
                st.warning(f"Deze kaart kan niet worden afgedrukt: {exc}")
                return
            jaar = session.peiljaar(ds)
            stab = loaders.stability(ds, cfg, jaar).tabel["stabiliteit"] if opties.kleur == "stabiliteit" else None
            key = (ds.fingerprint, loaders.recipe_key(result.recipe), jaar, opties.key, fmt)
            st.download_button(
                f"Kaart als {fmt.upper()}", lambda: _kaart_cached(*key, ds, cfg, frame, result, opties, stab),
                f"kaart_{slug(ds.naam)}_{opties.kleur}_{slug(naam)}.{fmt}", MIME[fmt], on_click="ignore",
                icon=":material/download:", key="kaartprint_download")
            st.caption(f"De kaart van {naam} in de kleuring van de zijbalk, met legenda, schaalstok, noordpijl en "
                       "bronnen. Het kwadrantfilter geldt niet voor de afdruk: andere buurten blijven zichtbaar.")

    body()
