"""The workshop page (gebiedsatelier): set up, join, place, and the facilitator's live view.

Who is who lives in the URL and the session: a participant's browser carries
``?ws=CODE&p=TOKEN`` (so a reconnect or a reload keeps the session), the facilitator's key
stays in the session only. Every user text (names, reasons) is shown as plain text, in a
table or escaped markdown, never as HTML.
"""

from __future__ import annotations

import functools
import math
import uuid

import altair as alt
import pandas as pd
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from .. import opslag
from ..errors import WijkprofielenError
from ..formatting import number, score
from ..workshop import WorkshopStore, disagreement, pin_colours, pin_tally, store_settings
from ..workshop import charts as wcharts
from ..workshop.text import MAX_NAAM, MAX_PINS, MAX_REDEN, MAX_WORKSHOPNAAM, format_code
from . import beheer, gebieden, grafiek, guard, layout, loaders, session

WORKSHOP_MAX_MB = 20  # far above any real workshop export
# -- resources ---------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _store_cached(url: str, ids: tuple[str, ...], max_afwijking: float, verversen_s: float) -> WorkshopStore:
    return WorkshopStore(url, menukaart=frozenset(ids), max_afwijking=max_afwijking, verversen_s=verversen_s)


def store() -> WorkshopStore:
    """The shared workshop store for ``[opslag] database``, pinning from the configured
    menukaart (none when it is invalid); on an error, explain and stop."""
    cfg = loaders.config()
    mk = loaders.menukaart(cfg)
    try:
        url = opslag.resolve_url(opslag.configured_url(cfg))
        return _store_cached(url, tuple(mk or ()), **store_settings(cfg))
    except WijkprofielenError as exc:
        st.error(f"De workshopopslag kan niet worden geopend: {exc}")
        st.stop()
    except Exception as exc:  # database unreachable: the page says so, the app stays up
        st.error(f"De workshopdatabase is niet bereikbaar ({type(exc).__name__}). Controleer opslag.database in "
                 "config.toml of WIJKPROFIELEN_DATABASE en probeer het opnieuw.")
        st.stop()


def bron() -> str:
    """Who is trying codes, for the rate limit on failed attempts."""
    sessie = "sessie:" + st.session_state.setdefault("_ws_sessie", uuid.uuid4().hex[:16])
    ip = getattr(st.context, "ip_address", None)
    return f"ip:{ip}|{sessie}" if ip else sessie


def _menukaart():
    """``(ids, label_of, categorie_of)`` of the configured menukaart, or None when it is not usable."""
    mk = loaders.menukaart(loaders.config())  # shows a Dutch error itself when the catalogue is invalid
    if mk is None:
        return None
    ids = list(mk)
    return ids, {i: mk[i].titel for i in ids}, {i: mk[i].categorie for i in ids}


# The database went away (restart, network): every write is one transaction, so nothing
# is half-stored, and the next attempt after it is back succeeds.
STORE_DOWN = ("De workshopdatabase is even niet bereikbaar; wat u zojuist deed, is niet opgeslagen. "
              "Probeer het over enkele seconden opnieuw. Blijft deze melding, waarschuw dan de begeleider.")


def _failure(exc: Exception) -> str:
    return str(exc) if isinstance(exc, WijkprofielenError) else STORE_DOWN


def _try(fn, *args, **kwargs):
    """Run a store call; show a user error and return None instead of crashing the page."""
    try:
        return fn(*args, **kwargs)
    except (WijkprofielenError, SQLAlchemyError) as exc:
        st.error(_failure(exc))
        return None


def _ok(fn, *args, **kwargs) -> bool:
    """Like :func:`_try` for calls without a result: True when it succeeded."""
    try:
        fn(*args, **kwargs)
        return True
    except (WijkprofielenError, SQLAlchemyError) as exc:
        st.error(_failure(exc))
        return False


# -- page --------------------------------------------------------------------------------
def render() -> None:
    """The whole workshop page."""
    st.title("Workshop (gebiedsatelier)")
    s = store()
    code = st.query_params.get("ws")
    token = st.query_params.get("p")
    leider = st.session_state.get("ws_begeleider")
    try:
        if code and token:
            participant_view(s, code, token)
        elif leider:
            facilitator_view(s, leider["code"], leider["key"])
        else:
            start_view(s, code)
    except SQLAlchemyError:
        st.error(STORE_DOWN)


