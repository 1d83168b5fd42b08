"""The Gebiedsprofiel page: the profile of a wijk or an own gebied, and making and keeping gebieden.

The profile is the Wijkprofiel at the chosen level: scores, coverage, sub-scores, the figures
with year, source and whether they were published or computed from the buurten, the spread of
the buurten (what the average hides), their stability, and the menukaart. A gebied is made by
clicking buurten on a map (or choosing them in a list), or imported from a CSV, XLSX or JSON
file; every change is a new version in the shared store.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from .. import indicators
from ..charts import assenkruis, assenkruis_data
from ..config import Config
from ..dataset import Dataset
from ..domain import AXES, NIVEAU_LABELS
from ..dragers import quadrant_reading
from ..errors import WijkprofielenError
from ..formatting import measure, percent, score, styled
from ..gebieden import Gebied, GebiedenStore, Niveauprofiel, read_gebieden, to_csv, to_json
from ..mapgeometry import MAP_HEIGHT_PX
from ..mapping import ColourContext, colour_buurten, map_spec, selected_code
from ..export import slug
from . import gebieden, grafiek, layout, loaders, niveau, session
from .export import MIME
from .menukaart import suggestions
from .session import EENHEID_KEY, GEBIED_KEY
from .wijkprofiel import contributions, scores_panel

NEW_BUURTEN = "gm_buurten"  # the buurten of the gebied being made (the multiselect's key)
NEW_NAAM, NEW_BESCHRIJVING = "gm_naam", "gm_beschrijving"
NEW_CLICK = "_gm_klik"  # the last map click, so a rerun does not toggle the same buurt twice
NEW_ID = "_gm_id"  # the stored gebied a new version is made of (None: a new gebied)
TABS = ("Profiel", "Gebied maken", "Gebieden beheren")
TAB_KEY = "gebied_tab"
FIGURE_HEADERS = {"indicator": "Indicator", "waarde": "Waarde", "eenheid": "Eenheid", "jaar": "Jaar", "bron": "Bron",
                  "herkomst": "Herkomst", "aandeel_inwoners": "Inwoners met waarde", "reden": "Ontbreekt omdat"}
SPREAD_HEADERS = {"buurtnaam": "Buurt", "buurtcode": "Code", "draagkracht": "Draagkracht", "fysieke_kansen": "Fysieke kansen",
                  "kwadrant": "Kwadrant", "stabiliteit": "Stabiliteit"}


# -- the profile ----------------------------------------------------------------------------
def figures(profile: Niveauprofiel, code: str) -> pd.DataFrame:
    """The unit's figures for the table: value, unit, year, source and origin
    ("gepubliceerd", or "berekend uit N buurten")."""
    lang = profile.eenheden.lang
    rows = lang[lang["eenheid"].astype(str) == str(code)]
    herkomst = [("gepubliceerd" if h == "gepubliceerd" else (t or "berekend")) if isinstance(h, str) else ""
                for h, t in zip(rows["herkomst"], rows["toelichting"].fillna(""))]
    return pd.DataFrame({
        "indicator": [indicators.info(k).label for k in rows["kolom"]],
        "waarde": rows["waarde"].to_numpy(),
        "eenheid": [indicators.info(k).eenheid for k in rows["kolom"]],
        "jaar": rows["jaar"].to_numpy(),
        "bron": rows["bron"].fillna("").to_numpy(),
        "herkomst": herkomst,
        "aandeel_inwoners": rows["aandeel_inwoners"].to_numpy(),
        "reden": rows["reden"].fillna("").to_numpy(),
    })


def figures_table(table: pd.DataFrame) -> None:
    """The figures at each unit's precision (as the Wijkprofiel's Kerncijfers)."""
    styler = styled(table, {"aandeel_inwoners": percent, "jaar": lambda j: "" if pd.isna(j) else str(int(j))})
    for eenheid, rows in table.groupby(table["eenheid"].fillna(""), sort=False):
        styler = styler.format(functools.partial(measure, eenheid=eenheid), subset=pd.IndexSlice[rows.index, ["waarde"]])
    st.dataframe(styler, hide_index=True, column_config={
        c: st.column_config.Column(h, width="large" if c in ("indicator", "bron", "herkomst") else None)
        for c, h in FIGURE_HEADERS.items()})


def spread_block(cfg: Config, ds: Dataset, profile: Niveauprofiel, code: str) -> None:
    """Each buurt's quadrant and stability, the lowest and highest buurt per axis, and the flag."""
    st.markdown("#### Spreiding van de buurten")
    row = profile.spreiding.set_index("eenheid").loc[code]
    if not bool(row["eenduidig"]):
        st.warning(f"**{'Deze wijk' if profile.niveau == 'wijk' else 'Dit gebied'} is niet eenduidig**: de buurten liggen in tegenovergestelde kwadranten. Het gemiddelde "
                   "verbergt grote verschillen; kijk naar de buurten zelf.", icon=":material/call_split:")
    kwadranten = row["kwadranten"] or {}
    st.markdown(f"{int(row['n_geplaatst'])} van {int(row['n_buurten'])} buurten geplaatst: " + (", ".join(
        f"{n}× {cfg.kwadrant_namen.get(q, q)}" for q, n in kwadranten.items()) or "geen"))
    for axis in AXES:
        low, high = row[f"laagste_{axis}_naam"], row[f"hoogste_{axis}_naam"]
        if isinstance(low, str):
            st.markdown(f"{profile.result.recipe.axis(axis).label}: laagste **{low}** "
                        f"({score(row[f'laagste_{axis}_score'])}), hoogste **{high}** ({score(row[f'hoogste_{axis}_score'])})")
    table = gebieden.unit_buurten(profile, code)
    stab = loaders.stability(ds, cfg).tabel["stabiliteit"]
    table = table.assign(stabiliteit=stab.reindex(table["buurtcode"]).to_numpy(),
                         kwadrant=[cfg.kwadrant_namen.get(q, q) for q in table["kwadrant"]])
    layout.table(table[list(SPREAD_HEADERS)], {"draagkracht": score, "fysieke_kansen": score, "stabiliteit": percent},
                 headers=SPREAD_HEADERS, widths={"buurtnaam": "large"})
    st.caption("Elke buurt is hier gescoord als buurt (tegen buurten). Stabiliteit: hoe vaak de buurt in hetzelfde "
               "kwadrant blijft bij redelijke andere keuzes in het recept (zie Methode).")


