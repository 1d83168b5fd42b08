"""The Uitzoomen page: a scenario's measures against the city's targets.

Sections: scenario choice and management (new, copy, delete, upload, download), the
measures editor, totals against each target, contributions per buurt and wijk (map and
table), the mix before and after, concessions and the waterbed, warnings, A vs B.
"""

from __future__ import annotations

import functools

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from .. import opslag
from ..errors import WijkprofielenError
from ..scenario.doelen import Doelen
from ..scenario.evaluate import Evaluatie, compare, compare_buurten
from ..scenario.menukaart_link import suggested_measures
from ..scenario.run import evaluate_scored
from ..scenario.model import SEGMENT_LABELS, SEGMENTS, Scenario, known_interventions, parse_scenario, voorbeeldscenario
from ..scenario.store import ScenarioStore
from ..scenario.visual import contribution_deck, year_chart
from ..formatting import amount, integer, number
from . import beheer, grafiek, layout, loaders, session

SCENARIO_MAX_MB = 5  # a scenario file holds a few hundred measures at most
GEEN = "geen"  # the editor's choice for no segment or no year
EDIT_COLUMNS = ["buurtcode", "interventie", "segment", "aantal", "jaar"]
# Table headers in the field's words.
HEADERS = {
    "buurtcode": "Buurtcode", "buurtnaam": "Buurt", "wijkcode": "Wijkcode", "wijknaam": "Wijk", "kwadrant": "Kwadrant",
    "toegevoegd_sociale_huur": "Sociale huur +", "toegevoegd_midden": "Midden +", "toegevoegd_vrij": "Vrije sector +",
    "toegevoegd_flex": "Flex +", "toegevoegd": "Toegevoegd (zonder flex)", "sloop": "Sloop", "verkoop": "Verkoop",
    "liberalisatie": "Liberalisatie", "netto_sociale_huur": "Sociale huur netto", "verduurzaamd": "Verduurzaamd",
    "pct_sociale_huur_voor": "Sociale huur voor (%)", "pct_sociale_huur_na": "Sociale huur na (%)",
    "pct_corporatiebezit_voor": "Corporatiebezit voor (%)", "pct_corporatiebezit_na": "Corporatiebezit na (%)",
    "plancapaciteit": "Plancapaciteit (woningen)", "woningen": "Woningen voor", "woningen_na": "Woningen na",
    "draagkracht": "Draagkracht", "reden": "Reden", "ruimte_sociale_huur": "Ruimte sociale huur",
    "minder_sociale_huur": "Minder sociale huur dan ruimte", "aandeel_van_doel": "Effect op stedelijk doel sociale huur",
    "instroom_beperkt": "Instroom beperkt", "label": "Doel", "streef": "Streef", "gepland_a": "Gepland A",
    "gepland_b": "Gepland B", "verschil": "Verschil (B − A)", "tekort_a": "Tekort A", "tekort_b": "Tekort B", "eenheid": "Eenheid",
    "toegevoegd_a": "Toegevoegd A", "toegevoegd_b": "Toegevoegd B", "netto_sociale_huur_a": "Sociale huur netto A",
    "netto_sociale_huur_b": "Sociale huur netto B", "pct_sociale_huur_na_a": "Sociale huur na A (%)",
    "pct_sociale_huur_na_b": "Sociale huur na B (%)", "verschil_toegevoegd": "Verschil toegevoegd",
}


def table(df: pd.DataFrame, decimals: int = 1, **kwargs) -> None:
    """A read-only table with Dutch headers, Dutch numbers and quadrant names instead of codes.

    Counts are whole numbers, shares ``decimals`` decimals; a missing share is an en dash.
    """
    named = any(str(c).endswith("naam") for c in df.columns)  # a name says it: the code index stays hidden
    out = df.reset_index() if df.index.name in HEADERS and not named else df
    if "kwadrant" in out.columns:
        out = out.assign(kwadrant=out["kwadrant"].map(lambda k: loaders.config().kwadrant_namen.get(k, k)))
    formats = {c: functools.partial(number, digits=decimals) for c in out.columns
               if str(c).startswith("pct_") or "(%)" in str(c)}
    formats |= {c: integer for c in out.columns if c not in formats and pd.api.types.is_numeric_dtype(out[c])
                and c not in ("jaar",)}
    kwargs.pop("hide_index", None)
    layout.table(out, formats, headers={c: HEADERS[c] for c in out.columns if c in HEADERS},
                 widths={c: "medium" for c in ("buurtnaam", "wijknaam", "label", "reden") if c in out.columns}, **kwargs)