def start_view(s: WorkshopStore, code: str | None) -> None:
    st.caption("Samen buurten op het assenkruis plaatsen, met praktijkkennis naast de cijfers. "
               "Deelnemers doen mee met een code; de begeleider ziet live waar men het over eens en oneens is.")
    meedoen, begeleiden, nieuw = st.tabs(["Meedoen", "Begeleiden", "Nieuwe workshop"])
    with meedoen:
        join_form(s, code)
    with begeleiden:
        login_form(s, code)
        import_form(s)
    with nieuw:
        create_form(s)


def join_form(s: WorkshopStore, code: str | None) -> None:
    with st.form("ws_meedoen"):
        c = st.text_input("Workshopcode", value=code or "", max_chars=12, placeholder="bijv. K7QW-3MZP")
        naam = st.text_input("Uw naam", max_chars=MAX_NAAM, help="Zichtbaar voor de begeleider en in de export.")
        if st.form_submit_button("Meedoen", type="primary"):
            pid = _try(s.join, c, naam, bron=bron())
            if pid:
                ws = s.workshop(c)
                st.query_params.update({"ws": ws.code, "p": pid})
                st.rerun()


def login_form(s: WorkshopStore, code: str | None) -> None:
    with st.form("ws_login"):
        st.markdown("**Als begeleider verder met een workshop**")
        c = st.text_input("Workshopcode", value=code or "", max_chars=12, key="ws_login_code")
        key = st.text_input("Begeleiderssleutel", type="password", max_chars=64)
        if st.form_submit_button("Openen"):
            ws = _try(s.check_facilitator, c, key, bron=bron())
            if ws:
                st.session_state["ws_begeleider"] = {"code": ws.code, "key": key}
                st.rerun()


def import_form(s: WorkshopStore) -> None:
    with st.expander("Workshop importeren (JSON-export)"):
        up = st.file_uploader("Workshopexport (.json)", type=["json"], key="ws_import",
                              max_upload_size=layout.upload_limit(WORKSHOP_MAX_MB))
        kopie = st.checkbox("Als kopie met een nieuwe code en sleutel", key="ws_import_kopie")
        if up is not None and st.button("Importeren", key="ws_import_knop"):
            if up.size > WORKSHOP_MAX_MB * 2**20:
                st.error(f"Het bestand is groter dan {WORKSHOP_MAX_MB} MB; dat is geen workshopexport.")
                return
            ws = _try(s.import_json, up.getvalue(), nieuwe_code=kopie)
            if ws:
                st.success(f"Workshop geïmporteerd met code {format_code(ws.code)}.")
                if ws.facilitator_key:
                    _show_secrets(ws.code, ws.facilitator_key)


def create_form(s: WorkshopStore) -> None:
    cfg = loaders.config()
    ds, src = loaders.dataset(cfg)
    layout.dataset_banner(ds, src)
    frame = loaders.frame(ds)
    options = session.buurt_options(frame)
    eigen = {g.naam: g for g in gebieden.of_dataset(ds)}
    with st.form("ws_nieuw"):
        naam = st.text_input("Naam van de workshop", max_chars=MAX_WORKSHOPNAAM, placeholder="bijv. Gebiedsatelier Noord 2026")
        over = st.selectbox("Over één gebied (optioneel)", [None, *eigen], key="ws_gebied",
                            format_func=lambda n: "Geen: kies de buurten zelf" if n is None else n,
                            help="De deelnemers plaatsen de buurten van dit eigen gebied (maak gebieden op de pagina "
                                 "Gebiedsprofiel). Buurten die u hieronder kiest komen erbij.")
        codes = st.multiselect("Buurten op tafel", list(options), format_func=options.get, max_selections=100,
                               placeholder="Kies buurten (typ om te zoeken)", select_all=False,
                               help="Typ om te zoeken op naam of code. Hoogstens 100 buurten.")
        st.caption(f"Dataset: {layout.md_escape(ds.naam)}{_synthetisch(ds.synthetisch, ds.naam)}. Het scoringsrecept "
                   f"({loaders.recipe_key(cfg.recipe)}) wordt bevroren meegegeven: latere wijzigingen in config.toml "
                   "veranderen deze workshop niet.")
        if st.form_submit_button("Workshop aanmaken", type="primary"):
            if over is not None:
                codes = list(dict.fromkeys([*eigen[over].buurtcodes, *codes]))
            # Data positions against the recipe's own reference, as on the other pages.
            ws = _try(lambda: s.create_workshop(naam, ds, codes, recipe=cfg.recipe,
                                                reference=loaders.workspace(cfg).reference(frame)))
            if ws:
                st.session_state["ws_begeleider"] = {"code": ws.code, "key": ws.facilitator_key}
                st.session_state["ws_nieuwe_sleutel"] = ws.facilitator_key
                st.rerun()


