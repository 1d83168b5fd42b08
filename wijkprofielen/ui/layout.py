"""Parts every page shares: the title with the dataset banner and scores, captions, the caution."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from .. import indicators
from ..config import Config
from ..dataset import Dataset
from ..formatting import Formatter, percent, styled
from ..methode import CAUTION
from ..profiel import score_basis, score_basis_text
from ..reference import REFERENCE_LABELS
from ..scoring import ScoreResult
from . import loaders
from .session import DataSource

_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&=\"'")


def md_escape(text: Any) -> str:
    """Text safe inside Streamlit markdown: every markdown/HTML character backslash-escaped.

    >>> md_escape("<script>*x*</script>")
    '\\\\<script\\\\>\\\\*x\\\\*\\\\</script\\\\>'
    """
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in str(text)).replace("\n", " ")


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
        st.caption(f"Dataset **{ds.naam}** ({src.herkomst}) · {gemeenten_text(ds)}. {bron}")


def gemeenten_text(ds: Dataset) -> str:
    """The gemeente of a dataset by name ("gemeente 's-Hertogenbosch"), or how many there are."""
    g = ds.gebieden.drop_duplicates("gemeentecode")
    if len(g) == 1:
        return f"gemeente {g['gemeentenaam'].iloc[0]}"
    return f"{len(g)} gemeenten"


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
            f"{indicator_label(None, k)} ({result.terugval_redenen.get(k, 'niet in de referentie')})"
            for k in result.referentie_terugval) + "."
    if gone:
        text += " Niet in deze dataset (ontbrekend gewicht, zie Methode voor hoe toe te voegen): " + labels(gone) + "."
    return text


def score_basis_caption(container, result: ScoreResult, ds: Dataset, buurtcode: str, axis: str) -> None:
    """Say which indicators the buurt's axis score rests on (and which are missing)."""
    container.caption(score_basis_text(score_basis(result, ds, buurtcode, axis)))


def upload_limit(max_mb: float) -> int:
    """The per-file upload limit in whole MB for ``st.file_uploader``: ``max_mb`` rounded up, at most
    the server's hard cap (``server.maxUploadSize`` in .streamlit/config.toml)."""
    return max(1, min(math.ceil(max_mb), int(st.get_option("server.maxUploadSize"))))


def indicator_label(ds: Dataset | None, kolom: str) -> str:
    """An indicator by its catalogue label (also when the dataset lacks it)."""
    if ds is not None and kolom in ds.indicatoren:
        return ds.indicatoren[kolom].label
    return indicators.info(kolom).label


def labels(kolommen, ds: Dataset | None = None) -> str:
    """Indicators as a readable list of their labels."""
    return ", ".join(indicator_label(ds, k) for k in kolommen)


def table(df: pd.DataFrame, formats: Mapping[str, Formatter] | None = None, *, headers: Mapping[str, str] | None = None,
          widths: Mapping[str, str] | None = None, column_config: dict | None = None, **kwargs):
    """``st.dataframe`` with every cell in Dutch (:func:`~wijkprofielen.formatting.styled`: no ``None``,
    ``nan`` or "-0,00", numbers stay sortable), Dutch ``headers`` and column ``widths``
    ("small", "medium", "large") so a table fits the page without scrolling sideways."""
    headers, widths = headers or {}, widths or {}
    config = {c: st.column_config.Column(headers.get(c), width=widths.get(c)) for c in df.columns
              if c in headers or c in widths}
    kwargs.setdefault("hide_index", True)
    return st.dataframe(styled(df, formats), column_config={**config, **(column_config or {})}, **kwargs)


def lazy_expander(label: str, key: str | None, *, icon: str = ":material/table:", keep=()):
    """An expander whose body is built only while it is open, with a ``key`` (a table of a national
    dataset has 15.000 rows; a dozen sliders slow every page's drawing); without one always
    (``open`` is then None).

    ``keep``: the keys of the widgets inside. While the expander is closed their values are kept
    (Streamlit drops the values of widgets not drawn at the end of a run), so the settings made
    in it hold when it closes and are there again when it opens.
    """
    if key is None:
        return st.expander(label, icon=icon)
    box = st.expander(label, icon=icon, key=key, on_change="rerun")
    if not box.open:
        for k in keep:
            if k in st.session_state:
                st.session_state[k] = st.session_state[k]
    return box
