"""Parts every page shares: the title with the dataset banner and scores, captions, the caution."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..config import Config
from ..dataset import Dataset
from ..formatting import percent
from ..methode import CAUTION
from ..profiel import score_basis, score_basis_text
from ..reference import REFERENCE_LABELS
from ..scoring import ScoreResult
from . import loaders
from .session import DataSource


def page_start(title: str) -> tuple[Config, Dataset, DataSource, pd.DataFrame, ScoreResult]:
    """What a score page starts with: its title, the config, the dataset banner and the scores.

    Returns ``(cfg, ds, src, frame, result)``; the scores follow the sidebar's recipe and year.
    """
    st.title(title)
    cfg, ds, src = data_start()
    frame, result = loaders.scored(ds, cfg)
    return cfg, ds, src, frame, result


def data_start() -> tuple[Config, Dataset, DataSource]:
    """The config and the dataset, with the dataset banner (for pages without scores)."""
    cfg = loaders.config()
    ds, src = loaders.dataset(cfg)
    dataset_banner(ds, src)
    return cfg, ds, src


def dataset_banner(ds: Dataset, src: DataSource) -> None:
    """Say which dataset is shown and whether it is synthetic."""
    if ds.synthetisch:
        st.info(
            f"**{ds.naam}** — synthetische voorbeeldgemeente, geen echte gegevens. "
            "Importeer echte CBS- en Leefbaarometercijfers via de CLI (`python -m wijkprofielen import`).",
            icon=":material/science:",
        )
    else:
        bron = ds.meta.get("attributie") or "Bronnen: CBS / Kadaster, Leefbaarometer (BZK)"
        st.caption(f"Dataset **{ds.naam}** ({src.herkomst}: `{src.pad}`). {bron}")


def caution() -> None:
    st.caption(CAUTION)


def result_summary(result: ScoreResult) -> str:
    """One line on what the scores rest on, for under a map or chart."""
    gone = result.ontbrekende_kolommen
    referentie = REFERENCE_LABELS.get(result.recipe.referentie, result.recipe.referentie)
    text = (f"Normalisatie: {result.recipe.normalisatie}, referentie: {referentie}, minimale dekking "
            f"{percent(result.recipe.min_dekking)} van het hele recept.")
    if result.referentie_terugval:
        text += " Vergeleken met de eigen gemeente: " + "; ".join(
            f"{k} ({result.terugval_redenen.get(k, 'niet in de referentie')})" for k in result.referentie_terugval) + "."
    if gone:
        text += (" Niet in deze dataset (ontbrekend gewicht, zie Methode voor hoe toe te voegen): " + ", ".join(gone) + ".")
    return text


def score_basis_caption(container, result: ScoreResult, ds: Dataset, buurtcode: str, axis: str) -> None:
    """Say which indicators the buurt's axis score rests on (and which are missing)."""
    container.caption(score_basis_text(score_basis(result, ds, buurtcode, axis)))