def _show_secrets(code: str, key: str) -> None:
    st.success(f"Workshopcode voor de deelnemers: **{format_code(code)}**")
    st.warning("Bewaar de begeleiderssleutel nu: hij wordt niet nog eens getoond. Zonder sleutel kunt u de workshop "
               "niet sluiten, exporteren of verwijderen.", icon=":material/key:")
    st.code(key, language=None)


# -- participant -------------------------------------------------------------------------
def participant_view(s: WorkshopStore, code: str, token: str) -> None:
    try:
        ws = s.workshop(code, bron=bron())
        me = s.participant(code, token, bron=bron())
    except SQLAlchemyError:
        st.error(STORE_DOWN)
        return
    except WijkprofielenError as exc:
        st.error(str(exc))
        if st.button("Opnieuw aanmelden"):
            st.query_params.clear()
            st.rerun()
        return
    if session.follow_dataset(ws.dataset_naam, ws.synthetisch):
        st.rerun()  # the sidebar and the pages show the workshop's dataset
    cfg = loaders.config()
    st.subheader(ws.naam, anchor=False)
    st.caption(f"U doet mee als deelnemer {me.nummer}: {layout.md_escape(me.naam)}. "
               f"Dataset: {layout.md_escape(ws.dataset_naam)}{' — synthetische voorbeeldgegevens, geen echte buurten' if ws.synthetisch else ''}.")
    if not ws.open:
        st.info("Deze workshop is gesloten. U kunt uw plaatsingen nog bekijken, maar niet meer wijzigen.")
    with st.expander("Later verder of op een ander apparaat?"):
        st.caption("Deze link brengt u terug bij uw eigen plaatsingen. Deel hem niet: wie hem heeft, kan namens u plaatsen.")
        st.code(f"?ws={ws.code}&p={token}", language=None)

    mine = s.placements(code, bron=bron())
    mine = mine[mine["deelnemer"] == me.nummer].set_index("buurtcode")
    b = ws.buurten.set_index("buurtcode")
    labels = {c: f"{b.at[c, 'buurtnaam']} ({c}){' ✓' if c in mine.index else ''}" for c in b.index}
    st.progress(len(mine) / len(b), text=f"{len(mine)} van {len(b)} buurten geplaatst")
    buurtcode = st.selectbox("Buurt", list(b.index), format_func=labels.get, key="ws_buurt")
    buurt = b.loc[buurtcode].to_dict()

    kx, ky = f"ws_dk_{buurtcode}", f"ws_fk_{buurtcode}"
    eigen = (float(mine.at[buurtcode, "draagkracht"]), float(mine.at[buurtcode, "fysieke_kansen"])) if buurtcode in mine.index else None
    start = eigen or _data_or_origin(buurt)
    st.session_state.setdefault(kx, _snap(start[0], ws.bereik))
    st.session_state.setdefault(ky, _snap(start[1], ws.bereik))

    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{layout.md_escape(buurt['buurtnaam'])}** — {layout.md_escape(buurt['wijknaam'])}. "
                    "Klik in het assenkruis waar u de buurt ziet, of gebruik de schuifregelaars.")
        chart = wcharts.placement_chart(buurt, ws.bereik, (ws.recipe.grens_draagkracht, ws.recipe.grens_fysieke_kansen),
                                        cfg.kwadrant_namen, ws.max_afwijking, eigen=eigen,
                                        voorstel=(st.session_state[kx], st.session_state[ky]))
        grafiek.chart(chart, width="content", key=f"ws_plek_{buurtcode}", on_select=functools.partial(_on_click, buurtcode, ws.bereik))
        st.caption("◆ datapositie (bevroren bij de start) · ● uw opgeslagen plaatsing · ○ uw keuze. "
                   f"Buiten de stippelcirkel (afstand {ws.max_afwijking:g}) vragen we waarom.")
    with right:
        dk = st.slider("Draagkracht en weerbaarheid", -ws.bereik, ws.bereik, step=0.05, key=kx, disabled=not ws.open)
        fk = st.slider("Fysieke kansen", -ws.bereik, ws.bereik, step=0.05, key=ky, disabled=not ws.open)
        afstand = _distance(buurt, dk, fk)
        nodig = afstand is not None and afstand > ws.max_afwijking
        if afstand is not None:
            st.caption(f"Afstand tot de datapositie: {number(afstand)}" + (" — geef een reden." if nodig else "."))
        else:
            st.caption("Deze buurt heeft te weinig gegevens voor een datapositie; uw plaatsing telt des te meer.")
        vorige = mine.at[buurtcode, "reden"] if buurtcode in mine.index else ""
        reden = st.text_area("Waarom hier?" + (" (verplicht)" if nodig else " (optioneel)"), value=vorige or "",
                             max_chars=MAX_REDEN, key=f"ws_reden_{buurtcode}", disabled=not ws.open,
                             placeholder="Wat weet u van deze buurt dat de cijfers niet laten zien?")
        if st.button("Plaatsing opslaan", type="primary", disabled=not ws.open, key="ws_opslaan"):
            uid = _try(s.place, code, token, buurtcode, dk, fk, reden=reden, bron=bron())
            if uid:
                st.toast(f"{buurt['buurtnaam']} geplaatst.")
                st.rerun()
        pins_editor(s, code, token, me.nummer, buurtcode, ws.open)


