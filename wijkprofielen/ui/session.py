"""Session and URL state: the chosen dataset, the view settings, the buurt, the sidebar recipe.

Every view setting lives in ``st.session_state`` under its URL key and is mirrored in the URL
as a code (``?kleur=dekking&buurt=BU…``), so a copied link restores the view. Values from a
link are validated here; an invalid one gets a Dutch warning and the default. This module
reads and writes state only: it loads nothing (see :mod:`.loaders`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit as st

from ..config import Config, Recipe, find_config
from ..dataset import Dataset
from ..domain import NIVEAUS, QUADRANTS, REFERENCES
from ..formatting import integer
from ..importers.opslag import list_datasets
from ..mapping import COLOUR_MODES

ALLE = "alle"
DATASET_KEY = "dataset"
RECIPE_KEY = "_recept"
URL_SEEN = "_url_gezien"
# URL keys (also the widget keys; keep them unique app-wide).
URL_KEYS = ("recept", "gemeente", "wijk", "kwadrant", "jaar", "referentie", "kleur", "indicator", "buurt", "niveau")
_LABELS = {"recept": "Recept", "gemeente": "Gemeente", "wijk": "Wijk", "kwadrant": "Kwadrant", "jaar": "Jaar",
           "kleur": "Kleuring", "indicator": "Indicator", "buurt": "Buurt", "referentie": "Referentie",
           "niveau": "Niveau"}
GEBIED_KEY = "gebied"  # the gebieden shown at level gebied, by name (repeated in the URL: ?gebied=A&gebied=B)
EENHEID_KEY = "eenheid"  # the wijk or gebied a profile shows (validated by its page: the units depend on the level)


@dataclass(frozen=True)
class DataSource:
    """Where the shown dataset comes from."""

    pad: str | None  # None: the built-in synthetic example; never shown on screen
    herkomst: str  # for the screen: "ingebouwd voorbeeld", "standaard van deze installatie" or "gekozen dataset …"


def config_path() -> str:
    """The configuration file read over the packaged defaults (see
    :func:`~wijkprofielen.config.find_config`); empty: the defaults alone."""
    path = find_config()
    return str(path) if path else ""


def config_name() -> str:
    """The configuration as the screen names it: its file name, or "standaard" for the packaged
    defaults alone (a hosted installation does not show its file system)."""
    path = config_path()
    return Path(path).name if path else "standaard"


# -- the dataset ---------------------------------------------------------------------------
def chosen_dataset() -> Path | None:
    """The dataset chosen in this session or the URL (``?dataset=GM0796``), validated.

    An unknown name gives a Dutch warning and falls back to the default dataset.
    """
    naam = st.session_state.get(DATASET_KEY) or st.query_params.get(DATASET_KEY)
    if not naam:
        return None
    found = list_datasets()
    if naam not in found:
        shown = naam if len(naam) <= 40 else naam[:40] + "…"
        st.warning(
            f"Dataset '{shown}' uit de link is op deze server niet gevonden (beschikbaar: {', '.join(found) or 'geen'}). "
            "Daarom wordt de standaarddataset getoond; kies een dataset op de pagina Data.",
            icon=":material/link_off:",
        )
        forget_dataset()
        return None
    st.session_state[DATASET_KEY] = naam
    return found[naam]


def choose_dataset(naam: str | None) -> None:
    """Make ``naam`` (from geodata/) the dataset of this session and its links; None: the default."""
    if naam is None:
        forget_dataset()
        return
    st.session_state[DATASET_KEY] = naam
    st.query_params[DATASET_KEY] = naam


def keep_dataset() -> None:
    """Put the session's dataset back in the URL at the start of every run: a page switch
    drops the query parameters, and a copied link must open the same dataset."""
    naam = st.session_state.get(DATASET_KEY)
    if naam and st.query_params.get(DATASET_KEY) != naam:
        st.query_params[DATASET_KEY] = naam


def follow_dataset(naam: str, synthetisch: bool) -> bool:
    """Show the dataset a workshop was made with (by its name in geodata/, or the built-in
    example); True when that changed the choice, so the caller reruns."""
    if synthetisch:
        target = None
    elif naam in list_datasets():
        target = naam
    else:
        return False
    if st.session_state.get(DATASET_KEY) == target:
        return False
    choose_dataset(target)
    return True


def forget_dataset() -> None:
    st.session_state.pop(DATASET_KEY, None)
    st.query_params.pop(DATASET_KEY, None)


def current_dataset_name() -> str | None:
    """The dataset name in the session or the URL, unvalidated (for the Data page's choice)."""
    return st.session_state.get(DATASET_KEY) or st.query_params.get(DATASET_KEY)


def data_source(cfg: Config) -> DataSource:
    """Which dataset to show: the chosen one, ``WIJKPROFIELEN_DATA``, ``[data] pad`` or the example."""
    chosen = chosen_dataset()
    if chosen is not None:
        return DataSource(str(chosen), f"gekozen dataset {chosen.stem}")
    env = os.environ.get("WIJKPROFIELEN_DATA")
    if env:
        return DataSource(env, "standaard van deze installatie")
    if cfg.data_pad:  # already absolute: relative paths resolve against the config file's folder
        return DataSource(cfg.data_pad, "standaard van deze installatie")
    return DataSource(None, "ingebouwd voorbeeld")


def dataset_key(ds: Dataset) -> str:
    """A short content hash of the dataset, so a link says which data it was made with."""
    return ds.fingerprint[:10]


# -- URL-bound view settings ---------------------------------------------------------------
def write_url(key: str, value, default=None) -> None:
    """Put a setting in the URL (and drop it when it is the default), so a link restores it."""
    seen = st.session_state.setdefault(URL_SEEN, {})
    if value is None or value == default:
        if key in st.query_params:
            del st.query_params[key]
        seen.pop(key, None)
        return
    text = str(value)
    if st.query_params.get(key) != text:
        st.query_params[key] = text
    seen[key] = text


def _url_options(ds: Dataset, recepten=()) -> dict[str, dict[str, object]]:
    """Per URL key: ``{text in the URL: value}`` of everything a link may name."""
    g = ds.gebieden
    # Lists, not the columns: iterating an Arrow-backed column is slow for a national dataset.
    codes = {k: g[k].tolist() for k in ("gemeentecode", "wijkcode", "buurtcode")}
    return {
        "recept": {n: n for n in recepten},
        "gemeente": {ALLE: ALLE} | {c: c for c in codes["gemeentecode"]},
        "wijk": {ALLE: ALLE} | {c: c for c in codes["wijkcode"]},
        "kwadrant": {ALLE: ALLE} | {q: q for q in QUADRANTS},
        "jaar": {str(j): j for j in ds.jaren()},
        "referentie": {r: r for r in REFERENCES},
        "kleur": {m: m for m in COLOUR_MODES},
        "indicator": {k: k for k in ds.kolommen},
        "buurt": {c: c for c in codes["buurtcode"]},
        "niveau": {n: n for n in NIVEAUS},
    }


def seed_from_url(ds: Dataset, recepten=()) -> list[str]:
    """Copy view settings from the URL into session state, once per new URL value.

    Returns Dutch warnings for values that are not valid (those keep their default). The
    URL holds codes (``?buurt=BU…&kleur=dekking``), not display labels, so links stay short
    and stable; that is why the widgets are synced here rather than with ``bind=``.
    """
    seen = st.session_state.setdefault(URL_SEEN, {})
    warnings = []
    raw = st.query_params.get("versie")
    if raw is not None and seen.get("versie") != raw:
        seen["versie"] = raw
        if raw != dataset_key(ds):
            warnings.append(
                "Deze link is gemaakt met een andere dataset dan nu is geladen. Buurten en cijfers kunnen "
                f"verschillen; getoond wordt {ds.naam}."
            )
    options = _url_options(ds, recepten)
    for key in URL_KEYS:
        raw = st.query_params.get(key)
        if raw is None or seen.get(key) == raw:
            continue
        seen[key] = raw
        if raw in options[key]:
            st.session_state[key] = options[key][raw]
        else:
            shown = raw if len(raw) <= 40 else raw[:40] + "…"
            warnings.append(
                f"De link bevat een onbekende waarde voor {_LABELS[key].lower()}: “{shown}”. "
                "De standaardinstelling wordt getoond; kies zelf een geldige waarde."
            )
    return warnings


def seed_gebieden_from_url(available) -> list[str]:
    """Copy the gebieden named in the URL (``?gebied=…``, repeatable) into session state, once per new URL.

    ``available``: the names of the stored gebieden of this dataset. Unknown names are left out
    with a Dutch warning that names them and says where to find the gebieden.
    """
    seen = st.session_state.setdefault(URL_SEEN, {})
    raw = st.query_params.get_all(GEBIED_KEY)
    text = "\x1f".join(raw)
    if not raw or seen.get(GEBIED_KEY) == text:
        return []
    seen[GEBIED_KEY] = text
    known = [n for n in raw if n in set(available)]
    st.session_state[GEBIED_KEY] = list(dict.fromkeys(known))
    unknown = [n if len(n) <= 40 else n[:40] + "…" for n in raw if n not in set(available)]
    if not unknown:
        return []
    return [f"De link noemt {'een gebied' if len(unknown) == 1 else 'gebieden'} dat hier niet is opgeslagen: "
            f"{', '.join('“' + n + '”' for n in unknown)}. Kies een opgeslagen gebied in de zijbalk of maak het "
            "opnieuw op de pagina Gebiedsprofiel."]


def niveau() -> str:
    """The level chosen in the sidebar: ``buurt``, ``wijk`` or ``gebied``."""
    value = st.session_state.get("niveau")
    return value if value in NIVEAUS else "buurt"


def chosen_gebieden() -> list[str]:
    """The names of the gebieden chosen in the sidebar (at level gebied)."""
    return list(st.session_state.get(GEBIED_KEY) or [])


def write_gebieden_url(names: list[str]) -> None:
    """Keep the chosen gebieden in the URL (left out when none is chosen)."""
    seen = st.session_state.setdefault(URL_SEEN, {})
    if st.query_params.get_all(GEBIED_KEY) != list(names):
        if names:
            st.query_params[GEBIED_KEY] = list(names)
        else:
            st.query_params.pop(GEBIED_KEY, None)
    seen[GEBIED_KEY] = "\x1f".join(names)


def keep_buurt() -> None:
    """Keep the buurt and unit choices on pages that do not draw their widgets (Streamlit drops them otherwise)."""
    for key in ("buurt", EENHEID_KEY):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def url_selectbox(label: str, options: list, key: str, format_func=str, default=None, **kwargs):
    """A selectbox whose value is kept in the URL under ``key`` (left out when it is the default)."""
    default = options[0] if default is None else default
    if st.session_state.get(key) not in options:
        st.session_state[key] = default  # e.g. a wijk of another gemeente
    value = st.selectbox(label, options, key=key, format_func=format_func, **kwargs)
    write_url(key, value, default)
    return value


def peiljaar(ds: Dataset | None = None) -> int | None:
    """The year chosen in the sidebar (None: the latest year of each indicator)."""
    jaar = st.session_state.get("jaar")
    if ds is not None and jaar not in ds.jaren():
        return None
    return jaar


def view_settings() -> dict:
    """The current view settings (gemeente, wijk, kwadrant, kleur, indicator)."""
    return {k: st.session_state.get(k, ALLE if k in ("gemeente", "wijk", "kwadrant") else None)
            for k in ("gemeente", "wijk", "kwadrant", "kleur", "indicator")}


def view_mask(frame: pd.DataFrame, scores: pd.DataFrame | None = None) -> np.ndarray:
    """Which buurten pass the gemeente, wijk and kwadrant filters (in frame order)."""
    v = view_settings()
    mask = np.ones(len(frame), dtype=bool)
    if v["gemeente"] not in (None, ALLE):
        mask &= (frame["gemeentecode"] == v["gemeente"]).to_numpy()
    if v["wijk"] not in (None, ALLE):
        mask &= (frame["wijkcode"] == v["wijk"]).to_numpy()
    if v["kwadrant"] not in (None, ALLE) and scores is not None:
        mask &= (scores.reindex(frame["buurtcode"])["kwadrant"] == v["kwadrant"]).to_numpy()
    return mask


# -- the buurt -----------------------------------------------------------------------------
def buurt_options(frame) -> dict[str, str]:
    """``{buurtcode: "naam (code) — wijk"}`` sorted by name, for a searchable selectbox."""
    rows = frame.sort_values(["buurtnaam", "buurtcode"])
    return {c: f"{n} ({c}) — {w}"
            for c, n, w in zip(rows["buurtcode"].tolist(), rows["buurtnaam"].tolist(), rows["wijknaam"].tolist())}


def choose_buurt(code: str) -> None:
    """Open another buurt (a button's ``on_click``: runs before the buurt choice is drawn again)."""
    st.session_state["buurt"] = code
    write_url("buurt", code)


LIST_MAX = 2_500  # a longer list is searched on the server first: 15,000 options weigh on every page in the browser
SEARCH_HITS = 50  # buurten listed for a search text (and before one is typed)


def buurt_selectbox(frame, label: str = "Buurt (zoek op naam of code)") -> str:
    """The keyboard-accessible buurt choice, kept in the URL (``?buurt=BU…``).

    The URL holds the code; a link with an unknown code gets a warning from the sidebar
    and shows the first buurt. (Not ``bind="query-params"``: that puts the display label
    in the URL.) With more than :data:`LIST_MAX` buurten (a national dataset) a search field
    comes first and the list holds its first :data:`SEARCH_HITS` matches and the chosen buurt.
    """
    options = buurt_options(frame)
    if st.session_state.get("buurt") not in options:
        st.session_state.pop("buurt", None)
    if len(options) > LIST_MAX:
        options = _searched(options, label)
        label = "Buurt"
    code = st.selectbox(label, list(options), format_func=options.get, key="buurt")
    write_url("buurt", code)
    return code


def _searched(options: dict[str, str], label: str) -> dict[str, str]:
    """The options that match the search field's text (name, code or wijk; case ignored), and the chosen buurt."""
    tekst = st.text_input(label, key="_buurt_zoek", placeholder="Naam of code, bijv. Centrum").strip()
    zoek = tekst.casefold()
    hits = [c for c, t in options.items() if zoek in t.casefold()] if zoek else list(options)
    shown = hits[:SEARCH_HITS]
    chosen = st.session_state.get("buurt")
    if chosen in options and chosen not in shown:
        shown.insert(0, chosen)
    if not zoek:
        st.caption(f"{integer(len(options))} buurten: typ een deel van de naam of code om te zoeken.")
    elif not hits:
        st.caption(f"Geen buurt past bij '{tekst}'. Controleer de spelling of zoek op de code (BU…).")
    else:
        st.caption(f"{integer(len(hits))} van {integer(len(options))} buurten passen bij '{tekst}'"
                   + (f"; de eerste {SEARCH_HITS} staan in de lijst." if len(hits) > SEARCH_HITS else "."))
    return {c: options[c] for c in shown or [next(iter(options))]}


# -- the recipe ----------------------------------------------------------------------------
def chosen_recept(cfg: Config) -> str | None:
    """The recipe chosen in the sidebar or the URL (``?recept=volledig``); None: the configured one."""
    naam = st.session_state.get("recept")
    return naam if naam in cfg.recepten else None


def recipe(cfg: Config) -> Recipe:
    """The recipe to score with: the sidebar's weights, or the configuration's when unchanged."""
    stored = st.session_state.get(RECIPE_KEY)
    # The adjusted recipe counts only for the recipe it was made from (config.toml may change).
    if stored is not None and stored[0] == cfg.recipe:
        return stored[1]
    return cfg.recipe


def set_recipe(base: Recipe, adjusted: Recipe) -> None:
    """Remember the sidebar's recipe, made from ``base`` (the configuration's)."""
    st.session_state[RECIPE_KEY] = (base, adjusted)


def forget_recipe() -> None:
    st.session_state.pop(RECIPE_KEY, None)
