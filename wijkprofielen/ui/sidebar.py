"""The shared sidebar: gemeente, wijk and kwadrant filters, year, colour mode and weights.

Drawn from ``app.py`` between ``st.navigation`` and ``pg.run()``, so every page sees the same
view settings and recipe. When the configuration or the dataset cannot be loaded, the sidebar
says why in Dutch and the page continues (it reports its own errors).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..config import Config, Recipe
from ..domain import AXES, EXTERNAL_REFERENCES, NIVEAU_LABELS, NIVEAUS, NORMALISATIONS, QUADRANTS, REFERENCE_LABELS, REFERENCES
from ..dataset import Dataset
from ..errors import ConfigError, WijkprofielenError
from ..formatting import compact
from ..mapping import COLOUR_MODES
from . import gebieden, guard, layout, loaders, session
from .session import ALLE, url_selectbox

NORMALISATION_LABELS = {"zscore": "z-score", "percentiel": "percentiel"}
_WEIGHTS_OF = "_gewichten_van_recept"  # the recipe whose weights the sliders hold


def weight_key(axis: str, kolom: str) -> str:
    return f"gewicht__{axis}__{kolom}"


def _reset_weights(cfg: Config) -> None:
    for (axis, kolom), g in cfg.recipe.weights().items():
        st.session_state[weight_key(axis, kolom)] = float(g)
    st.session_state["normalisatie"] = cfg.recipe.normalisatie
    st.session_state["referentie"] = cfg.recipe.referentie
    st.session_state[_WEIGHTS_OF] = cfg.recept
    session.forget_recipe()


def upper_first(text: str) -> str:
    """A label with its first letter upper case ("de eigen gemeente" → "De eigen gemeente")."""
    return text[:1].upper() + text[1:]


def references(cfg: Config) -> list[str]:
    """The references this installation can score against: the national ones only with their extracts."""
    folder = loaders.workspace(cfg).reference_dir
    external = folder is not None and folder.is_dir()
    return [r for r in REFERENCES if external or r not in EXTERNAL_REFERENCES or r == cfg.recipe.referentie]


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


WEIGHTS_OPEN = "weging_open"  # the expander's state: its sliders are built only while it is open


def weights_panel(cfg: Config, ds: Dataset) -> None:
    """Sliders per indicator weight and the normalisation; the result is the session's recipe.

    The sliders are built only while the expander is open: a dozen of them made every page's
    first drawing about 0.4 s slower in the browser. Closed, the weights set before still count.
    """
    base = cfg.recipe
    if st.session_state.get(_WEIGHTS_OF, cfg.recept) != cfg.recept:  # another recipe: start from its own weights
        _reset_weights(cfg)
    st.session_state[_WEIGHTS_OF] = cfg.recept
    # Defaults through session state only: the reset writes there too, and a widget
    # with both a default and a session value makes Streamlit warn.
    st.session_state.setdefault("normalisatie", base.normalisatie)
    for (axis, kolom), g in base.weights().items():
        st.session_state.setdefault(weight_key(axis, kolom), float(g))
    present = [(axis, ind) for axis in AXES for ind in base.axis(axis).indicatoren if ind.kolom in ds.kolommen]
    box = layout.lazy_expander("Weging aanpassen", WEIGHTS_OPEN, icon=":material/tune:",
                               keep=["normalisatie", *(weight_key(axis, ind.kolom) for axis, ind in present)])
    if box.open:
        with box:
            _weight_sliders(base, ds, present)
    weights = {(axis, ind.kolom): float(st.session_state[weight_key(axis, ind.kolom)]) for axis, ind in present}
    norm = st.session_state["normalisatie"]
    referentie = st.session_state.get("referentie", base.referentie)
    try:
        rec = base.with_weights(weights)
        if norm != base.normalisatie or referentie != base.referentie:
            rec = rec.with_options(normalisatie=norm, referentie=referentie)
    except ConfigError as exc:
        st.warning(f"{exc} Tot dan wordt de weging uit config.toml gebruikt.")
        rec = base
    session.set_recipe(base, rec)
    if not box.open:
        if rec != base:
            st.caption("Eigen weging actief (afwijkend van config.toml): open Weging aanpassen om te zien welke.")
        return
    with box:
        st.button("Terug naar config.toml", on_click=_reset_weights, args=(cfg,), key="weging_reset",
                  icon=":material/restart_alt:")
        if rec == base:
            st.caption("Gelijk aan config.toml.")
            return
        frame, now = loaders.scored(ds, cfg, recipe=rec)
        _, was = loaders.scored(ds, cfg, recipe=base)
        table = quadrant_changes(frame, was.scores, now.scores, cfg.kwadrant_namen)
        st.markdown(f"**{len(table)} buurten wisselen van kwadrant** ten opzichte van config.toml.")
        if len(table):
            layout.table(table.drop(columns=["buurtcode"]), height=min(300, 38 + 35 * len(table)),
                         headers={"buurt": "Buurt", "van": "Van", "naar": "Naar"})


def _weight_sliders(base: Recipe, ds: Dataset, present: list) -> None:
    """The normalisation and a slider per weight of ``present`` (the ``(axis, indicator)`` pairs
    with data: a weight without data moves nothing); their values live in session state."""
    st.caption("Verschuif een gewicht: alle pagina's rekenen direct opnieuw. Dit verandert config.toml niet.")
    st.radio("Normalisatie", NORMALISATIONS, key="normalisatie", horizontal=True, format_func=NORMALISATION_LABELS.get)
    for axis in AXES:
        st.markdown(f"**{base.axis(axis).label}**")
        for ind in (ind for a, ind in present if a == axis):
            st.slider(layout.indicator_label(ds, ind.kolom), 0.0, 3.0, step=0.25, key=weight_key(axis, ind.kolom),
                      help=f"{'Hoger' if ind.richting > 0 else 'Lager'} is gunstiger op deze as. "
                           f"Standaardgewicht {compact(ind.gewicht)}.")
    absent = [layout.indicator_label(ds, ind.kolom) for axis in AXES for ind in base.axis(axis).indicatoren
              if (axis, ind) not in present]
    if absent:
        st.caption(f"Niet in deze dataset, dus zonder schuif: {', '.join(dict.fromkeys(absent))}. Voeg ze toe als "
                   "eigen gegevens met het sjabloon op de pagina Data (tab Sjabloon eigen gegevens).")
        st.page_link("views/data.py", label="Naar het sjabloon", icon=":material/upload_file:")


def level_panel(ds: Dataset) -> None:
    """Buurt, wijk or eigen gebied: the level of the map, assenkruis, profile, menukaart and exports
    (kept in the URL, ``?niveau=wijk``; the chosen gebieden as ``?gebied=…``)."""
    niveau = url_selectbox("Niveau", list(NIVEAUS), "niveau", lambda n: upper_first(NIVEAU_LABELS[n]),
                           help="Buurt: de CBS-buurten. Wijk: de CBS-wijken. Eigen gebied: een gebied dat een team zelf "
                                "samenstelt uit buurten (maak er een op de pagina Gebiedsprofiel).")
    if niveau != "gebied":
        return
    names = gebieden.names(ds)
    if not names:
        st.caption("Nog geen eigen gebieden bij deze dataset: maak er een op de pagina Gebiedsprofiel.")
    st.session_state[session.GEBIED_KEY] = [n for n in session.chosen_gebieden() if n in names]
    chosen = st.multiselect("Gebieden", names, key=session.GEBIED_KEY, placeholder="Alle opgeslagen gebieden",
                            help="Welke eigen gebieden de pagina's tonen; leeg: alle.")
    session.write_gebieden_url(chosen)


WIJK_LIST_MAX = 500  # more wijken (all gemeenten of a national dataset): choose a gemeente first


def view_panel(cfg: Config, ds: Dataset) -> None:
    """Gemeente, wijk, kwadrant, year and colour mode, each kept in the URL."""
    g = ds.gebieden
    st.markdown("#### Weergave")
    level_panel(ds)
    url_selectbox("Recept", list(cfg.recepten), "recept", lambda n: cfg.recepten[n].label, default=cfg.recept_standaard,
                  help="Welke indicatoren de assen vormen. Landelijk: alleen landelijke open data; volledig: ook lokale "
                       "gegevens (plancapaciteit, energielabels, overlast). Zie de pagina Methode.")
    gemeenten = dict(zip(g["gemeentecode"].tolist(), g["gemeentenaam"].tolist()))
    if len(gemeenten) == 1:  # nothing to choose: a line, not a list of one (and one widget less to draw)
        gm, naam = next(iter(gemeenten.items()))
        st.session_state["gemeente"] = gm
        session.write_url("gemeente", gm, gm)
        st.markdown(f"Gemeente: **{layout.md_escape(naam)}** ({gm})")
    else:
        gm = url_selectbox("Gemeente", [ALLE, *sorted(gemeenten, key=gemeenten.get)], "gemeente",
                           lambda c: "Alle gemeenten" if c == ALLE else f"{gemeenten[c]} ({c})")
    sub = g if gm == ALLE else g[g["gemeentecode"] == gm]
    wijken = dict(zip(sub["wijkcode"].tolist(), sub["wijknaam"].tolist()))
    keuze = sorted(wijken, key=lambda c: (wijken[c], c))
    hulp = None
    if gm == ALLE and len(keuze) > WIJK_LIST_MAX:  # a national dataset: thousands of wijken weigh on every page
        keuze = [c for c in keuze if c == st.session_state.get("wijk")]
        hulp = f"Kies eerst een gemeente: de {len(wijken)} wijken van alle gemeenten staan niet in één lijst."
    url_selectbox("Wijk", [ALLE] + keuze, "wijk", lambda c: "Alle wijken" if c == ALLE else f"{wijken[c]} ({c})",
                  help=hulp)
    url_selectbox("Kwadrant", [ALLE, *QUADRANTS], "kwadrant",
                  lambda q: "Alle kwadranten" if q == ALLE else cfg.kwadrant_namen.get(q, q))
    jaren = ds.jaren()
    if jaren:
        url_selectbox("Jaar", jaren, "jaar", default=jaren[-1], help="Per indicator het laatste jaar tot en met dit jaar.")
    url_selectbox("Vergelijken met", references(cfg), "referentie", lambda r: upper_first(REFERENCE_LABELS[r]),
                  default=cfg.recipe.referentie,
                  help="De referentie: tegen welke buurten elke indicator wordt genormaliseerd. Zie ook de pagina "
                       "Referenties vergelijken.")
    kleur = url_selectbox("Kleuring van de kaart", list(COLOUR_MODES), "kleur", lambda m: COLOUR_MODES[m].label)
    if COLOUR_MODES[kleur].needs_kolom:
        kol = ds.kolommen
        label = {k: ds.indicatoren[k].label for k in kol}
        default = kol[kol.index("lbm_score")] if "lbm_score" in kol else kol[0]
        url_selectbox("Indicator", kol, "indicator", lambda k: label.get(k, k), default=default)


def render() -> None:
    """The shared sidebar for every page.

    A configuration or data error is named in the sidebar; an unexpected error is logged with a
    short reference that the sidebar shows. Either way the page itself still runs.
    """
    session.keep_buurt()
    try:
        cfg = loaders.load_config()
        ds, _ = loaders.load_dataset(cfg)
    except WijkprofielenError as exc:
        st.sidebar.error(f"Weergave en weging zijn niet beschikbaar: {guard.redact(str(exc))}", icon=":material/error:")
        return
    try:
        warnings = session.seed_from_url(ds, cfg.recepten)
        if st.query_params.get_all(session.GEBIED_KEY):  # the store is opened only when a link names gebieden
            warnings += session.seed_gebieden_from_url(gebieden.names(ds))
        cfg = loaders.load_config()  # with the recipe the link may have named
        with st.sidebar:
            for w in warnings:
                st.warning(w, icon=":material/link_off:")
            view_panel(cfg, ds)
            weights_panel(cfg, ds)
        session.write_url("versie", session.dataset_key(ds))
    except Exception as exc:  # noqa: BLE001 - the page must stay usable; the details go to the server log
        ref = guard.report(exc, "de zijbalk")
        st.sidebar.error(f"De zijbalk kan niet worden getoond door een onverwachte fout (melding {ref}). De pagina "
                         "gebruikt de standaardinstellingen; meld de code aan de beheerder.", icon=":material/error:")