def pins_editor(s: WorkshopStore, code: str, token: str, nummer: int, buurtcode: str, is_open: bool) -> None:
    mk = _menukaart()
    st.markdown(f"**Prikkers** (hoogstens {MAX_PINS} interventies van de menukaart)")
    if mk is None:
        st.caption("De menukaart is in deze installatie niet beschikbaar; prikkers kunnen nog niet worden gezet.")
        return
    ids, titel, categorie = mk
    pins = s.pins(code, bron=bron())
    current = pins[(pins["deelnemer"] == nummer) & (pins["buurtcode"] == buurtcode)]["interventie"].tolist()
    colours = pin_colours(ids, categorie)
    chosen = st.multiselect("Interventies voor deze buurt", ids, default=[i for i in current if i in ids],
                            format_func=lambda i: f"● {titel.get(i, i)}", max_selections=MAX_PINS,
                            placeholder="Kies interventies", select_all=False,
                            key=f"ws_pins_{buurtcode}", disabled=not is_open)
    if chosen:
        st.caption(" · ".join(f":gray[{layout.md_escape(titel[i])}]" for i in chosen))
        _pin_legend(chosen, titel, colours)
    if st.button("Prikkers opslaan", disabled=not is_open, key="ws_pins_opslaan"):
        for iid in [i for i in current if i not in chosen]:
            if not _ok(s.unpin, code, token, buurtcode, iid, bron=bron()):
                return
        for iid in [i for i in chosen if i not in current]:
            if not _ok(s.pin, code, token, buurtcode, iid, bron=bron()):
                return
        st.toast("Prikkers opgeslagen.")
        st.rerun()


def _pin_legend(ids: list[str], titel: dict[str, str], colours: dict[str, str]) -> None:
    df = pd.DataFrame({"interventie": [titel.get(i, i) for i in ids], "kleur": [colours[i] for i in ids], "n": 1})
    chart = alt.Chart(df).mark_circle(size=180).encode(
        y=alt.Y("interventie:N", title=None, sort=None), color=alt.Color("kleur:N", scale=None, legend=None),
    ).properties(height=28 * len(ids))
    grafiek.chart(chart)


def _on_click(buurtcode: str, bereik: float) -> None:
    point = wcharts.clicked_point(st.session_state.get(f"ws_plek_{buurtcode}"))
    if point is not None:
        st.session_state[f"ws_dk_{buurtcode}"] = _snap(point[0], bereik)
        st.session_state[f"ws_fk_{buurtcode}"] = _snap(point[1], bereik)


