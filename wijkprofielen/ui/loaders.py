"""The cached pipeline of the app: configuration, dataset, menukaart, reference and scores.

The only place in ``wijkprofielen.ui`` that builds these, all through one
:class:`~wijkprofielen.workspace.Workspace` per configuration (the same façade as the CLI and
the exports, so the app shows what they compute). Caches are keyed on a path and its
modification time, the dataset's content hash and the recipe's fingerprint (computed once per
recipe, see :func:`recipe_key`); GeoDataFrames are never cache arguments (unhashable).
Cached frames and results are shared between sessions, not copied per session (a national
dataset's scores and geometry would otherwise be held once per open tab): treat them as read-only.

Each loader has two forms: ``load_*`` raises :class:`~wijkprofielen.errors.WijkprofielenError`
(for the sidebar, which reports it itself), the short name shows the Dutch error with
``st.error`` and stops only the current page.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import NoReturn

import pandas as pd
import streamlit as st

from ..config import Config, Recipe, load_config as read_config
from ..dataset import Dataset, load_dataset as read_dataset
from ..dynamiek import DynamiekResult
from ..errors import WijkprofielenError
from ..gebieden import Gebied, Niveauprofiel
from ..mapping import ColourContext, Colouring, MapGeometry, colour_buurten
from ..mapunits import UnitGeometry, dissolve_units
from ..menukaart import Advies, Menukaart, catalogue_path
from ..peers import PeerIndex
from ..reference import value_origins
from ..scoring import ScoreResult
from ..stability import StabilityResult
from ..synthetic import voorbeeldstad
from ..workspace import ReferenceComparison, Workspace
from . import guard, session

STABILITY_AUTO_MAX = 3_000  # above this many buurten the assenkruis computes stability on request only


def _stop(message: str) -> NoReturn:
    st.error(message)
    st.stop()


def _mtime(path: str | None) -> float:
    try:
        return Path(path).stat().st_mtime if path else 0.0
    except OSError:
        return -1.0


@functools.lru_cache(maxsize=64)
def recipe_key(recipe: Recipe) -> str:
    """The recipe's fingerprint, hashed once per distinct recipe (recipes are frozen and hashable)."""
    return recipe.fingerprint()


# -- configuration ---------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _config_cached(path: str, mtime: float, cwd: str) -> Config:
    # cwd: the packaged defaults' relative paths resolve against it.
    return read_config(path or None)


def load_config() -> Config:
    """The configuration with the recipe chosen in the sidebar (:func:`session.chosen_recept`)."""
    path = session.config_path()
    cfg = _config_cached(path, _mtime(path), os.getcwd())
    return cfg.with_recept(session.chosen_recept(cfg))


def config() -> Config:
    """The validated configuration; on an error, say what is wrong and stop this page."""
    try:
        return load_config()
    except WijkprofielenError as exc:
        _stop(f"De configuratie ({session.config_name()}) kan niet worden gebruikt: "
              + guard.redact(str(exc)))


# -- dataset ---------------------------------------------------------------------------------
@st.cache_resource(show_spinner="Dataset laden …")
def _dataset_cached(path: str | None, mtime: float) -> Dataset:
    return voorbeeldstad() if path is None else read_dataset(path)


def load_dataset(cfg: Config) -> tuple[Dataset, session.DataSource]:
    src = session.data_source(cfg)
    return _dataset_cached(src.pad, _mtime(src.pad)), src


def dataset(cfg: Config) -> tuple[Dataset, session.DataSource]:
    """The dataset to show and where it comes from; on an error, say so and stop this page."""
    try:
        return load_dataset(cfg)
    except WijkprofielenError as exc:
        src = session.data_source(cfg)
        naam = Path(src.pad).stem if src.pad else "ingebouwd voorbeeld"
        _stop(f"De dataset {naam} ({src.herkomst}) kan niet worden geladen: {guard.redact(str(exc))}")


@st.cache_resource(show_spinner=False, max_entries=16)
def _frame_cached(fingerprint: str, jaar: int | None, _ds: Dataset) -> pd.DataFrame:
    # Shared, not copied: a national frame holds millions of vertices.
    return _ds.frame(jaar)


