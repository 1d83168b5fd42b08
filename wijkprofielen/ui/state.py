"""Loading and caching for the pages: config, dataset, scores, and the shared sidebar.

Errors in config or data are shown with ``st.error`` and stop only the current page; the
app stays up. GeoDataFrames are never cache arguments (unhashable in Streamlit 1.67):
caches are keyed on paths, modification times and fingerprints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from ..config import REPO_ROOT, Config, load_config
from ..dataset import Dataset, load_dataset
from ..errors import WijkprofielenError
from ..methode import CAUTION  # one definition of the cautions, in the package
from ..scoring import ScoreResult, score
from ..synthetic import voorbeeldstad


@dataclass(frozen=True)
class DataSource:
    """Where the shown dataset comes from."""

    pad: str | None  # None: the built-in synthetic example
    herkomst: str  # "ingebouwd", "config.toml" or "WIJKPROFIELEN_DATA"


def _mtime(path: str | os.PathLike) -> float:
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return -1.0


@st.cache_resource(show_spinner=False)
def _config_cached(path: str, mtime: float) -> Config:
    return load_config(path)


def config() -> Config:
    """The validated domain config; on an error, say what is wrong and stop this page."""
    path = os.environ.get("WIJKPROFIELEN_CONFIG") or str(REPO_ROOT / "config.toml")
    try:
        return _config_cached(path, _mtime(path))
    except WijkprofielenError as exc:
        st.error(f"De configuratie kan niet worden gebruikt: {exc}")
        st.stop()


def data_source(cfg: Config) -> DataSource:
    env = os.environ.get("WIJKPROFIELEN_DATA")
    if env:
        return DataSource(env, "WIJKPROFIELEN_DATA")
    if cfg.data_pad:
        p = Path(cfg.data_pad)
        return DataSource(str(p if p.is_absolute() else REPO_ROOT / p), "config.toml")
    return DataSource(None, "ingebouwd")


@st.cache_resource(show_spinner="Dataset laden …")
def _dataset_cached(path: str | None, mtime: float) -> Dataset:
    return voorbeeldstad() if path is None else load_dataset(path)


def dataset(cfg: Config | None = None) -> tuple[Dataset, DataSource]:
    """The dataset to show, and where it comes from. Treat it as read-only (shared)."""
    cfg = cfg or config()
    src = data_source(cfg)
    try:
        return _dataset_cached(src.pad, _mtime(src.pad) if src.pad else 0.0), src
    except WijkprofielenError as exc:
        st.error(f"De dataset ({src.herkomst}: {src.pad}) kan niet worden geladen: {exc}")
        st.stop()


@st.cache_data(show_spinner=False, max_entries=32)
def _scored_cached(fingerprint: str, recipe_key: str, jaar: int | None, _ds: Dataset, _cfg: Config):
    frame = _ds.frame(jaar)
    return frame, score(frame, _cfg.recipe)


def scored(ds: Dataset, cfg: Config, jaar: int | None = None) -> tuple:
    """``(frame, ScoreResult)`` for the dataset at ``jaar``, cached per dataset and recipe."""
    try:
        return _scored_cached(ds.fingerprint, cfg.recipe.fingerprint(), jaar, ds, cfg)
    except WijkprofielenError as exc:
        st.error(f"De scores kunnen niet worden berekend: {exc}")
        st.stop()


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


def buurt_options(frame) -> dict[str, str]:
    """``{buurtcode: "naam (code) — wijk"}`` sorted by name, for a searchable selectbox."""
    rows = frame.sort_values(["buurtnaam", "buurtcode"])
    return {c: f"{n} ({c}) — {w}" for c, n, w in zip(rows["buurtcode"], rows["buurtnaam"], rows["wijknaam"])}


def buurt_selectbox(frame, label: str = "Buurt (zoek op naam of code)") -> str:
    """The keyboard-accessible buurt choice, bound to the URL (``?buurt=BU…``).

    An unknown code in the URL is ignored by Streamlit; the first buurt is then shown.
    """
    options = buurt_options(frame)
    codes = list(options)
    if st.session_state.get("buurt") not in options:
        st.session_state.pop("buurt", None)
    return st.selectbox(label, codes, format_func=options.get, key="buurt", bind="query-params")


def result_summary(result: ScoreResult) -> str:
    """One line on what the scores rest on, for under a map or chart."""
    gone = result.ontbrekende_kolommen
    text = f"Normalisatie: {result.recipe.normalisatie}, referentie: {result.recipe.referentie}, minimale dekking {result.recipe.min_dekking:.0%}."
    if gone:
        text += " Niet in deze dataset (buiten de score gelaten): " + ", ".join(gone) + "."
    return text