def profile_view(cfg: Config, ds: Dataset, profile: Niveauprofiel) -> None:
    code = gebieden.unit_selectbox(profile)
    names = gebieden.unit_names(profile)
    s = profile.result.scores.loc[code]
    kwadrant = s["kwadrant"]
    members = profile.eenheden.leden[code]
    definitie = next((g for g in profile.eenheden.gebieden if g.naam == code), None)
    st.subheader(f"{names[code]} · {NIVEAU_LABELS[profile.niveau]} · {len(members)} buurten")
    if definitie is not None:
        st.caption((definitie.beschrijving + " · " if definitie.beschrijving else "")
                   + f"versie {definitie.versie or 'niet opgeslagen'}")
    st.markdown(f"Kwadrant: **{cfg.kwadrant_namen.get(kwadrant, kwadrant)}** — {cfg.kwadrant_uitleg.get(kwadrant, '')}")
    st.markdown(quadrant_reading(s, profile.result.recipe))
    st.caption(f"Genormaliseerd tegen {profile.referentie}, niet tegen buurten. " + layout.result_summary(profile.result))
    layout.caution()
    left, right = st.columns([2, 3])
    with left:
        frame = niveau.unit_frame(profile)
        data = assenkruis_data(frame, profile.result.scores, cfg.kwadrant_namen)
        rondom = assenkruis_data(gebieden.unit_buurten(profile, code).assign(wijknaam=""),
                                 niveau.buurt_scores(profile, code), cfg.kwadrant_namen)
        grafiek.chart(assenkruis(data, cfg.kwadrant_namen, profile.result.recipe, selected=code, height=300,
                                compact=True, rondom=rondom))
        st.caption("Het gebied tussen de andere eenheden van dit niveau; de kleine punten zijn zijn buurten.")
    with right:
        scores_panel(profile.result, code)
    spread_block(cfg, ds, profile, code)
    contributions(profile.result, ds, code)
    st.markdown("#### Cijfers")
    st.caption("Gepubliceerd: de bron geeft dit cijfer voor de wijk zelf. Berekend: samengesteld uit de buurten naar de "
               "soort van het cijfer (aantallen opgeteld, aandelen gewogen met hun eigen noemer), met het aandeel "
               "inwoners dat een waarde had. Zie de pagina Methode.")
    figures_table(figures(profile, code))
    st.markdown(f"#### Menukaart voor {names[code]}")
    advies = loaders.advies(cfg, profile.frame, profile.result, code)
    if advies is not None:
        suggestions(advies)
    st.caption("Dynamiek en vergelijkbare buurten staan per buurt op de pagina Wijkprofiel.")