def frame(ds: Dataset, jaar: int | None = None) -> pd.DataFrame:
    """The dataset's buurten with their indicator values of ``jaar`` (None: the latest)."""
    return _frame_cached(ds.fingerprint, jaar, ds)


@st.cache_resource(show_spinner="Kaartgeometrie voorbereiden …", max_entries=4)
def _geometry_cached(fingerprint: str, _ds: Dataset) -> MapGeometry:
    return MapGeometry.cached(_ds)


def map_geometry(ds: Dataset) -> MapGeometry:
    """Simplified web geometry of the dataset, built once per dataset for all sessions and stored on
    disk (``werkmap/kaartcache``), so a restarted server does not simplify again."""
    return _geometry_cached(ds.fingerprint, ds)


@st.cache_resource(show_spinner=False, max_entries=16)
def _map_colouring_cached(fingerprint: str, scores_key: str, cfg_key: str, mode: str, kolom: str | None, label: str | None,
                          _cfg: Config, _ds: Dataset, _frame: pd.DataFrame, _result: ScoreResult,
                          _geo: MapGeometry) -> tuple[Colouring, pd.DataFrame]:
    ordered = _frame.set_index("buurtcode").reindex(_geo.codes).reset_index()
    ctx = ColourContext(ordered, _result.scores.reindex(_geo.codes), _result.recipe, _cfg.kwadrant_namen, kolom, label,
                        uitleg=_cfg.kwadrant_uitleg)
    if mode == "stabiliteit":  # computed only when asked for: costly on a national dataset
        ctx.stabiliteit = stability(_ds, _cfg).tabel["stabiliteit"].reindex(_geo.codes).to_numpy()
    if mode == "status_dynamiek":
        ctx.dynamiek = dynamiek(_ds, _cfg).tabel["dynamiek_klasse"].reindex(_geo.codes).to_numpy()
    return colour_buurten(mode, ctx), ordered


def map_colouring(cfg: Config, ds: Dataset, frame: pd.DataFrame, result: ScoreResult, mode: str,
                  kolom: str | None, label: str | None) -> tuple[Colouring, pd.DataFrame]:
    """The map's colour per buurt in map order (colour mode ``mode``), and the frame in that order.

    Computed once for all sessions that show the same scores in the same colouring: a national
    map's colours and frame would otherwise be held by every open tab.
    """
    return _map_colouring_cached(ds.fingerprint, scores_key(ds, cfg, result), config_key(cfg), mode, kolom,
                                 label, cfg, ds, frame, result, map_geometry(ds))


# -- the workspace and its menukaart --------------------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=8)
def _workspace_cached(config_key: str, menukaart_mtime: float, _cfg: Config) -> Workspace:
    # A new workspace (and so a re-read catalogue) when the configuration or the catalogue file changes.
    return Workspace(_cfg)


def config_key(cfg: Config) -> str:
    """The configuration's fingerprint (its file, chosen recipe and values) as a cache key."""
    return hashlib.sha256(json.dumps([cfg.bron, cfg.recept, cfg.raw], sort_keys=True, default=str).encode()).hexdigest()


def workspace(cfg: Config) -> Workspace:
    """The :class:`Workspace` of ``cfg``, shared between sessions and reruns."""
    return _workspace_cached(config_key(cfg), _mtime(str(catalogue_path(cfg))), cfg)


def menukaart(cfg: Config) -> Menukaart | None:
    """The validated menukaart (``[menukaart] pad`` or the built-in one), or None after a
    Dutch ``st.error`` when the catalogue is invalid: the rest of the page keeps working."""
    try:
        return workspace(cfg).menukaart
    except WijkprofielenError as exc:
        st.error(f"De menukaart kan niet worden gebruikt: {exc}")
        return None


def advies(cfg: Config, frame: pd.DataFrame, result: ScoreResult, code: str) -> Advies | None:
    """The configured menukaart for one buurt (suggestions, te controleren); None when the catalogue is invalid."""
    return None if menukaart(cfg) is None else workspace(cfg).advise(frame, result, code)


# -- scores ----------------------------------------------------------------------------------
def _folder(ws: Workspace) -> str:
    """The reference folder as a cache key ("" when none is configured)."""
    return str(ws.reference_dir or "")


