"""The shared sidebar (issue 5): URL-bound view settings and the weights panel.

Called from ``app.py`` between ``st.navigation`` and ``pg.run()``, so every page sees the
same gemeente, wijk, kwadrant filter, year, colour mode and recipe. Each view setting is
kept in the URL as a code (``?kleur=dekking&buurt=BU…``), so a copied link restores the
view. A value in the URL that is not an option gets a Dutch warning and the default.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ..config import AXES, NORMALISATIONS, QUADRANTS, Config
from ..dataset import Dataset
from ..errors import ConfigError
from ..mapping import COLOUR_MODES, MapGeometry

ALLE = "alle"
RECIPE_KEY = "_recept"
# URL keys (also the widget keys; keep them unique app-wide).
URL_KEYS = ("gemeente", "wijk", "kwadrant", "jaar", "kleur", "indicator", "buurt")
_LABELS = {"gemeente": "Gemeente", "wijk": "Wijk", "kwadrant": "Kwadrant", "jaar": "Jaar",
           "kleur": "Kleuring", "indicator": "Indicator", "buurt": "Buurt"}


@st.cache_resource(show_spinner="Kaartgeometrie voorbereiden …", max_entries=4)
def _geometry_cached(fingerprint: str, _ds: Dataset) -> MapGeometry:
    return MapGeometry.for_dataset(_ds)  # wiring B: the stored web geometry when the dataset has it


def map_geometry(ds: Dataset) -> MapGeometry:
    """Simplified web geometry of the dataset, built once per dataset for all sessions."""
    return _geometry_cached(ds.fingerprint, ds)


URL_SEEN = "_url_gezien"


def _url_options(cfg: Config, ds: Dataset) -> dict[str, dict[str, object]]:
    """Per URL key: ``{text in the URL: value}`` of everything a link may name."""
    g = ds.gebieden
    return {
        "gemeente": {ALLE: ALLE} | {c: c for c in g["gemeentecode"]},
        "wijk": {ALLE: ALLE} | {c: c for c in g["wijkcode"]},
        "kwadrant": {ALLE: ALLE} | {q: q for q in QUADRANTS},
        "jaar": {str(j): j for j in ds.jaren()},
        "kleur": {m: m for m in COLOUR_MODES},
        "indicator": {k: k for k in ds.kolommen},
        "buurt": {c: c for c in g["buurtcode"]},
    }


def seed_from_url(cfg: Config, ds: Dataset) -> list[str]:
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
    options = _url_options(cfg, ds)
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


def dataset_key(ds: Dataset) -> str:
    """A short content hash of the dataset, so a link says which data it was made with."""
    return ds.fingerprint[:10]


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


def _url_selectbox(label: str, options: list, key: str, format_func=str, default=None, **kwargs):
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


def recipe_for(cfg: Config):
    """The recipe to score with: the sidebar weights, or ``config.toml``'s when unchanged."""
    stored = st.session_state.get(RECIPE_KEY)
    # The adjusted recipe counts only for the config it was made from (config.toml may change).
    if stored is not None and stored[0] == cfg.recipe.fingerprint():
        return stored[1]
    return cfg.recipe


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


def _weight_key(axis: str, kolom: str) -> str:
    return f"gewicht__{axis}__{kolom}"


def _reset_weights(cfg: Config) -> None:
    for (axis, kolom), g in cfg.recipe.weights().items():
        st.session_state[_weight_key(axis, kolom)] = float(g)
    st.session_state["normalisatie"] = cfg.recipe.normalisatie
    st.session_state.pop(RECIPE_KEY, None)