@st.cache_resource(show_spinner=False)
def _store(url: str) -> ScenarioStore:
    return ScenarioStore(url)


def _store_failure(exc: Exception, wat: str) -> str:
    detail = exc if isinstance(exc, WijkprofielenError) else f"de database gaf een fout ({type(exc).__name__})"
    return (f"{wat}: {detail}. Er is niets gewijzigd. Probeer het opnieuw; blijft het misgaan, controleer dan "
            "opslag.database in config.toml of WIJKPROFIELEN_DATABASE.")


def store(cfg) -> ScenarioStore:
    """The scenario store of ``[opslag] database``; on an error, say so and stop the page."""
    try:
        return _store(opslag.resolve_url(opslag.configured_url(cfg)))
    except WijkprofielenError as exc:
        st.error(f"De scenario-opslag is niet bereikbaar: {exc}")
        st.stop()


def targets(cfg, frame) -> tuple[Doelen, object]:
    """The targets and the buurten of one gemeente; with several, the user picks one."""
    gemeenten = sorted(frame["gemeentecode"].unique())
    if len(gemeenten) > 1:
        alle = cfg.doelen
        with_targets = [g for g in gemeenten if g in alle]
        if not with_targets:
            st.error(f"Geen stedelijke doelen voor de gemeenten in deze dataset ({', '.join(gemeenten[:5])}). "
                     "Voeg [doelen.GMxxxx] toe aan config.toml.")
            st.stop()
        namen = dict(zip(frame["gemeentecode"], frame["gemeentenaam"]))
        gm = st.selectbox("Gemeente", with_targets, format_func=lambda g: f"{namen.get(g, g)} ({g})", key="uz_gemeente")
        frame = frame[frame["gemeentecode"] == gm]
    try:
        return loaders.workspace(cfg).doelen_for(frame["gemeentecode"]), frame
    except WijkprofielenError as exc:
        st.error(str(exc))
        st.stop()


def _menukaart():
    """The configured catalogue (cached; None after a Dutch error when it is invalid)."""
    return loaders.menukaart(loaders.config())


