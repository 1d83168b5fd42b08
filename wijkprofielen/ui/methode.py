"""The Methode page (generated from the configuration and the dataset), and the stability and
reference notes on a wijkprofiel."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..config import Config, options_table
from ..dataset import Dataset
from ..dynamiek import KLASSE_LABELS
from ..errors import WijkprofielenError
from ..formatting import compact, percent, percent_floor, year
from ..methode import (
    cautions_markdown, dynamiek_text, indicator_overview, methode_markdown, missing_indicators, rules, stability_text,
)
from ..reference import REFERENCE_LABELS
from ..stability import BADGES, StabilityResult, badge, badges
from . import layout, loaders, session


OVERVIEW_HEADERS = {"subas": "Deelas", "kolom": "Kolom", "indicator": "Indicator", "richting": "Richting",
                    "gewicht": "Gewicht", "aandeel_gewicht": "Aandeel gewicht", "bron": "Bron", "jaar": "Jaar",
                    "dekking": "Dekking (buurten met waarde)", "vergeleken_met": "Vergeleken met"}


def render() -> None:
    """The method page: indicators, rules, stability and cautions, all read from what is computed."""
    cfg, ds, src, frame, result = layout.page_start("Methode")
    stab = loaders.stability(ds, cfg)
    st.caption(f"Gegenereerd uit de configuratie {session.config_name()} (recept *{cfg.recept_label}*, "
               f"{loaders.recipe_key(cfg.recipe)}) en dataset **{ds.naam}**"
               + (" — synthetische voorbeeldgegevens" if ds.synthetisch else "") + ".")
    for w in cfg.waarschuwingen:
        st.warning(w, icon=":material/warning:")
    overview = indicator_overview(result.recipe, ds, result=result)
    st.subheader("Indicatoren")
    for axis in cfg.recipe.assen:
        st.markdown(f"**{axis.label}**")
        layout.table(overview[overview["as"] == axis.label].drop(columns=["as"]),
                     {"gewicht": compact, "aandeel_gewicht": percent, "jaar": year, "dekking": percent},
                     headers=OVERVIEW_HEADERS, widths={"indicator": "large", "bron": "medium", "richting": "medium"})
    missing = missing_indicators(result)
    if missing:
        st.markdown("**Ontbrekende indicatoren** (tellen als ontbrekend gewicht in de dekking) en hoe u ze toevoegt:")
        layout.table(pd.DataFrame(missing), headers={"as": "As", "kolom": "Kolom", "indicator": "Indicator",
                                                     "aandeel_gewicht": "Aandeel gewicht", "toevoegen": "Toevoegen"},
                     widths={"indicator": "large", "toevoegen": "large"})
    for title, text in rules(cfg, result):
        st.subheader(title)
        st.markdown(text)
    st.subheader("Stabiliteit en grensgevallen")
    st.markdown(stability_text(stab.settings, cfg.recipe))
    counts = pd.Series(badges(stab.tabel, stab.settings)).value_counts()
    cols = st.columns(5)
    for col, key in zip(cols, ("stevig", "afhankelijk", "gevoelig", "grensgeval", "geen")):
        col.metric(BADGES[key][0], f"{counts.get(key, 0)} buurten", help=BADGES[key][1])
    st.caption("Trekkingen per soort: " + ", ".join(f"{k} {v}" for k, v in stab.trekkingen.items() if v) + ".")
    dynamiek_section(ds, cfg)
    st.subheader("Instellingen")
    st.markdown("Alle instellingen van config.toml met hun standaardwaarde, geschreven zoals in dat bestand (met een "
                "decimale punt); een eigen configuratiebestand overschrijft alleen wat het zelf noemt.")
    layout.table(settings_table(), widths={"Betekenis": "large", "Waarden": "medium"})
    st.subheader("Voorzichtig gebruiken")
    st.markdown(cautions_markdown())
    st.download_button("Methode downloaden (Markdown)", methode_markdown(cfg, ds, result, stab.settings),
                       file_name=f"methode_{ds.naam.replace(' ', '_')}.md", mime="text/markdown",
                       icon=":material/download:")


def dynamiek_section(ds: Dataset, cfg: Config) -> None:
    """How the dynamiek is computed, and how many buurten fall in each class."""
    dyn = loaders.dynamiek(ds, cfg)
    st.subheader("Dynamiek en signaal")
    st.markdown(dynamiek_text(dyn.instellingen))
    for col, (klasse, n) in zip(st.columns(4), dyn.counts().items()):
        col.metric(f"Dynamiek {KLASSE_LABELS[klasse]}", f"{n} buurten")
    st.caption(f"Periode {dyn.periode}; meegeteld: " + (", ".join(
        f"{ds.indicatoren[k].label} ({a}–{b})" for k, (a, b) in dyn.perioden.items()) or "geen indicator") + ".")


def settings_table() -> pd.DataFrame:
    """Every option of the configuration with its default, allowed values and meaning."""
    rows = options_table()
    return pd.DataFrame({"Instelling": [r["optie"] for r in rows], "Standaard": [r["standaard"] for r in rows],
                         "Waarden": [r["waarden"] for r in rows], "Betekenis": [r["betekenis"] for r in rows]})


def stability_badge(stab: StabilityResult, code: str) -> None:
    """The stability badge for one buurt on the Wijkprofiel page."""
    row = stab.tabel.loc[code]
    afhankelijk = row.get("afhankelijk_van", "") or ""
    key = badge(row["stabiliteit"], bool(row["grensgeval"]), stab.settings, afhankelijk)
    label, uitleg = BADGES[key]
    icon = {"stevig": ":material/check_circle:", "afhankelijk": ":material/priority_high:", "gevoelig": ":material/swap_horiz:",
            "grensgeval": ":material/border_vertical:", "geen": ":material/help:"}[key]
    detail = ""
    if key != "geen":
        parts = [f"{k} {percent_floor(row[f'stabiliteit_{k}'])}" for k in ("gewichten", "normalisatie", "weglaten")
                 if f"stabiliteit_{k}" in row]
        detail = f" Stabiliteit {percent_floor(row['stabiliteit'])} ({', '.join(parts)})."
    st.badge(f"{label}" + (f" · {percent_floor(row['stabiliteit'])}" if key != "geen" else ""), icon=icon, color="blue")
    if afhankelijk:
        st.badge(f"Afhankelijk van: {afhankelijk}", icon=":material/link:", color="orange")
        detail += f" Zonder {afhankelijk} (telkens één weggelaten) komt de buurt in een ander kwadrant."
    st.caption(uitleg + detail + " Zie de pagina Methode.")


def reference_note(cfg: Config, ds: Dataset, code: str) -> None:
    """On a profile: say so when this buurt's quadrant depends on the reference."""
    try:
        comp, _ = loaders.load_comparison(ds, cfg)
    except WijkprofielenError:
        return  # the comparison page explains why; the profile stays usable
    if len(comp.kwadranten.columns) < 2 or code not in comp.afhankelijk.index or not comp.afhankelijk[code]:
        return
    per_ref = ", ".join(f"{REFERENCE_LABELS[r].split(' (')[0]}: {cfg.kwadrant_namen.get(q, q)}"
                        for r, q in comp.kwadranten.loc[code].items())
    st.caption(f"Het kwadrant van deze buurt hangt af van de referentie ({per_ref}). Zie *Referenties vergelijken*.")