@st.cache_resource(show_spinner=False, max_entries=32)
def _scores_cached(fingerprint: str, recipe_fp: str, jaar: int | None, folder: str, _ds: Dataset,
                   _recipe: Recipe, _ws: Workspace) -> ScoreResult:
    return _ws.score(_frame_cached(fingerprint, jaar, _ds), recipe=_recipe, herkomst=value_origins(_ds, jaar))


def scored(ds: Dataset, cfg: Config, jaar: int | None = None, recipe: Recipe | None = None
           ) -> tuple[pd.DataFrame, ScoreResult]:
    """``(frame, ScoreResult)``, cached per dataset, recipe, year and reference folder.

    By default the sidebar's year and recipe (:func:`session.peiljaar`, :func:`session.recipe`),
    so every page scores with the weights the user set.
    """
    jaar = session.peiljaar(ds) if jaar is None else jaar
    rec = session.recipe(cfg) if recipe is None else recipe
    ws = workspace(cfg)
    try:
        result = _scores_cached(ds.fingerprint, recipe_key(rec), jaar, _folder(ws), ds, rec, ws)
    except WijkprofielenError as exc:
        _stop(f"De scores kunnen niet worden berekend: {exc}")
    return frame(ds, jaar), result


def scores_key(ds: Dataset, cfg: Config, result: ScoreResult) -> str:
    """The cache key of the shown scores (recipe, the sidebar's year, reference folder)."""
    return _scores_key(ds, workspace(cfg), result, None)


def _scores_key(ds: Dataset, ws: Workspace, result: ScoreResult, jaar: int | None) -> str:
    """The key of shown scores: recipe, year and reference folder (as the scores' own cache)."""
    return f"{recipe_key(result.recipe)}|{session.peiljaar(ds) if jaar is None else jaar}|{_folder(ws)}"


@st.cache_data(show_spinner="Stabiliteit berekenen …", max_entries=16)
def _stability_cached(fingerprint: str, scores_key: str, opts, _frame, _result: ScoreResult,
                      _ws: Workspace) -> StabilityResult:
    return _ws.stability(_frame, _result)


@st.cache_data(show_spinner="Onzekerheid berekenen …", max_entries=8)
def _intervals_cached(fingerprint: str, scores_key: str, opts, _frame, _result: ScoreResult,
                      _ws: Workspace) -> pd.DataFrame:
    return _ws.intervals(_frame, _result)


def _perturbed(cached, what: str, ds: Dataset, cfg: Config, jaar: int | None):
    buurten, result = scored(ds, cfg, jaar)
    ws = workspace(cfg)
    try:  # opts: the [stabiliteit] settings are part of the key
        return cached(ds.fingerprint, _scores_key(ds, ws, result, jaar), cfg.stabiliteit, buurten, result, ws)
    except WijkprofielenError as exc:
        _stop(f"De {what} kan niet worden berekend: {exc}")


def stability(ds: Dataset, cfg: Config, jaar: int | None = None) -> StabilityResult:
    """The stability of the shown placements over alternative recipes (cached; follows the recipe)."""
    return _perturbed(_stability_cached, "stabiliteit", ds, cfg, jaar)


def intervals(ds: Dataset, cfg: Config, jaar: int | None = None) -> pd.DataFrame:
    """Per buurt the range of both axis scores over the alternative recipes (cached)."""
    return _perturbed(_intervals_cached, "onzekerheid", ds, cfg, jaar)


@st.cache_resource(show_spinner="Dynamiek berekenen …", max_entries=16)
def _dynamiek_cached(fingerprint: str, scores_key: str, opts, _ds: Dataset, _result: ScoreResult, _jaar: int | None,
                     _ws: Workspace) -> DynamiekResult:
    return _ws.dynamiek(_ds, _result, jaar=_jaar)


def dynamiek(ds: Dataset, cfg: Config, jaar: int | None = None) -> DynamiekResult:
    """The dynamiek of the period ending at ``jaar`` (default the sidebar's year), against the
    shown scores (cached; follows the recipe and the ``[dynamiek]`` settings)."""
    jaar = session.peiljaar(ds) if jaar is None else jaar
    _, result = scored(ds, cfg, jaar)
    ws = workspace(cfg)
    try:
        return _dynamiek_cached(ds.fingerprint, _scores_key(ds, ws, result, jaar), cfg.dynamiek, ds, result, jaar, ws)
    except WijkprofielenError as exc:
        _stop(f"De dynamiek kan niet worden berekend: {exc}")