# -- scenario management ----------------------------------------------------------------
def choose_scenario(st_store: ScenarioStore, gemeentecode: str, frame, scores, doelen: Doelen, grens: float) -> int | None:
    """Pick, create, copy, delete, upload and download scenarios; return the chosen id."""
    items = st_store.list(gemeentecode)
    labels = {s.id: f"{s.naam} (versie {s.versie})" for s in items}
    # A scenario chosen by a button in the previous run: set before the selectbox exists.
    if "uz_volgende" in st.session_state:
        st.session_state["uz_scenario"] = st.session_state.pop("uz_volgende")
    with st.container(border=True):
        left, right = st.columns([3, 2])
        with left:
            if items:
                if st.session_state.get("uz_scenario") not in labels:
                    st.session_state["uz_scenario"] = items[0].id
                chosen = st.selectbox("Scenario", list(labels), format_func=labels.get, key="uz_scenario")
            else:
                chosen = None
                st.info("Nog geen scenario's voor deze gemeente. Maak er een of begin met het voorbeeldscenario.")
            with st.form("uz_nieuw", clear_on_submit=True, border=False):
                naam = st.text_input("Naam van een nieuw scenario", max_chars=200)
                if st.form_submit_button("Nieuw leeg scenario"):
                    if not naam.strip():
                        st.error("Geef het nieuwe scenario een naam.")
                    else:
                        st.session_state["uz_volgende"] = st_store.create(Scenario(naam.strip()), gemeentecode)
                        st.rerun()
            if st.button("Voorbeeldscenario maken", key="uz_voorbeeld",
                         help="Twee buurten uit deze dataset: een met hoge draagkracht voegt sociale huur toe, een met lage draagkracht middenhuur."):
                sc = voorbeeldscenario(frame, scores, doelen.periode, grens)
                st.session_state["uz_volgende"] = st_store.create(sc, gemeentecode)
                st.rerun()
        with right:
            if chosen is not None:
                c1, c2 = st.columns(2)
                if c1.button("Kopiëren", key="uz_kopie", icon=":material/content_copy:"):
                    st.session_state["uz_volgende"] = st_store.copy(chosen)
                    st.rerun()
                mag = beheer.allowed()
                if c2.button("Verwijderen", key="uz_weg", icon=":material/delete:", disabled=not mag,
                             help="Verbergt het scenario; alle versies blijven in de database." if mag else
                             "Alleen beheerders kunnen scenario's verwijderen; meld u aan op de pagina Data."):
                    st_store.delete(chosen)
                    st.session_state.pop("uz_volgende", None)
                    st.rerun()
                st.download_button("Download JSON", st_store.export_json(chosen), file_name=f"scenario-{chosen}.json",
                                   mime="application/json", key="uz_download", icon=":material/download:")
            upload = st.file_uploader("Scenario uploaden (JSON)", type=["json"], key="uz_upload",
                                      max_upload_size=layout.upload_limit(SCENARIO_MAX_MB))
            if upload is not None and st.button("Uploaden als nieuw scenario", key="uz_upload_knop"):
                try:
                    sid = st_store.import_json(upload.getvalue(), gemeentecode, buurtcodes=frame["buurtcode"].tolist(), periode=doelen.periode,
                                                 menukaart=_menukaart())
                except WijkprofielenError as exc:
                    st.error(f"Het bestand is niet ingelezen: {exc}")
                else:
                    st.session_state["uz_volgende"] = sid
                    st.rerun()
    return chosen