def _synthetisch(synthetisch: bool, naam: str) -> str:
    """A ' (synthetisch)' label unless the dataset name already says so."""
    return " (synthetisch)" if synthetisch and "synthetisch" not in naam.lower() else ""


def _snap(x: float, bereik: float) -> float:
    return float(min(bereik, max(-bereik, round(x * 20) / 20)))


def _data_or_origin(buurt: dict) -> tuple[float, float]:
    dx, dy = buurt.get("data_draagkracht"), buurt.get("data_fysieke_kansen")
    if dx is None or dy is None or pd.isna(dx) or pd.isna(dy):
        return 0.0, 0.0
    return float(dx), float(dy)


def _distance(buurt: dict, dk: float, fk: float) -> float | None:
    dx, dy = buurt.get("data_draagkracht"), buurt.get("data_fysieke_kansen")
    if dx is None or dy is None or pd.isna(dx) or pd.isna(dy):
        return None
    return math.hypot(dk - dx, fk - dy)


# -- facilitator -----------------------------------------------------------------------
def facilitator_view(s: WorkshopStore, code: str, key: str) -> None:
    ws = _try(s.check_facilitator, code, key, bron=bron())
    if ws is None:
        st.session_state.pop("ws_begeleider", None)
        return
    if session.follow_dataset(ws.dataset_naam, ws.synthetisch):
        st.rerun()
    nieuw = st.session_state.pop("ws_nieuwe_sleutel", None)
    if nieuw:
        _show_secrets(ws.code, nieuw)
    st.subheader(ws.naam, anchor=False)
    status = "open" if ws.open else "gesloten (alleen lezen)"
    st.markdown(f"Code voor deelnemers: **{format_code(ws.code)}** · status: {status} · "
                f"dataset: {layout.md_escape(ws.dataset_naam)}{_synthetisch(ws.synthetisch, ws.dataset_naam)}")
    st.caption(f"Deelnemers openen deze pagina met `?ws={ws.code}` of vullen de code in bij *Meedoen*.")
    live_view(s, ws.code, every=s.verversen_s if ws.open else None)
    replay(s, ws)
    actions(s, ws, key)


def live_view(s: WorkshopStore, code: str, every: float | None) -> None:
    @st.fragment(run_every=every)
    @guard.guarded
    def _live() -> None:
        cfg = loaders.config()
        snap = _try(s.snapshot, code, bron=bron())
        if snap is None:
            return
        ws, placements, pins, _events = snap
        grens = (ws.recipe.grens_draagkracht, ws.recipe.grens_fysieke_kansen)
        overzicht = disagreement(placements, ws.buurten)
        a, b, c = st.columns(3)
        a.metric("Deelnemers", placements["deelnemer"].nunique() if len(placements) else 0)
        b.metric("Plaatsingen", len(placements))
        c.metric("Prikkers", len(pins))
        grafiek.chart(wcharts.overview_chart(overzicht, ws.bereik, grens, cfg.kwadrant_namen), width="content")
        st.caption("◆ datapositie · ● gemiddelde van de deelnemers; de lijn toont hoe ver de groep van de data afwijkt.")

        st.markdown("**Waar is men het oneens?**")
        sort = st.radio("Rangschikken op", ["onderling (spreiding)", "met de data (afwijking)"], horizontal=True,
                        key="ws_sort")
        col = "spreiding" if sort.startswith("onderling") else "afwijking_data"
        table = overzicht.sort_values(col, ascending=False, na_position="last")
        table = table.assign(redenen=table["redenen"].map(lambda r: " | ".join(r)))
        layout.table(table[["buurtnaam", "aantal", "spreiding", "afwijking_data", "redenen"]],
                     headers={"buurtnaam": "Buurt", "aantal": "Plaatsingen", "spreiding": "Spreiding onderling",
                              "afwijking_data": "Afwijking van de data", "redenen": "Redenen"},
                     widths={"redenen": "large"})

        b_idx = ws.buurten.set_index("buurtcode")
        buurtcode = st.selectbox("Buurt in detail", list(b_idx.index), key="ws_detail",
                                 format_func=lambda c: f"{b_idx.at[c, 'buurtnaam']} ({c})")
        p = placements[placements["buurtcode"] == buurtcode]
        left, right = st.columns([3, 2])
        with left:
            grafiek.chart(wcharts.facilitator_chart(b_idx.loc[buurtcode].to_dict(), p, ws.bereik, grens,
                                                      cfg.kwadrant_namen, height=380), width="content")
        with right:
            layout.table(p[["naam", "draagkracht", "fysieke_kansen", "afwijking", "reden"]],
                         {"draagkracht": score, "fysieke_kansen": score},
                         headers={"naam": "Deelnemer", "draagkracht": ws.recipe.axis("draagkracht").label,
                                  "fysieke_kansen": ws.recipe.axis("fysieke_kansen").label, "afwijking": "Afwijking",
                                  "reden": "Reden"}, widths={"reden": "large"})
        st.markdown("**Prikkers per buurt**")
        tally = pin_tally(pins)
        if tally.empty:
            st.caption("Nog geen prikkers gezet.")
            return
        mk = _menukaart()
        titel, categorie = (mk[1], mk[2]) if mk is not None else ({}, {})
        ids = list(mk[0]) if mk is not None else sorted(set(tally["interventie"]))
        kleur = pin_colours(ids + [i for i in tally["interventie"] if i not in ids], categorie)
        tally = tally.assign(
            buurt=tally["buurtcode"].map(lambda c: b_idx.at[c, "buurtnaam"] if c in b_idx.index else c),
            kleur=tally["interventie"].map(kleur),
            interventie=tally["interventie"].map(lambda i: titel.get(i, i)),
        )
        grafiek.chart(wcharts.pin_chart(tally), width="stretch", height=max(90, 34 * len(tally) + 50))

    _live()


