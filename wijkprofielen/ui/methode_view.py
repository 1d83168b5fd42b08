"""Streamlit rendering of the Methode page, the reference comparison and the stability badge."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from ..config import Config
from ..dataset import Dataset
from ..errors import WijkprofielenError
from ..methode import cautions_markdown, indicator_overview, methode_markdown, rules, stability_text
from ..reference import REFERENCE_LABELS, reference_dir
from ..scoring import ScoreResult
from ..stability import BADGES, StabilityResult, badge
from ..workspace import compare_references
from . import state


def render(cfg: Config, ds: Dataset, result: ScoreResult, stab: StabilityResult) -> None:
    """The method page: indicators, rules, stability and cautions, all read from what is computed."""
    st.caption(f"Gegenereerd uit {cfg.bron} (recept {cfg.recipe.fingerprint()}) en dataset **{ds.naam}**"
               + (" — synthetische voorbeeldgegevens" if ds.synthetisch else "") + ".")
    overview = indicator_overview(result.recipe, ds, result=result)
    st.subheader("Indicatoren")
    for axis in cfg.recipe.assen:
        st.markdown(f"**{axis.label}**")
        st.dataframe(
            overview[overview["as"] == axis.label].drop(columns=["as"]), hide_index=True,
            column_config={
                "gewicht": st.column_config.NumberColumn(format="%.2f"),
                "aandeel_gewicht": st.column_config.NumberColumn("aandeel gewicht", format="percent"),
                "jaar": st.column_config.NumberColumn(format="%d"),
                "dekking": st.column_config.ProgressColumn("dekking (buurten met waarde)", format="percent",
                                                           min_value=0.0, max_value=1.0),
            },
        )
    for title, text in rules(cfg, result):
        st.subheader(title)
        st.markdown(text)
    st.subheader("Stabiliteit en grensgevallen")
    st.markdown(stability_text(stab.settings, cfg.recipe))
    keys = [badge(s, g, stab.settings) for s, g in zip(stab.tabel["stabiliteit"], stab.tabel["grensgeval"])]
    counts = pd.Series(keys).value_counts()
    cols = st.columns(4)
    for col, key in zip(cols, ("stevig", "gevoelig", "grensgeval", "geen")):
        col.metric(BADGES[key][0], f"{counts.get(key, 0)} buurten", help=BADGES[key][1])
    st.caption("Trekkingen per soort: " + ", ".join(f"{k} {v}" for k, v in stab.trekkingen.items() if v) + ".")
    st.subheader("Voorzichtig gebruiken")
    st.markdown(cautions_markdown())
    st.download_button("Methode downloaden (Markdown)", methode_markdown(cfg, ds, result, stab.settings),
                       file_name=f"methode_{ds.naam.replace(' ', '_')}.md", mime="text/markdown",
                       icon=":material/download:")


@st.cache_data(show_spinner="Scores per referentie berekenen …", max_entries=8)
def _comparison_cached(fingerprint: str, recipe_key: str, jaar: int | None, folder: str, _frame, _recipe):
    return compare_references(_frame, _recipe, folder=Path(folder) if folder else None)


def comparison(cfg: Config, ds: Dataset):
    """The cached :class:`~wijkprofielen.workspace.ReferenceComparison` of the shown scores (sidebar recipe and year)."""
    frame, result = state.scored(ds, cfg)
    recipe = result.recipe
    return _comparison_cached(ds.fingerprint, recipe.fingerprint(), state.peiljaar(ds), str(reference_dir(cfg.referentie) or ""), frame, recipe), frame


def render_comparison(cfg: Config, ds: Dataset) -> None:
    """Buurten whose quadrant depends on the reference (gemeente, Nederland, peers)."""
    try:
        comp, frame = comparison(cfg, ds)
    except WijkprofielenError as exc:
        st.error(f"De referenties kunnen niet worden vergeleken: {exc}")
        st.stop()
    st.markdown(f"In gebruik: **{REFERENCE_LABELS.get(cfg.recipe.referentie, cfg.recipe.referentie)}** "
                "(`[scoring] referentie` in config.toml). Hieronder dezelfde buurten, vergeleken met elke referentie.")
    for naam, reden in comp.niet_beschikbaar.items():
        st.warning(f"Referentie *{REFERENCE_LABELS[naam]}* niet beschikbaar: {reden}", icon=":material/info:")
    if comp.kwadranten.empty:
        return
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
               "(zoals lokale gegevens), worden ook bij Nederland en stedelijkheid met de eigen gemeente vergeleken; "
               "zie de pagina Methode.")


def stability_badge(stab: StabilityResult, code: str) -> None:
    """The stability badge for one buurt on the Wijkprofiel page."""
    row = stab.tabel.loc[code]
    key = badge(row["stabiliteit"], bool(row["grensgeval"]), stab.settings)
    label, uitleg = BADGES[key]
    icon = {"stevig": ":material/check_circle:", "gevoelig": ":material/swap_horiz:",
            "grensgeval": ":material/border_vertical:", "geen": ":material/help:"}[key]
    detail = ""
    if key != "geen":
        parts = [f"{k} {row[f'stabiliteit_{k}']:.0%}" for k in ("gewichten", "normalisatie", "weglaten") if f"stabiliteit_{k}" in row]
        detail = f" Stabiliteit {row['stabiliteit']:.0%} ({', '.join(parts)})."
    st.badge(f"{label}" + (f" · {row['stabiliteit']:.0%}" if key != "geen" else ""), icon=icon, color="blue")
    st.caption(uitleg + detail + " Zie de pagina Methode.")


def reference_note(cfg: Config, ds: Dataset, code: str) -> None:
    """On a profile: say so when this buurt's quadrant depends on the reference."""
    try:
        comp, _ = comparison(cfg, ds)
    except WijkprofielenError:
        return  # the comparison page explains why; the profile stays usable
    if len(comp.kwadranten.columns) < 2 or code not in comp.afhankelijk.index or not comp.afhankelijk[code]:
        return
    per_ref = ", ".join(f"{REFERENCE_LABELS[r].split(' (')[0]}: {cfg.kwadrant_namen.get(q, q)}"
                        for r, q in comp.kwadranten.loc[code].items())
    st.caption(f"Het kwadrant van deze buurt hangt af van de referentie ({per_ref}). Zie *Referenties vergelijken*.")
