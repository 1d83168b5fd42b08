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

from ..config import Config, find_config, load_config
from ..dataset import Dataset, load_dataset
from ..errors import WijkprofielenError
from ..methode import CAUTION  # one definition of the cautions, in the package
from ..reference import REFERENCE_LABELS, reference_dir, resolve
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


# A named dataset from geodata/, chosen on the Data page or with ?dataset=<naam>.
DATASET_KEY = "dataset"


def chosen_dataset() -> Path | None:
    """The dataset chosen in this session or the URL (``?dataset=GM0796``), validated.

    An unknown name gives a Dutch warning and falls back to the default dataset.
    """
    from ..importers.opslag import list_datasets

    naam = st.session_state.get(DATASET_KEY) or st.query_params.get(DATASET_KEY)
    if not naam:
        return None
    found = list_datasets()
    if naam not in found:
        st.warning(
            f"Dataset '{naam}' bestaat niet in geodata/ (beschikbaar: {', '.join(found) or 'geen'}). "
            "De standaarddataset wordt getoond; kies een dataset op de pagina Data."
        )
        st.session_state.pop(DATASET_KEY, None)
        st.query_params.pop(DATASET_KEY, None)
        return None
    st.session_state[DATASET_KEY] = naam
    return found[naam]


def score_basis_caption(container, result: ScoreResult, ds: Dataset, buurtcode: str, axis: str) -> None:
    """Say which indicators the buurt's axis score rests on (and which are missing)."""
    from ..profiel import score_basis, score_basis_text

    container.caption(score_basis_text(score_basis(result, ds, buurtcode, axis)))


@st.cache_resource(show_spinner=False)
def _config_cached(path: str, mtime: float, cwd: str) -> Config:
    return load_config(path or None)


def _config_file() -> tuple[str, float, str]:
    path = find_config()
    return (str(path), _mtime(path), os.getcwd()) if path else ("", 0.0, os.getcwd())


def config() -> Config:
    """The validated domain config; on an error, say what is wrong and stop this page."""
    try:
        return _config_cached(*_config_file())
    except WijkprofielenError as exc:
        st.error(f"De configuratie kan niet worden gebruikt: {exc}")
        st.stop()


def load_config_quietly() -> Config:
    """The config, raising instead of showing an error (for the shared sidebar)."""
    return _config_cached(*_config_file())


def dataset_quietly(cfg: Config) -> Dataset:
    """The dataset, raising instead of showing an error (for the shared sidebar)."""
    src = data_source(cfg)
    return _dataset_cached(src.pad, _mtime(src.pad) if src.pad else 0.0)


def data_source(cfg: Config) -> DataSource:
    chosen = chosen_dataset()
    if chosen is not None:
        return DataSource(str(chosen), f"gekozen dataset {chosen.stem}")
    env = os.environ.get("WIJKPROFIELEN_DATA")
    if env:
        return DataSource(env, "WIJKPROFIELEN_DATA")
    if cfg.data_pad:  # already absolute: relative paths resolve against the config file's folder
        return DataSource(cfg.data_pad, "config.toml")
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


@st.cache_resource(show_spinner=False, max_entries=16)
def _frame_cached(fingerprint: str, jaar: int | None, _ds: Dataset):
    # Shared, not copied: a national frame holds millions of vertices. Treat as read-only.
    return _ds.frame(jaar)


@st.cache_data(show_spinner=False, max_entries=32)
def _scores_cached(fingerprint: str, recipe_key: str, jaar: int | None, reference_dir: str, _ds: Dataset, _recipe):
    frame = _frame_cached(fingerprint, jaar, _ds)
    return score(frame, _recipe, resolve(_recipe.referentie, frame, Path(reference_dir) if reference_dir else None))


def _reference_key(cfg: Config) -> str:
    folder = reference_dir(cfg.referentie)
    return str(folder) if folder else ""


def scored(ds: Dataset, cfg: Config, jaar: int | None = None, recipe=None) -> tuple:
    """``(frame, ScoreResult)`` for the dataset, cached per dataset, year and recipe.

    By default the year and the recipe are the sidebar's (:func:`peiljaar`, :func:`recipe`),
    so every page scores with the weights the user set. The frame is shared between
    sessions: treat it as read-only.
    """
    jaar = peiljaar(ds) if jaar is None else jaar
    rec = recipe_for(cfg) if recipe is None else recipe
    try:
        return _frame_cached(ds.fingerprint, jaar, ds), _scores_cached(ds.fingerprint, rec.fingerprint(), jaar, _reference_key(cfg), ds, rec)
    except WijkprofielenError as exc:
        st.error(f"De scores kunnen niet worden berekend: {exc}")
        st.stop()


