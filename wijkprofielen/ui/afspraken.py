"""The Afspraken page: the uitvoeringsagenda of a year, and afspraken made, changed and followed.

Afspraken come from a closed workshop (its consensus pins, or pins the facilitator chooses),
from a scenario's measures, or are entered by hand; each keeps where it came from. Every
change is a new version with who and when (:class:`~wijkprofielen.agenda.store.AgendaStore`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from .. import opslag
from ..agenda.bronnen import from_scenario, from_workshop, workshop_candidates
from ..agenda.model import (
    STATUSSEN,
    Afspraak,
    new_id,
    parse_afspraak,
    validation_for,
    woningen_text,
)
from ..agenda.monitor import Monitor, build_monitor
from ..agenda.store import AgendaStore
from ..agenda.uitvoering import COLUMNS, agenda_table, csv_bytes, pdf_bytes, xlsx_bytes
from ..config import Config
from ..dataset import Dataset
from ..errors import WijkprofielenError
from ..menukaart import TREKKERS
from ..scenario.model import SEGMENT_LABELS, SEGMENTS
from ..workshop.text import format_code
from . import layout, loaders, uitzoomen, workshop

DOOR_HELP = "Elke wijziging wordt bewaard met wie en wanneer; er wordt niets overschreven."


@st.cache_resource(show_spinner=False)
def _store(url: str) -> AgendaStore:
    return AgendaStore(url)


def store(cfg: Config) -> AgendaStore:
    """The afspraken store of ``[opslag] database``; on an error, say so and stop the page."""
    try:
        return _store(opslag.resolve_url(opslag.configured_url(cfg)))
    except WijkprofielenError as exc:
        st.error(f"De afsprakenopslag is niet bereikbaar: {exc}")
        st.stop()


def gemeente(frame: pd.DataFrame, key: str) -> tuple[str, pd.DataFrame]:
    """The gemeente whose afspraken are shown (a choice when the dataset has several) and its buurten."""
    codes = sorted(frame["gemeentecode"].astype(str).unique())
    if len(codes) > 1:
        namen = dict(zip(frame["gemeentecode"].astype(str), frame["gemeentenaam"].astype(str)))
        gm = st.selectbox("Gemeente", codes, format_func=lambda g: f"{namen.get(g, g)} ({g})", key=key)
        return gm, frame[frame["gemeentecode"].astype(str) == gm]
    return codes[0], frame


def monitor_for(items: list[Afspraak], ds: Dataset, cfg: Config, jaar: int) -> Monitor:
    """The monitor with the app's cached scores and dynamiek (the sidebar's recipe) at every start year."""
    return build_monitor(items, ds, lambda j: loaders.scored(ds, cfg, j)[1], jaar,
                         lambda j: loaders.dynamiek(ds, cfg, j), cfg.vergelijk)


def _labels(cfg: Config) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """``({id: title}, {id: lead parties})`` of every intervention an afspraak may name."""
    titles = loaders.workspace(cfg).known_interventions()
    mk = loaders.menukaart(cfg) or {}
    titles |= {i: mk[i].titel for i in mk}
    return titles, {i: tuple(mk[i].trekker) for i in mk}


def _areas(frame: pd.DataFrame) -> dict[str, str]:
    """Buurten and whole wijken an afspraak can be about: ``{code: label}``."""
    rows = frame.sort_values(["buurtnaam", "buurtcode"])
    out = {c: f"{n} ({c}) — {w}" for c, n, w in zip(rows["buurtcode"], rows["buurtnaam"], rows["wijknaam"])}
    wijken = frame.drop_duplicates("wijkcode").sort_values("wijknaam")
    out |= {str(c): f"Hele wijk {n} ({c})" for c, n in zip(wijken["wijkcode"], wijken["wijknaam"])}
    return out


# -- the agenda ----------------------------------------------------------------------------
def show_agenda(items: list[Afspraak], ds: Dataset, cfg: Config, frame: pd.DataFrame, naam: str) -> None:
    this_year = date.today().year
    jaar = int(st.number_input("Jaar van de uitvoeringsagenda", 2000, 2100, this_year, step=1, key="af_jaar"))
    titles, _ = _labels(cfg)
    m = monitor_for(items, ds, cfg, jaar)
    table = agenda_table(items, jaar, frame, m, cfg.kwadrant_namen, titles)
    c1, c2 = st.columns(2)
    partijen = c1.multiselect("Partij", sorted(table["partij"].unique()), key="af_f_partij", placeholder="alle partijen")
    statussen = c2.multiselect("Status", list(STATUSSEN), key="af_f_status", placeholder="alle statussen")
    tekst = st.text_input("Zoeken (afspraak, buurt of wijk)", key="af_f_tekst").strip().lower()
    shown = table
    if partijen:
        shown = shown[shown["partij"].isin(partijen)]
    if statussen:
        shown = shown[shown["status"].isin(statussen)]
    if tekst:
        hay = (shown["titel"] + " " + shown["buurt"] + " " + shown["wijk"] + " " + shown["gebiedscode"]).str.lower()
        shown = shown[hay.str.contains(tekst, regex=False)]
    if shown.empty:
        st.info(f"Geen lopende afspraken in {jaar}" + (" met deze filters." if len(table) else ". Maak er hieronder een."))
    for partij, sub in shown.groupby("partij", sort=False):
        with st.expander(f"{partij} — {len(sub)} {'afspraak' if len(sub) == 1 else 'afspraken'}", expanded=True):
            for wijk, rows in sub.groupby("wijk", sort=False):
                st.markdown(f"**Wijk {layout.md_escape(wijk)}**")
                st.markdown("\n".join(
                    f"- {layout.md_escape(r.buurt)}: {layout.md_escape(r.titel)} "
                    f"({r.start_jaar}–{r.eind_jaar}; dit jaar: {r.dit_jaar}; status: {r.status}"
                    + (f"; {layout.md_escape(r.woningen)}" if r.woningen else "")
                    + (f"; kwadrant: {layout.md_escape(r.kwadrant)}" if r.kwadrant else "")
                    + (f"; {layout.md_escape(r.signaal)}" if r.signaal else "") + ")"
                    for r in rows.itertuples(index=False)))
    if not shown.empty:
        st.dataframe(shown.rename(columns=COLUMNS), hide_index=True, width="stretch")
    d1, d2, d3 = st.columns(3)
    d1.download_button("Download XLSX (één blad per partij)", xlsx_bytes(shown, jaar), f"uitvoeringsagenda-{jaar}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key="af_xlsx",
                       icon=":material/table:")
    d2.download_button("Download CSV", csv_bytes(shown), f"uitvoeringsagenda-{jaar}.csv", mime="text/csv", key="af_csv",
                       icon=":material/download:")
    d3.download_button("Download PDF (bestuurlijk overleg)", pdf_bytes(shown, jaar, naam, ds.synthetisch),
                       f"uitvoeringsagenda-{jaar}.pdf", mime="application/pdf", key="af_pdf", icon=":material/picture_as_pdf:")
    st.caption("Kwadrant: de positie van de buurt nu. Signaal: de draagkracht daalt (vanuit een lage of een goede "
               "positie) of ging sinds de start van de afspraak van hoog naar laag. Beide zijn signalen voor het gesprek, "
               "geen oordelen.")


# -- making and changing afspraken --------------------------------------------------------
def afspraak_form(prefix: str, frame: pd.DataFrame, cfg: Config, existing: Afspraak | None = None) -> tuple[dict, str] | None:
    """A form for one afspraak; returns ``(raw dict, door)`` when submitted."""
    titles, _ = _labels(cfg)
    areas = _areas(frame)
    kolommen = cfg.recipe.kolommen
    richting = {i.kolom: ("omhoog" if i.richting > 0 else "omlaag") for a in cfg.recipe.assen for i in a.indicatoren}
    this_year = date.today().year
    e = existing
    with st.form(f"{prefix}_form", border=True):
        code = st.selectbox("Buurt of wijk", list(areas), format_func=areas.get, key=f"{prefix}_gebied",
                            index=list(areas).index(e.buurtcode) if e and e.buurtcode in areas else 0)
        titel = st.text_input("Afspraak (korte titel)", e.titel if e else "", max_chars=200, key=f"{prefix}_titel")
        ids = ["", *sorted(titles, key=lambda i: titles[i].lower())]
        iv = st.selectbox("Interventie van de menukaart", ids, format_func=lambda i: titles.get(i, "eigen maatregel (geen menukaart)"),
                          index=ids.index(e.interventie) if e and e.interventie in ids else 0, key=f"{prefix}_iv")
        c1, c2, c3 = st.columns(3)
        trekker = c1.selectbox("Trekker", TREKKERS, index=TREKKERS.index(e.trekker) if e else 0, key=f"{prefix}_trekker")
        organisatie = c2.text_input("Welke organisatie (bijv. de corporatie)", e.organisatie if e else "", key=f"{prefix}_org")
        status = c3.selectbox("Status", STATUSSEN, index=STATUSSEN.index(e.status) if e else 0, key=f"{prefix}_status")
        partners = st.multiselect("Partners", list(dict.fromkeys([*TREKKERS, *(e.partners if e else ())])),
                                  default=list(e.partners) if e else [], key=f"{prefix}_partners")
        c1, c2, c3 = st.columns(3)
        start = c1.number_input("Startjaar", 2000, 2100, e.start_jaar if e else this_year, key=f"{prefix}_start")
        eind = c2.number_input("Eindjaar", 2000, 2100, e.eind_jaar if e else this_year + 1, key=f"{prefix}_eind")
        budget = c3.number_input("Budget (€, optioneel)", min_value=0.0, value=e.budget if e else None, step=1000.0,
                                 key=f"{prefix}_budget")
        homes = dict(e.woningen) if e else {}
        cols = st.columns(len(SEGMENTS))
        aantallen = {s: cols[k].number_input(f"Woningen {SEGMENT_LABELS[s]}", value=int(homes.get(s, 0)), step=1,
                                             key=f"{prefix}_won_{s}") for k, s in enumerate(SEGMENTS)}
        aims = {i.kolom: i.richting for i in e.indicatoren} if e else {}
        c1, c2 = st.columns(2)
        up = c1.multiselect("Beoogd omhoog", kolommen, default=[k for k, r in aims.items() if r == "omhoog" and k in kolommen],
                            key=f"{prefix}_omhoog", help="Indicatoren uit het recept die de afspraak moet laten stijgen.")
        down = c2.multiselect("Beoogd omlaag", kolommen, default=[k for k, r in aims.items() if r == "omlaag" and k in kolommen],
                              key=f"{prefix}_omlaag", help="Bijvoorbeeld het aandeel lage inkomens of overlast.")
        st.caption("Standaardrichting per indicator in het recept: " + ", ".join(f"{k} {r}" for k, r in richting.items()))
        toelichting = st.text_area("Toelichting", e.toelichting if e else "", key=f"{prefix}_toel")
        door = st.text_input("Uw naam", key=f"{prefix}_door", help=DOOR_HELP)
        if not st.form_submit_button("Opslaan als nieuwe versie" if e else "Afspraak opslaan", icon=":material/save:"):
            return None
    raw = {
        "id": e.id if e else new_id(), "buurtcode": code, "titel": titel, "interventie": iv, "trekker": trekker,
        "organisatie": organisatie, "partners": partners, "start_jaar": int(start), "eind_jaar": int(eind),
        "woningen": {s: int(n) for s, n in aantallen.items() if n}, "budget": budget,
        "indicatoren": [{"kolom": k, "richting": "omhoog"} for k in up] + [{"kolom": k, "richting": "omlaag"} for k in down],
        "status": status, "toelichting": toelichting,
        "herkomst": ({"soort": e.herkomst.soort, "bron": e.herkomst.bron, "detail": e.herkomst.detail} if e else None),
    }
    return raw, door


def _validation(cfg: Config, frame: pd.DataFrame) -> dict[str, Any]:
    return validation_for(frame, cfg.recipe.kolommen, _labels(cfg)[0])


def _store_call(fn, *args, **kwargs) -> Any:
    """Run a store call; a Dutch error instead of a traceback, None on failure."""
    try:
        return fn(*args, **kwargs)
    except WijkprofielenError as exc:
        st.error(str(exc))
    except SQLAlchemyError as exc:
        store_failure(exc)
    return None


def new_afspraak(s: AgendaStore, frame: pd.DataFrame, cfg: Config) -> None:
    submitted = afspraak_form("af_nieuw", frame, cfg)
    if submitted is None:
        return
    raw, door = submitted
    a = _store_call(parse_afspraak, raw, **_validation(cfg, frame))
    if a is not None and _store_call(s.add, a, door) is not None:
        st.toast(f"Afspraak {a.id} opgeslagen.")
        st.rerun()


def from_closed_workshop(s: AgendaStore, frame: pd.DataFrame, cfg: Config) -> None:
    st.caption("Een prikker wordt een afspraak bij consensus (geprikt door ten minste de helft van de deelnemers) of "
               "als de begeleider hem kiest. De herkomst (workshopcode, hoeveel deelnemers) blijft bij de afspraak.")
    code = st.text_input("Workshopcode", key="af_ws_code", max_chars=12).strip()
    if not code:
        return
    ws_store = workshop.store()
    w = _store_call(ws_store.workshop, code, bron=workshop.bron())
    if w is None:
        return
    n = len(ws_store.participants(w.code))
    try:
        cands = workshop_candidates(w, ws_store.pins(w.code), n)
    except WijkprofielenError as exc:
        st.info(str(exc))
        return
    if not cands:
        st.info(f"Workshop '{w.naam}' heeft geen prikkers.")
        return
    titles, trekker = _labels(cfg)
    table = pd.DataFrame({"overnemen": [k.consensus for k in cands], "buurt": [k.buurtnaam for k in cands],
                          "interventie": [titles.get(k.interventie, k.interventie) for k in cands],
                          "geprikt": [f"{k.aantal} van {k.deelnemers}" for k in cands],
                          "consensus": ["ja" if k.consensus else "nee" for k in cands]})
    st.markdown(f"**Prikkers van '{layout.md_escape(w.naam)}'** ({format_code(w.code)}, {n} deelnemers, gesloten)")
    edited = st.data_editor(table, hide_index=True, disabled=["buurt", "interventie", "geprikt", "consensus"],
                            key=f"af_ws_tabel_{w.code}", width="stretch",
                            column_config={"overnemen": st.column_config.CheckboxColumn("Overnemen")})
    keep = [k for k, ok in zip(cands, edited["overnemen"]) if ok]
    chosen = {(k.buurtcode, k.interventie) for k in keep if not k.consensus}
    key = st.text_input("Begeleiderssleutel (nodig voor prikkers zonder consensus)", type="password",
                        key="af_ws_sleutel") if chosen else ""
    c1, c2 = st.columns(2)
    start = int(c1.number_input("Startjaar", 2000, 2100, date.today().year, key="af_ws_start"))
    eind = int(c2.number_input("Eindjaar", 2000, 2100, date.today().year + 1, key="af_ws_eind"))
    door = st.text_input("Uw naam", key="af_ws_door", help=DOOR_HELP)
    if not st.button(f"{len(keep)} afspraken maken", key="af_ws_maken", disabled=not keep, icon=":material/handshake:"):
        return
    if chosen and _store_call(ws_store.check_facilitator, w.code, key, bron=workshop.bron()) is None:
        return
    if eind < start:
        st.error(f"Het eindjaar {eind} ligt voor het startjaar {start}. Pas de jaren aan.")
        return
    made = from_workshop(w, keep, chosen, trekker=trekker, titels=titles, start_jaar=start, eind_jaar=eind)
    _add_all(s, made, door)


def _add_all(s: AgendaStore, made: list[Afspraak], door: str) -> None:
    for k, a in enumerate(made):
        if _store_call(s.add, a, door) is None:
            if k:
                st.warning(f"{k} van de {len(made)} afspraken zijn opgeslagen; de rest niet.")
            return
    st.toast(f"{len(made)} afspraken opgeslagen.")
    st.rerun()


def from_stored_scenario(s: AgendaStore, gm: str, cfg: Config) -> None:
    sc_store = uitzoomen.store(cfg)
    items = sc_store.list(gm)
    if not items:
        st.info("Nog geen scenario's voor deze gemeente (pagina Uitzoomen).")
        return
    labels = {i.id: f"{i.naam} (versie {i.versie})" for i in items}
    sid = st.selectbox("Scenario", list(labels), format_func=labels.get, key="af_sc")
    info = next(i for i in items if i.id == sid)
    scenario = sc_store.load(sid)
    if not scenario.maatregelen:
        st.info("Dit scenario heeft nog geen maatregelen.")
        return
    titles, trekker = _labels(cfg)
    table = pd.DataFrame({"overnemen": True, "buurtcode": [m.buurtcode for m in scenario.maatregelen],
                          "interventie": [titles.get(m.interventie, m.interventie) for m in scenario.maatregelen],
                          "segment": [m.segment or "" for m in scenario.maatregelen],
                          "aantal": [m.aantal for m in scenario.maatregelen], "jaar": [m.jaar for m in scenario.maatregelen]})
    edited = st.data_editor(table, hide_index=True, disabled=[c for c in table.columns if c != "overnemen"],
                            key=f"af_sc_tabel_{sid}_{info.versie}", width="stretch",
                            column_config={"overnemen": st.column_config.CheckboxColumn("Overnemen")})
    try:
        periode = loaders.workspace(cfg).doelen_for([gm]).periode
    except WijkprofielenError:
        periode = (date.today().year, date.today().year + 3)
    door = st.text_input("Uw naam", key="af_sc_door", help=DOOR_HELP)
    nummers = {n for n, ok in enumerate(edited["overnemen"], 1) if ok}
    if st.button(f"{len(nummers)} afspraken maken", key="af_sc_maken", disabled=not nummers, icon=":material/handshake:"):
        _add_all(s, from_scenario(scenario, sid, info.versie, titels=titles, trekker=trekker, periode=periode,
                                  nummers=nummers), door)


def change(s: AgendaStore, items: list[Afspraak], frame: pd.DataFrame, cfg: Config) -> None:
    if not items:
        st.caption("Nog geen afspraken.")
        return
    labels = {a.id: f"{a.titel} ({a.id}, {a.status})" for a in items}
    ident = st.selectbox("Afspraak", list(labels), format_func=labels.get, key="af_wijzig")
    history = s.history(ident)
    current = history[-1].afspraak
    c1, c2, c3 = st.columns([2, 2, 1])
    status = c1.selectbox("Nieuwe status", STATUSSEN, index=STATUSSEN.index(current.status), key=f"af_st_{ident}")
    door = c2.text_input("Uw naam", key=f"af_st_door_{ident}", help=DOOR_HELP)
    if c3.button("Status opslaan", key=f"af_st_knop_{ident}", disabled=status == current.status):
        if _store_call(s.set_status, ident, status, door) is not None:
            st.rerun()
    st.markdown("**Geschiedenis** (elke versie blijft bewaard)")
    st.dataframe(pd.DataFrame([{"versie": v.versie, "door": v.door, "opgeslagen": v.opgeslagen_op.strftime("%Y-%m-%d %H:%M UTC"),
                                "status": v.afspraak.status, "titel": v.afspraak.titel, "periode":
                                f"{v.afspraak.start_jaar}–{v.afspraak.eind_jaar}", "woningen": woningen_text(v.afspraak)}
                               for v in history]), hide_index=True, width="stretch")
    st.caption(f"Herkomst: {current.herkomst.label()}")
    with st.expander("Inhoud wijzigen"):
        submitted = afspraak_form(f"af_edit_{ident}_{len(history)}", frame, cfg, current)
        if submitted is not None:
            raw, name = submitted
            a = _store_call(parse_afspraak, raw, **_validation(cfg, frame))
            if a is not None and a == current:
                st.info("Er is niets gewijzigd.")
            elif a is not None and _store_call(s.save, a, name) is not None:
                st.rerun()


def follow(s: AgendaStore, gm: str) -> None:
    rows = [{"id": v.afspraak.id, "titel": v.afspraak.titel, "gebied": v.afspraak.buurtcode, "partij": v.afspraak.partij,
             "periode": f"{v.afspraak.start_jaar}–{v.afspraak.eind_jaar}", "status": v.afspraak.status,
             "versie": v.versie, "laatst door": v.door, "laatst op": v.opgeslagen_op.strftime("%Y-%m-%d %H:%M UTC"),
             "herkomst": v.afspraak.herkomst.label()} for v in s.latest(gm)]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.download_button("Alle afspraken als JSON (met alle versies)", s.export_json(gm), f"afspraken-{gm}.json",
                       mime="application/json", key="af_json", icon=":material/download:")


def upload(s: AgendaStore, frame: pd.DataFrame, cfg: Config) -> None:
    file = st.file_uploader("Afspraken uploaden (JSON)", type=["json"], key="af_upload")
    door = st.text_input("Uw naam", key="af_up_door", help=DOOR_HELP)
    if file is not None and st.button("Inlezen", key="af_up_knop"):
        r = _store_call(s.import_json, file.getvalue(), door, **_validation(cfg, frame))
        if r is not None:
            st.success(f"{len(r.nieuw)} nieuw, {len(r.bijgewerkt)} met een nieuwe versie, {len(r.ongewijzigd)} ongewijzigd.")


def store_failure(exc: Exception) -> None:
    """Say in Dutch that the store failed; nothing was half-stored (every write is one transaction)."""
    st.error(f"De opslag gaf een fout ({type(exc).__name__}); er is niets gewijzigd. Probeer het opnieuw; blijft het "
             "misgaan, controleer dan opslag.database in config.toml of WIJKPROFIELEN_DATABASE.")


def page_start(title: str, caption: str, key: str) -> tuple[Config, Dataset, pd.DataFrame, str, AgendaStore]:
    """Title, dataset banner and the chosen gemeente: ``(cfg, ds, frame of its buurten, gemeentecode, store)``."""
    cfg, ds, _, frame, _ = layout.page_start(title)
    st.caption(caption)
    gm, frame = gemeente(frame, key)
    return cfg, ds, frame, gm, store(cfg)


def render() -> None:
    cfg, ds, frame, gm, s = page_start(
        "Afspraken", "Van workshop naar uitvoeringsagenda en terug: de partijen maken afspraken per buurt, kijken elk "
        "jaar terug met de monitor en maken de inzet voor het volgende jaar concreet.", "af_gemeente")
    try:
        items = s.list(gm)
        t_agenda, t_nieuw, t_ws, t_sc, t_wijzig, t_alle = st.tabs(
            ["Uitvoeringsagenda", "Nieuwe afspraak", "Uit een workshop", "Uit een scenario", "Wijzigen en volgen",
             f"Alle afspraken ({len(items)})"])
        with t_agenda:
            show_agenda(items, ds, cfg, frame, str(frame["gemeentenaam"].iloc[0]))
        with t_nieuw:
            new_afspraak(s, frame, cfg)
        with t_ws:
            from_closed_workshop(s, frame, cfg)
        with t_sc:
            from_stored_scenario(s, gm, cfg)
        with t_wijzig:
            change(s, items, frame, cfg)
        with t_alle:
            follow(s, gm)
            upload(s, frame, cfg)
    except SQLAlchemyError as exc:
        store_failure(exc)
    layout.caution()