# -- making a gebied ------------------------------------------------------------------------
def _toggle_click(code: str | None) -> None:
    """A click on a buurt adds it to the new gebied, a second click takes it out again."""
    if not code or st.session_state.get(NEW_CLICK) == code:
        return
    st.session_state[NEW_CLICK] = code
    chosen = list(st.session_state.get(NEW_BUURTEN, []))
    st.session_state[NEW_BUURTEN] = [c for c in chosen if c != code] if code in chosen else chosen + [code]


def _save(s: GebiedenStore, ds: Dataset, gebied_id: int | None) -> None:
    try:
        g = Gebied(st.session_state.get(NEW_NAAM, ""), tuple(st.session_state.get(NEW_BUURTEN, [])),
                   st.session_state.get(NEW_BESCHRIJVING, ""))
        if gebied_id is None:
            s.create(g, gebieden.gemeentecode(ds))
            versie = 1
        else:
            versie = s.save(gebied_id, g)
    except WijkprofielenError as exc:
        st.session_state["_gm_fout"] = str(exc)
        return
    st.session_state["_gm_klaar"] = f"Gebied “{g.naam}” opgeslagen (versie {versie}, {len(g.buurtcodes)} buurten)."
    for key in (NEW_BUURTEN, NEW_NAAM, NEW_BESCHRIJVING, NEW_CLICK, NEW_ID):
        st.session_state.pop(key, None)
    # Show the new gebied: level gebied, this gebied chosen in the sidebar and on the profile.
    st.session_state["niveau"] = "gebied"
    st.session_state[GEBIED_KEY] = sorted({*session.chosen_gebieden(), g.naam})
    st.session_state[EENHEID_KEY] = g.naam
    st.session_state[TAB_KEY] = TABS[0]


def make_view(cfg: Config, ds: Dataset, s: GebiedenStore) -> None:
    """Click buurten on the map (or choose them in the list), name the gebied and save it."""
    frame, result = loaders.scored(ds, cfg)
    geo = loaders.map_geometry(ds)
    gebied_id = st.session_state.get(NEW_ID)
    if gebied_id is not None:
        st.info(f"Nieuwe versie van “{st.session_state.get(NEW_NAAM, '')}”: pas de buurten, de naam of de "
                "beschrijving aan en sla op.", icon=":material/history:")
    st.caption("Klik op de kaart de buurten van het gebied aan (nog eens klikken haalt een buurt eruit), of kies ze in "
               "de lijst. Een buurt mag in meer gebieden liggen.")
    ordered = frame.set_index("buurtcode").reindex(geo.codes).reset_index()
    chosen = set(st.session_state.get(NEW_BUURTEN, []))
    ctx = ColourContext(ordered, result.scores.reindex(geo.codes), result.recipe, cfg.kwadrant_namen)
    fill = colour_buurten("kwadrant", ctx).fill
    fill = [[20, 20, 20, 235] if c in chosen else [f[0], f[1], f[2], 90] for c, f in zip(geo.codes.tolist(), fill)]
    deck = map_spec(geo, result.scores, ordered, cfg.kwadrant_namen, fill, tegels=cfg.kaart.tegels)
    event = st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", height=MAP_HEIGHT_PX,
                            key="gebied_maken_kaart",
                            alt=f"Kaart van de buurten van {ds.naam} om een gebied samen te stellen; de gekozen buurten "
                                "zijn donker. Kies de buurten ook in de lijst onder de kaart.")
    before = list(st.session_state.get(NEW_BUURTEN, []))
    _toggle_click(selected_code(event))
    if st.session_state.get(NEW_BUURTEN, []) != before:
        st.rerun()
    options = session.buurt_options(frame)
    st.multiselect("Buurten van het gebied", list(options), format_func=options.get, key=NEW_BUURTEN,
                   placeholder="Kies buurten (typ om te zoeken)")
    with st.form("gebied_maken"):
        st.text_input("Naam", key=NEW_NAAM, max_chars=200, placeholder="bijv. Orthen-links")
        st.text_area("Beschrijving", key=NEW_BESCHRIJVING, placeholder="Waarom dit gebied: wie werkt er, welke vraag")
        st.form_submit_button("Gebied opslaan" if gebied_id is None else "Nieuwe versie opslaan", type="primary",
                              icon=":material/save:", on_click=_save, args=(s, ds, gebied_id))
    if "_gm_fout" in st.session_state:
        st.error(st.session_state.pop("_gm_fout"), icon=":material/error:")