def page_start(title: str) -> tuple:
    """What a score page starts with: its title, the config, the dataset banner and the scores.

    Returns ``(cfg, ds, src, frame, result)``; the scores follow the sidebar's recipe and year.
    """
    st.title(title)
    cfg = config()
    ds, src = dataset(cfg)
    dataset_banner(ds, src)
    frame, result = scored(ds, cfg)
    return cfg, ds, src, frame, result


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
    """The keyboard-accessible buurt choice, kept in the URL (``?buurt=BU…``).

    The URL holds the code; a link with an unknown code gets a warning from the sidebar
    and shows the first buurt. (Not ``bind="query-params"``: that puts the display label
    in the URL.)
    """
    options = buurt_options(frame)
    codes = list(options)
    if st.session_state.get("buurt") not in options:
        st.session_state.pop("buurt", None)
    code = st.selectbox(label, codes, format_func=options.get, key="buurt")
    write_url("buurt", code)
    return code


def result_summary(result: ScoreResult) -> str:
    """One line on what the scores rest on, for under a map or chart."""
    gone = result.ontbrekende_kolommen
    referentie = REFERENCE_LABELS.get(result.recipe.referentie, result.recipe.referentie)
    text = f"Normalisatie: {result.recipe.normalisatie}, referentie: {referentie}, minimale dekking {result.recipe.min_dekking:.0%}."
    if result.referentie_terugval:
        text += " Vergeleken met de eigen gemeente (niet in de referentie): " + ", ".join(result.referentie_terugval) + "."
    if gone:
        text += " Niet in deze dataset (buiten de score gelaten): " + ", ".join(gone) + "."
    return text


@st.cache_resource(show_spinner=False)
def _menukaart_cached(path: str, mtime: float):
    from ..menukaart import load_menukaart

    return load_menukaart(path)


def menukaart(cfg: Config):
    """The validated menukaart (``[menukaart] pad`` or the built-in one), or None after a
    Dutch ``st.error`` when the catalogue is invalid: the rest of the page keeps working."""
    from ..menukaart import catalogue_path

    try:
        path = str(catalogue_path(cfg))
        return _menukaart_cached(path, _mtime(path))
    except WijkprofielenError as exc:
        st.error(f"De menukaart kan niet worden gebruikt: {exc}")
        return None
# The shared sidebar, URL state and weights.
from .explore_state import (  # noqa: E402  (kept at the end: one block, easy to merge)
    write_url,
    map_geometry,
    peiljaar,
    recipe_for,
    sidebar,
    view_mask,
    view_settings,
)

recipe = recipe_for


# Stability of placements.
@st.cache_data(show_spinner="Stabiliteit berekenen …", max_entries=16)
def _stability_cached(fingerprint: str, scores_key: str, opts, _frame, _result):
    from ..stability import stability as compute

    return compute(_frame, _result.recipe, opts, _result, _result.referentie)


def _perturbation_args(ds: Dataset, cfg: Config, jaar: int | None) -> tuple:
    """Cache key and inputs for the alternative-recipe computations: keyed on the scores shown."""
    frame, result = scored(ds, cfg, jaar)
    # The same key as the scores themselves: recipe, year and reference folder.
    key = f"{result.recipe.fingerprint()}|{peiljaar(ds) if jaar is None else jaar}|{_reference_key(cfg)}"
    return ds.fingerprint, key, cfg.stabiliteit, frame, result


def stability(ds: Dataset, cfg: Config, jaar: int | None = None):
    """The :class:`~wijkprofielen.stability.StabilityResult` for the shown scores (cached).

    Keyed on the scores themselves, so it follows whatever recipe and year the page scored with.
    """
    try:
        return _stability_cached(*_perturbation_args(ds, cfg, jaar))
    except WijkprofielenError as exc:
        st.error(f"De stabiliteit kan niet worden berekend: {exc}")
        st.stop()


# Score intervals for the uncertainty cross.
STABILITY_AUTO_MAX = 3_000  # above this many buurten the assenkruis computes stability on request only


@st.cache_data(show_spinner="Onzekerheid berekenen …", max_entries=8)
def _intervals_cached(fingerprint: str, scores_key: str, opts, _frame, _result):
    from ..stability import score_intervals

    return score_intervals(_frame, _result.recipe, opts, _result, _result.referentie)


def intervals(ds: Dataset, cfg: Config, jaar: int | None = None):
    """Per buurt the range of both axis scores over the alternative recipes (cached, follows the recipe)."""
    try:
        return _intervals_cached(*_perturbation_args(ds, cfg, jaar))
    except WijkprofielenError as exc:
        st.error(f"De onzekerheid kan niet worden berekend: {exc}")
        st.stop()