def edit_measures(st_store: ScenarioStore, scenario_id: int, frame, doelen: Doelen) -> Scenario | None:
    """The measures editor. Returns the scenario to evaluate (the edited one), or None when invalid."""
    try:
        saved = st_store.load(scenario_id)
    except WijkprofielenError as exc:
        st.error(f"Dit scenario kan niet worden gelezen: {exc} Kies een ander scenario of verwijder dit.")
        return None
    codes = frame["buurtcode"].tolist()
    names = dict(zip(frame["buurtcode"], frame["buurtnaam"]))
    mk = _menukaart()
    interventies = known_interventions(mk)
    rows = pd.DataFrame([vars(m) for m in saved.maatregelen], columns=EDIT_COLUMNS)
    rows["aantal"] = rows["aantal"].astype("Int64")
    # "No segment" and "no year" are choices of their own, so an empty cell never reads "None".
    rows["segment"] = rows["segment"].fillna(GEEN)
    rows["jaar"] = [GEEN if pd.isna(j) else str(int(j)) for j in rows["jaar"]]
    jaren = [str(j) for j in range(doelen.periode[0], doelen.periode[1] + 1)]
    st.markdown(f"**Maatregelen van '{saved.naam}'** — negatief aantal alleen bij sloop, verkoop en liberalisatie; "
                f"jaar van oplevering {doelen.periode[0]}–{doelen.periode[1]} of zonder jaar.")
    edited = st.data_editor(
        rows, num_rows="dynamic", width="stretch", key=f"uz_editor_{scenario_id}_{len(st_store.versions(scenario_id))}",
        column_config={
            "buurtcode": st.column_config.SelectboxColumn("Buurt", options=codes, required=True, format_func=lambda c: f"{names.get(c, c)} ({c})"),
            "interventie": st.column_config.SelectboxColumn("Interventie", options=list(interventies), required=True, format_func=lambda i: interventies.get(i, i)),
            "segment": st.column_config.SelectboxColumn("Segment", options=[*SEGMENTS, GEEN],
                                                        format_func=lambda k: SEGMENT_LABELS.get(k, "geen segment"),
                                                        help="Geen segment bij verduurzaming en instroom; sloop, verkoop en liberalisatie: standaard sociale huur."),
            "aantal": st.column_config.NumberColumn("Aantal", step=1, format="%d"),
            "jaar": st.column_config.SelectboxColumn("Jaar", options=[*jaren, GEEN],
                                                     format_func=lambda j: "zonder jaar" if j == GEEN else j),
        },
    )
    raw = {"naam": saved.naam, "toelichting": saved.toelichting, "maatregelen": [
        {k: (None if pd.isna(v) or v == GEEN else (int(v) if k in ("aantal", "jaar") else v)) for k, v in row.items()}
        for row in edited[EDIT_COLUMNS].to_dict("records") if not all(pd.isna(v) or v == GEEN for v in row.values())
    ]}
    try:
        current = parse_scenario(raw, buurtcodes=codes, periode=doelen.periode, menukaart=mk)
    except WijkprofielenError as exc:
        st.error(f"{exc} Pas de maatregel aan; de uitkomsten verschijnen zodra het scenario klopt.")
        return None
    take_suggestions(st_store, scenario_id, saved, frame, doelen)
    changed = current.to_dict() != saved.to_dict()
    if changed:
        st.caption("Niet-opgeslagen wijzigingen: de berekening hieronder toont ze al.")
    if st.button("Opslaan als nieuwe versie", key="uz_opslaan", disabled=not changed, icon=":material/save:"):
        try:
            versie = st_store.save(scenario_id, current)
        except (WijkprofielenError, SQLAlchemyError) as exc:
            st.error(_store_failure(exc, "Het scenario is niet opgeslagen"))
        else:
            st.toast(f"Opgeslagen als versie {versie}.")
            st.rerun()
    return current


def take_suggestions(st_store: ScenarioStore, scenario_id: int, saved: Scenario, frame, doelen: Doelen) -> None:
    """Add the menukaart's suggestions for one buurt as measures (aantal 0, to fill in)."""
    cfg = loaders.config()
    mk = _menukaart()
    if mk is None:
        return
    _, result = loaders.scored(loaders.dataset(cfg)[0], cfg)
    with st.expander("Suggesties van de menukaart overnemen"):
        options = session.buurt_options(frame)
        code = st.selectbox("Buurt", list(options), format_func=options.get, key="uz_sugg_buurt")
        dk = result.scores["draagkracht"].get(code)
        measures = suggested_measures(frame, result, code, None if pd.isna(dk) else dk >= cfg.recipe.grens_draagkracht, mk)
        if not measures:
            st.caption("Geen suggesties voor deze buurt (te weinig gegevens of geen passende interventies).")
            return
        labels = known_interventions(mk)
        st.markdown("\n".join(f"- {labels.get(m.interventie, m.interventie)}" for m in measures))
        if st.button("Overnemen in het scenario (aantal 0, vul de aantallen in)", key="uz_sugg_knop"):
            st_store.save(scenario_id, Scenario(saved.naam, [*saved.maatregelen, *measures], saved.toelichting))
            st.rerun()