# -- keeping gebieden ---------------------------------------------------------------------
def import_view(ds: Dataset, s: GebiedenStore) -> None:
    """A CSV/XLSX (``gebied, buurtcode``) or the JSON export into the store, through the core's reader."""
    upload = st.file_uploader("Gebieden importeren (CSV, XLSX of JSON)", type=["csv", "xlsx", "json"], key="gebied_import",
                              help="CSV of XLSX met de kolommen gebied en buurtcode (en eventueel beschrijving), of "
                                   "een JSON-export van wijkprofielen. Een bekende naam krijgt een nieuwe versie.")
    if upload is None or st.session_state.get("_gi_gedaan") == upload.file_id:
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            result = s.import_gebieden(read_gebieden(path, ds.codes), gebieden.gemeentecode(ds))
        except WijkprofielenError as exc:
            st.error(f"{upload.name} kan niet worden geïmporteerd: {exc}", icon=":material/error:")
            return
    st.session_state["_gi_gedaan"] = upload.file_id
    st.success("Geïmporteerd: " + ", ".join(f"{naam} (versie {v})" for naam, v in result.items()) + ".")


def _new_version(s: GebiedenStore, gebied_id: int) -> None:
    g = s.load(gebied_id)
    st.session_state.update({NEW_ID: gebied_id, NEW_NAAM: g.naam, NEW_BESCHRIJVING: g.beschrijving,
                             NEW_BUURTEN: list(g.buurtcodes)})
    st.session_state.pop(NEW_CLICK, None)
    st.session_state[TAB_KEY] = TABS[1]


def list_view(ds: Dataset, s: GebiedenStore) -> None:
    """The stored gebieden of this dataset; downloads; a new version of one."""
    alle = gebieden.of_dataset(ds, s)
    if not alle:
        st.caption("Nog geen gebieden bij deze dataset.")
        return
    infos = {i.naam: i for i in s.list()}
    table = pd.DataFrame({"naam": [g.naam for g in alle], "versie": [g.versie for g in alle],
                          "buurten": [len(g.buurtcodes) for g in alle], "beschrijving": [g.beschrijving for g in alle],
                          "opgeslagen": [infos[g.naam].opgeslagen_op.strftime("%d-%m-%Y %H:%M") if g.naam in infos else ""
                                         for g in alle]})
    layout.table(table, headers={"naam": "Gebied", "versie": "Versie", "buurten": "Buurten",
                                 "beschrijving": "Beschrijving", "opgeslagen": "Opgeslagen"},
                 widths={"beschrijving": "large"})
    base = f"gebieden_{slug(ds.naam)}"
    c1, c2 = st.columns(2)
    c1.download_button("JSON downloaden", to_json(alle), f"{base}.json", MIME["json"], on_click="ignore",
                       icon=":material/data_object:", key="gebieden_json",
                       help="Alle gebieden met naam, beschrijving, buurten en versie; weer te importeren.")
    c2.download_button("CSV downloaden", to_csv(alle), f"{base}.csv", MIME["csv"], on_click="ignore",
                       icon=":material/table:", key="gebieden_csv", help="Eén regel per gebied en buurt.")
    naam = st.selectbox("Nieuwe versie van", [g.naam for g in alle], key="gebied_versie_van")
    if naam in infos:
        st.button("Bewerken op de tab Gebied maken", key="gebied_bewerk", icon=":material/edit:",
                  on_click=_new_version, args=(s, infos[naam].id))


def profile_tab(cfg: Config, ds: Dataset) -> None:
    """The profile at the sidebar's level; at buurt level the wijk."""
    level = session.niveau()
    if level == "buurt":
        st.caption("In de zijbalk staat het niveau op buurt: hier ziet u de wijk. Kies niveau Eigen gebied voor de "
                   "gebieden van uw team.")
        level = "wijk"
    profile = gebieden.level_profile(ds, cfg, level)
    if profile is None:
        niveau.no_units(level)
    else:
        profile_view(cfg, ds, profile)


def render() -> None:
    st.title("Gebiedsprofiel")
    cfg, ds, src = layout.data_start()
    if "_gm_klaar" in st.session_state:
        st.success(st.session_state.pop("_gm_klaar"), icon=":material/check_circle:")
    s = gebieden.store()
    # Tabs with state: only the open one runs (the profile computes stability, the maker draws a map),
    # and saving a gebied can open its profile.
    profiel, maken, beheren = st.tabs(TABS, key=TAB_KEY, on_change="rerun")
    if profiel.open:
        with profiel:
            profile_tab(cfg, ds)
    if maken.open:
        with maken:
            make_view(cfg, ds, s)
    if beheren.open:
        with beheren:
            import_view(ds, s)
            list_view(ds, s)