# -- vergelijkbare buurten -------------------------------------------------------------------
@st.cache_resource(show_spinner="Vergelijkbare buurten zoeken …", max_entries=8)
def _peer_index_cached(fingerprint: str, scores_key: str, opts, _frame, _result: ScoreResult,
                       _ws: Workspace) -> PeerIndex:
    return _ws.peer_index(_frame, _result)


def peers(ds: Dataset, cfg: Config, code: str) -> tuple[pd.DataFrame, ScoreResult]:
    """``(peers, ScoreResult)``: the vergelijkbare buurten of ``code`` under the shown scores
    (the index is built once per dataset, recipe, year and ``[vergelijk]`` settings)."""
    buurten, result = scored(ds, cfg)
    ws = workspace(cfg)
    try:  # opts: the [vergelijk] settings are part of the key
        index = _peer_index_cached(ds.fingerprint, _scores_key(ds, ws, result, None), cfg.vergelijk, buurten, result, ws)
        return ws.peers(buurten, result, code, index=index), result
    except WijkprofielenError as exc:
        _stop(f"De vergelijkbare buurten kunnen niet worden bepaald: {exc}")


# -- wijken and gebieden ----------------------------------------------------------------------
@st.cache_data(show_spinner="Wijken en gebieden berekenen …", max_entries=16)
def _level_cached(fingerprint: str, recipe_fp: str, jaar: int | None, folder: str, niveau: str, definitie: tuple,
                  _ds: Dataset, _gebieden, _recipe: Recipe, _ws: Workspace) -> Niveauprofiel:
    return _ws.level(_ds, niveau, _gebieden, jaar=jaar, recipe=_recipe)


def level(ds: Dataset, cfg: Config, niveau: str, gebieden: list[Gebied] | None = None,
          jaar: int | None = None) -> Niveauprofiel:
    """Figures, scores and spread of every wijk or gebied (cached per dataset, recipe, year and
    the gebieden's definitions), with the sidebar's year and recipe by default."""
    jaar = session.peiljaar(ds) if jaar is None else jaar
    rec = session.recipe(cfg)
    ws = workspace(cfg)
    definitie = tuple((g.naam, g.beschrijving, g.buurtcodes) for g in gebieden or ())
    try:
        return _level_cached(ds.fingerprint, recipe_key(rec), jaar, _folder(ws), niveau, definitie, ds,
                             list(gebieden or ()), rec, ws)
    except WijkprofielenError as exc:
        _stop(f"De {niveau}en kunnen niet worden berekend: {exc}")


@st.cache_resource(show_spinner="Grenzen samenvoegen …", max_entries=16)
def _units_cached(fingerprint: str, leden: tuple, _geo: MapGeometry) -> UnitGeometry:
    return dissolve_units(_geo, dict(leden))


def unit_geometry(ds: Dataset, leden: dict[str, tuple[str, ...]]) -> UnitGeometry:
    """Dissolved outlines of the units ``{eenheid: buurtcodes}``, computed once per dataset and units."""
    return _units_cached(ds.fingerprint, tuple((u, tuple(c)) for u, c in leden.items()), map_geometry(ds))


# -- reference comparison --------------------------------------------------------------------
@st.cache_data(show_spinner="Scores per referentie berekenen …", max_entries=8)
def _comparison_cached(fingerprint: str, recipe_fp: str, jaar: int | None, folder: str, _frame,
                       _recipe: Recipe, _ws: Workspace, _herkomst: dict | None = None) -> ReferenceComparison:
    return _ws.compare_references(_frame, _recipe, herkomst=_herkomst)


def load_comparison(ds: Dataset, cfg: Config) -> tuple[ReferenceComparison, pd.DataFrame]:
    """The shown scores compared with every reference, and the frame; raises on an error."""
    buurten, result = scored(ds, cfg)
    ws = workspace(cfg)
    rec = result.recipe
    return _comparison_cached(ds.fingerprint, recipe_key(rec), session.peiljaar(ds), _folder(ws), buurten, rec, ws,
                              result.herkomst), buurten