# -- results ----------------------------------------------------------------------------
def show_targets(ev: Evaluatie) -> None:
    d = ev.doelen_def
    st.subheader("Totalen tegen de doelen")
    label = f"{d.naam} ({d.periode[0]}–{d.periode[1]})"
    if d.synthetisch:
        st.info(f"**{label}**: synthetische voorbeelddoelen, geen echte afspraken.", icon=":material/science:")
    else:
        st.caption(f"{label}. Bron: {d.bron}")
    for r in ev.doelen.itertuples():
        text = f"**{r.label}**: {amount(r.gepland, r.eenheid)} van {amount(r.streef, r.eenheid)}"
        text += f" — tekort {amount(r.tekort, r.eenheid)}" if r.tekort > 0 else " — gehaald"
        st.progress(float(min(max(r.voortgang, 0.0), 1.0)), text=text)
    if d.toelichting:
        st.caption(d.toelichting)
    for n in ev.notities:
        st.caption(n)
    chart = year_chart(ev)
    if chart is not None:
        st.markdown("**Per jaar van oplevering** (stippellijn: het doel)")
        grafiek.chart(chart, width="stretch")
        pj = ev.per_jaar.assign(jaar=ev.per_jaar["jaar"].astype(str))
        labels = ev.doelen.set_index("doel")["label"]
        wide = pj.pivot(index="doel", columns="jaar", values="aantal").reindex(columns=list(dict.fromkeys(pj["jaar"])))
        wide.index = [labels.get(d, d) for d in wide.index]
        with st.expander("Per jaar als tabel (opgeleverd in dat jaar)"):
            layout.table(wide.rename_axis("Doel").reset_index(), {c: integer for c in wide.columns})


def show_warnings(ev: Evaluatie) -> None:
    if not ev.waarschuwingen:
        st.success("Geen waarschuwingen: plancapaciteit, sloop met vervanging, contra-indicaties en waterbed zijn in orde.")
        return
    for w in ev.waarschuwingen:
        st.warning(w.tekst, icon=":material/warning:")


def show_contributions(frame, ev: Evaluatie, ds_naam: str) -> None:
    st.subheader("Bijdragen per buurt en wijk")
    deck = contribution_deck(frame, ev)
    st.pydeck_chart(deck, key="uz_kaart", height=480,
                    alt=f"Kaart van {ds_naam}: buurten gekleurd naar het aantal woningen dat het scenario toevoegt")
    st.caption("Blauw: woningen toegevoegd (donkerder = meer); oranje: netto minder woningen; grijs: geen maatregelen.")
    wijk = ev.per_wijk[ev.per_wijk["maatregelen"] > 0]
    cols = ["wijknaam", "toegevoegd_sociale_huur", "toegevoegd_midden", "toegevoegd_vrij", "toegevoegd_flex", "sloop",
            "verkoop", "liberalisatie", "netto_sociale_huur", "verduurzaamd", "pct_sociale_huur_voor", "pct_sociale_huur_na"]
    st.markdown("**Per wijk**")
    table(wijk[cols])
    st.markdown("**Per buurt**")
    buurt = ev.per_buurt[ev.per_buurt["maatregelen"] > 0]
    table(buurt[["buurtnaam", "wijknaam", *cols[1:-2], "plancapaciteit"]], 0)


def show_mix(ev: Evaluatie) -> None:
    st.subheader("Mix per buurt voor en na")
    b = ev.per_buurt[ev.per_buurt["maatregelen"] > 0]
    if b.empty:
        st.caption("Nog geen maatregelen.")
        return
    cols = ["buurtnaam", "kwadrant", "woningen", "woningen_na", "pct_sociale_huur_voor", "pct_sociale_huur_na",
            "pct_corporatiebezit_voor", "pct_corporatiebezit_na"]
    table(b[cols])
    st.caption("Leeg: de data heeft dat aandeel niet voor deze buurt. Flexwoningen tellen niet mee in de mix (tijdelijk); "
               "geliberaliseerde woningen blijven corporatiebezit, verkochte niet: eenzijdige buurten naar een mix.")