def replay(s: WorkshopStore, ws) -> None:
    """Step through the workshop: the state after the first n events (nothing is ever overwritten)."""
    with st.expander("Terugspelen: hoe de plaatsingen ontstonden"):
        events = _try(s.events, ws.code, bron=bron())
        if events is None or events.empty:
            st.caption("Nog geen gebeurtenissen.")
            return
        n = st.slider("Na gebeurtenis", 1, len(events), len(events), key="ws_terug")
        e = events.iloc[n - 1]
        wie = e["naam"] if isinstance(e["naam"], str) else "begeleider"
        st.text(f"{e['tijd']:%Y-%m-%d %H:%M:%S} UTC · {wie} · {e['soort']} · {e['buurtcode'] or ''}")
        placements = s.placements(ws.code, tot=n, bron=bron())
        grens = (ws.recipe.grens_draagkracht, ws.recipe.grens_fysieke_kansen)
        grafiek.chart(wcharts.overview_chart(disagreement(placements, ws.buurten), ws.bereik, grens,
                                               loaders.config().kwadrant_namen, height=380), width="content")


def actions(s: WorkshopStore, ws, key: str) -> None:
    st.divider()
    a, b, c, d = st.columns(4)
    with a:
        if ws.open and st.button("Workshop sluiten", help="Daarna kan niemand meer plaatsen; alles blijft te lezen."):
            if _ok(s.close, ws.code, key, bron=bron()):
                st.rerun()
    with b:
        mk = _menukaart()
        data = _try(s.export_csv, ws.code, key, bron=bron(), titels=mk[1] if mk else None)
        if data is not None:
            st.download_button("Export CSV", data, file_name=f"workshop-{ws.code}.csv", mime="text/csv")
    with c:
        data = _try(s.export_json, ws.code, key, bron=bron())
        if data is not None:
            st.download_button("Export JSON", data, file_name=f"workshop-{ws.code}.json", mime="application/json")
    with d:
        if st.button("Afmelden als begeleider"):
            st.session_state.pop("ws_begeleider", None)
            st.rerun()
    with st.expander("Workshop verwijderen"):
        st.caption("Verwijdert de workshop met alle plaatsingen en prikkers. Exporteer eerst als u iets wilt bewaren.")
        if not beheer.require("workshops verwijderen", "workshop"):
            return
        typed = st.text_input("Typ de workshopcode ter bevestiging", key="ws_verwijder_code")
        if st.button("Definitief verwijderen", disabled=typed.replace("-", "").upper() != ws.code):
            if not _ok(s.delete, ws.code, key, bron=bron()):
                return
            st.session_state.pop("ws_begeleider", None)
            st.success("Workshop verwijderd.")
            st.rerun()