def _weights_panel(cfg: Config, ds: Dataset) -> None:
    from . import state

    base = cfg.recipe
    with st.expander("Weging aanpassen", icon=":material/tune:"):
        st.caption("Verschuif een gewicht: alle pagina's rekenen direct opnieuw. Dit verandert config.toml niet.")
        # Defaults through session state only: the reset writes there too, and a widget
        # with both a default and a session value makes Streamlit warn.
        st.session_state.setdefault("normalisatie", base.normalisatie)
        for (axis, kolom), g in base.weights().items():
            st.session_state.setdefault(_weight_key(axis, kolom), float(g))
        norm = st.radio("Normalisatie", NORMALISATIONS, key="normalisatie", horizontal=True,
                        format_func={"zscore": "z-score", "percentiel": "percentiel"}.get)
        weights = {}
        for axis in AXES:
            a = base.axis(axis)
            st.markdown(f"**{a.label}**")
            for ind in a.indicatoren:
                key = _weight_key(axis, ind.kolom)
                weights[(axis, ind.kolom)] = st.slider(
                    ds.indicatoren[ind.kolom].label if ind.kolom in ds.indicatoren else ind.kolom,
                    0.0, 3.0, step=0.25, key=key,
                    help=f"Kolom {ind.kolom}, richting {'+' if ind.richting > 0 else '−'}, standaard {ind.gewicht:g}",
                )
        try:
            rec = base.with_weights(weights).with_options(normalisatie=norm)
        except ConfigError as exc:
            st.warning(f"{exc} Tot dan wordt de weging uit config.toml gebruikt.")
            rec = base
        st.session_state[RECIPE_KEY] = (base.fingerprint(), rec)
        st.button("Terug naar config.toml", on_click=_reset_weights, args=(cfg,), key="weging_reset",
                  icon=":material/restart_alt:")
        if rec.fingerprint() != base.fingerprint():
            frame, now = state.scored(ds, cfg, recipe=rec)
            _, was = state.scored(ds, cfg, recipe=base)
            table = quadrant_changes(frame, was.scores, now.scores, cfg.kwadrant_namen)
            st.markdown(f"**{len(table)} buurten wisselen van kwadrant** ten opzichte van config.toml.")
            if len(table):
                st.dataframe(table, hide_index=True, height=min(300, 38 + 35 * len(table)))
        else:
            st.caption("Gelijk aan config.toml.")


def quadrant_changes(frame: pd.DataFrame, was: pd.DataFrame, now: pd.DataFrame, namen: dict[str, str]) -> pd.DataFrame:
    """Buurten whose quadrant differs between two score tables: naam, van, naar."""
    a = was["kwadrant"].reindex(frame["buurtcode"]).to_numpy()
    b = now["kwadrant"].reindex(frame["buurtcode"]).to_numpy()
    moved = a != b
    return pd.DataFrame({
        "buurt": frame["buurtnaam"].to_numpy()[moved],
        "buurtcode": frame["buurtcode"].to_numpy()[moved],
        "van": [namen.get(q, q) for q in a[moved]],
        "naar": [namen.get(q, q) for q in b[moved]],
    })


def sidebar() -> None:
    """The shared sidebar: view settings bound to the URL, and the weights panel.

    On a config or data error it shows nothing; the page itself reports the error.
    """
    from . import state

    # A widget's state is dropped on pages that do not draw it; keep the buurt choice.
    if "buurt" in st.session_state:
        st.session_state["buurt"] = st.session_state["buurt"]
    try:
        cfg = state.load_config_quietly()
        ds = state.dataset_quietly(cfg)
    except Exception:  # noqa: BLE001 - the page shows the Dutch error
        return
    g = ds.gebieden
    warnings = seed_from_url(cfg, ds)
    with st.sidebar:
        for w in warnings:
            st.warning(w, icon=":material/link_off:")
        st.markdown("#### Weergave")
        gemeenten = dict(zip(g["gemeentecode"], g["gemeentenaam"]))
        opts = ([ALLE] if len(gemeenten) > 1 else []) + sorted(gemeenten, key=gemeenten.get)
        gm = _url_selectbox("Gemeente", opts, "gemeente", lambda c: "Alle gemeenten" if c == ALLE else f"{gemeenten[c]} ({c})")
        sub = g if gm == ALLE else g[g["gemeentecode"] == gm]
        wijken = dict(zip(sub["wijkcode"], sub["wijknaam"]))
        _url_selectbox("Wijk", [ALLE] + sorted(wijken, key=lambda c: (wijken[c], c)), "wijk",
                         lambda c: "Alle wijken" if c == ALLE else f"{wijken[c]} ({c})")
        _url_selectbox("Kwadrant", [ALLE] + [q for q in QUADRANTS], "kwadrant",
                         lambda q: "Alle kwadranten" if q == ALLE else cfg.kwadrant_namen.get(q, q))
        jaren = ds.jaren()
        if jaren:
            _url_selectbox("Jaar", jaren, "jaar", default=jaren[-1],
                             help="Per indicator het laatste jaar tot en met dit jaar.")
        modes = list(COLOUR_MODES)
        kleur = _url_selectbox("Kleuring van de kaart", modes, "kleur", lambda m: COLOUR_MODES[m].label)
        if COLOUR_MODES[kleur].needs_kolom:
            kol = ds.kolommen
            label = {k: ds.indicatoren[k].label for k in kol}
            default = kol.index("lbm_score") if "lbm_score" in kol else 0
            _url_selectbox("Indicator", kol, "indicator", lambda k: label.get(k, k), default=kol[default])
        _weights_panel(cfg, ds)
    write_url("versie", dataset_key(ds))