def show_concessions(ev: Evaluatie) -> None:
    st.subheader("Concessies en waterbed")
    c = ev.concessies
    if c.empty:
        st.caption("Geen concessies: waar het scenario iets doet, voegt het ten minste de sociale huur toe waar de plancapaciteit ruimte voor geeft, en het beperkt geen instroom.")
    else:
        shown = c.assign(aandeel_van_doel=100 * c["aandeel_van_doel"]).rename(columns={"aandeel_van_doel": "Effect op stedelijk doel sociale huur (%)"})
        table(shown, hide_index=True)
        st.caption(f"Samen {integer(c['minder_sociale_huur'].sum())} sociale huurwoningen minder dan de ruimte toelaat: "
                   "een keuze voor de balans tussen draagkracht en draaglast, die elders moet worden goedgemaakt.")
    w = ev.waterbed
    cols = st.columns(3)
    cols[0].metric("Instroom beperkt (huishoudens)", integer(w["instroom_beperkt"]))
    cols[1].metric("Opvang in buurten met hoge draagkracht", integer(w["opvang_hoge_draagkracht"]))
    cols[2].metric("Nog onderbrengen", integer(w["tekort"]))
    if w["instroom_beperkt"] and not w["tekort"]:
        st.success("De beperkte instroom wordt opgevangen in buurten met hoge draagkracht.")


def show_compare(st_store: ScenarioStore, gemeentecode: str, frame, result, doelen: Doelen, grens: float) -> None:
    st.subheader("Scenario A naast B")
    items = st_store.list(gemeentecode)
    if len(items) < 2:
        st.caption("Maak of kopieer een tweede scenario om te vergelijken.")
        return
    labels = {s.id: f"{s.naam} (versie {s.versie})" for s in items}
    c1, c2 = st.columns(2)
    a = c1.selectbox("A", list(labels), format_func=labels.get, key="uz_a")
    b = c2.selectbox("B", list(labels), index=1, format_func=labels.get, key="uz_b")
    evs = []
    for sid in (a, b):
        try:
            sc = parse_scenario(st_store.load(sid).to_dict(), buurtcodes=frame["buurtcode"].tolist(), periode=doelen.periode,
                                menukaart=_menukaart())
        except WijkprofielenError as exc:
            st.error(f"{labels[sid]} past niet bij deze dataset: {exc}")
            return
        evs.append(evaluate_scored(sc, frame, result, doelen, grens, _menukaart() or {}))
    table(compare(*evs).drop(columns=["doel"]), hide_index=True)
    table(compare_buurten(*evs), hide_index=True)
    st.caption(f"Waarschuwingen: A {len(evs[0].waarschuwingen)}, B {len(evs[1].waarschuwingen)}.")


def render() -> None:
    """Render the whole page; a failing scenario store is explained in Dutch, not shown as a traceback."""
    try:
        _page()
    except SQLAlchemyError as exc:
        st.error(_store_failure(exc, "De scenario-opslag kon niet worden gelezen of bijgewerkt"))


def _page() -> None:
    st.title("Uitzoomen")
    st.caption("Wat draagt de mix van interventies per buurt bij aan de stedelijke doelen, en waar doet het plan "
               "concessies voor de balans tussen draagkracht en draaglast?")
    cfg = loaders.config()
    ds, src = loaders.dataset(cfg)
    layout.dataset_banner(ds, src)
    frame, result = loaders.scored(ds, cfg)
    doelen, frame = targets(cfg, frame)
    gm = doelen.gemeentecode
    grens = cfg.recipe.grens_draagkracht
    st_store = store(cfg)
    chosen = choose_scenario(st_store, gm, frame, result.scores, doelen, grens)
    if chosen is None:
        layout.caution()
        return
    scenario = edit_measures(st_store, chosen, frame, doelen)
    if scenario is None:
        layout.caution()
        return
    ev = evaluate_scored(scenario, frame, result, doelen, grens, _menukaart() or {})
    t_doelen, t_bijdragen, t_mix, t_concessies, t_waarsch, t_ab = st.tabs(
        ["Doelen", "Bijdragen", "Mix voor en na", "Concessies en waterbed", f"Waarschuwingen ({len(ev.waarschuwingen)})", "A naast B"]
    )
    with t_doelen:
        show_targets(ev)
    with t_bijdragen:
        show_contributions(frame, ev, ds.naam)
    with t_mix:
        show_mix(ev)
    with t_concessies:
        show_concessions(ev)
    with t_waarsch:
        show_warnings(ev)
    with t_ab:
        show_compare(st_store, gm, frame, result, doelen, grens)
    layout.caution()
