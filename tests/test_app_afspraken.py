"""AppTests for the Afspraken and Monitor pages."""

from __future__ import annotations

from datetime import date

import pytest

from wijkprofielen.agenda.model import Afspraak, Doelindicator
from wijkprofielen.agenda.store import AgendaStore
from wijkprofielen.config import load_config
from wijkprofielen.scenario.model import Maatregel, Scenario
from wijkprofielen.scenario.store import ScenarioStore
from wijkprofielen.synthetic import voorbeeldstad
from wijkprofielen.workshop import WorkshopStore

from conftest import TEST_CONFIG

JAAR = date.today().year


@pytest.fixture()
def url(tmp_path, monkeypatch):
    u = f"sqlite:///{tmp_path / 'w.db'}"
    monkeypatch.setenv("WIJKPROFIELEN_DATABASE", u)
    return u


def _open(app, page: str):
    at = app.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, at.exception
    return at


def test_empty_agenda_then_a_new_afspraak_by_hand(app, url):
    at = _open(app, "afspraken")
    assert not at.error
    assert any(f"Geen lopende afspraken in {JAAR}" in i.value for i in at.info)
    at.text_input(key="af_nieuw_titel").input("Huismeester in de flats")
    at.selectbox(key="af_nieuw_trekker").select("corporatie")
    at.text_input(key="af_nieuw_org").input("Zayaz")
    at.number_input(key="af_nieuw_won_sociale_huur").set_value(40)
    at.multiselect(key="af_nieuw_omhoog").select("lbm_onv")
    at.text_input(key="af_nieuw_door").input("Anna")
    at.button(key="FormSubmitter:af_nieuw_form-Afspraak opslaan").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    (a,) = AgendaStore(url).list()
    assert (a.titel, a.trekker, a.organisatie, a.woningen, a.herkomst.soort) == (
        "Huismeester in de flats", "corporatie", "Zayaz", (("sociale_huur", 40),), "hand")
    assert a.indicatoren == (Doelindicator("lbm_onv", "omhoog"),) and (a.start_jaar, a.eind_jaar) == (JAAR, JAAR + 1)
    md = " ".join(m.value for m in at.markdown)
    assert "Huismeester in de flats" in md and "dit jaar: start" in md
    assert any("Corporatie Zayaz" in e.label for e in at.expander)


def test_invalid_form_says_what_is_wrong(app, url):
    at = _open(app, "afspraken")
    at.text_input(key="af_nieuw_door").input("Anna")
    at.button(key="FormSubmitter:af_nieuw_form-Afspraak opslaan").click().run()
    assert any("Vul het veld 'titel' van afspraak 1" in e.value for e in at.error)
    at.text_input(key="af_nieuw_titel").input("Iets")
    at.number_input(key="af_nieuw_eind").set_value(JAAR - 1)
    at.button(key="FormSubmitter:af_nieuw_form-Afspraak opslaan").click().run()
    assert any("ligt voor het startjaar" in e.value for e in at.error)
    assert AgendaStore(url).list() == []


def test_from_a_closed_workshop_consensus_pins_become_afspraken(app, url):
    ds = voorbeeldstad()
    ws_store = WorkshopStore(url)
    pin = next(iter(ws_store.menukaart))
    w = ws_store.create_workshop("Atelier Noord", ds, ds.codes[:3], recipe=load_config(TEST_CONFIG).recipe)
    pids = [ws_store.join(w.code, n) for n in ("Anna", "Bram", "Cas")]
    ws_store.pin(w.code, pids[0], ds.codes[0], pin)
    ws_store.pin(w.code, pids[1], ds.codes[0], pin)
    ws_store.pin(w.code, pids[2], ds.codes[1], pin)
    at = _open(app, "afspraken")
    at.text_input(key="af_ws_code").input(w.code).run()
    assert any("is nog open" in i.value for i in at.info)
    ws_store.close(w.code, w.facilitator_key)
    at.text_input(key="af_ws_code").input(w.code.lower()).run()
    assert not at.exception and not at.error
    at.text_input(key="af_ws_door").input("Begeleider Eva")
    assert at.button(key="af_ws_maken").label == "1 afspraken maken"
    at.button(key="af_ws_maken").click().run()
    assert not at.exception and not at.error
    (a,) = AgendaStore(url).list()
    assert a.buurtcode == ds.codes[0] and a.interventie == pin and a.herkomst.soort == "workshop"
    assert a.herkomst.detail == "consensus: 2 van 3 deelnemers"
    assert AgendaStore(url).history(a.id)[0].door == "Begeleider Eva"


def test_from_a_scenario_and_a_status_change(app, url):
    sc = ScenarioStore(url)
    sid = sc.create(Scenario("Plan", [Maatregel("BU99990101", "nieuwbouw", "midden", 40, JAAR)]), "GM9999")
    at = _open(app, "afspraken")
    at.text_input(key="af_sc_door").input("Anna")
    at.button(key="af_sc_maken").click().run()
    assert not at.exception and not at.error
    (a,) = AgendaStore(url).list()
    assert a.woningen == (("midden", 40),) and a.herkomst.bron == f"Plan (id {sid}, versie 1)"
    at.selectbox(key=f"af_st_{a.id}").select("in uitvoering").run()
    at.text_input(key=f"af_st_door_{a.id}").input("Bram")
    at.button(key=f"af_st_knop_{a.id}").click().run()
    assert not at.exception
    assert [(v.versie, v.door, v.afspraak.status) for v in AgendaStore(url).history(a.id)] == [
        (1, "Anna", "gepland"), (2, "Bram", "in uitvoering")]


def test_monitor_page_shows_flags_and_the_city(app, url):
    store = AgendaStore(url)
    store.add(Afspraak("A1", "BU99990101", "Huismeester", "corporatie", 2019, 2021, "in uitvoering",
                       indicatoren=(Doelindicator("lbm_onv", "omhoog"),), woningen=(("sociale_huur", 30),)), door="Anna")
    store.add(Afspraak("A2", "BU99990102", "Nieuwbouw", "corporatie", 2026, 2027, "gereed",
                       woningen=(("sociale_huur", 12),)), door="Anna")
    at = _open(app, "monitor")
    assert not at.error
    warnings = [w.value for w in at.warning]
    assert any("**A1**: Het eindjaar 2021 is voorbij" in w for w in warnings)
    # A buurt without an afspraak is flagged exactly when its signal turned negative since the start year.
    from wijkprofielen.agenda.monitor import status_signaal
    from wijkprofielen.config import load_config
    from wijkprofielen.synthetic import voorbeeldstad
    from wijkprofielen.workspace import Workspace

    ds, ws = voorbeeldstad(), Workspace(load_config())
    then, now = ws.score(ds, jaar=2019), ws.score(ds)
    dyn_then, dyn_now = ws.dynamiek(ds, then, jaar=2019), ws.dynamiek(ds, now)
    sliding = {c for c in now.scores.index if c not in ("BU99990101", "BU99990102")
               and status_signaal(then.scores.at[c, "kwadrant"], now.scores.at[c, "kwadrant"], dyn_now.tabel.at[c, "signaal"])
               and not dyn_then.tabel.at[c, "signaal"]}
    assert sum("zonder afspraak" in w for w in warnings) == len(sliding)
    assert any("Dynamiek" in c.value and "daalt" in c.value for c in at.caption)
    bars = [p.proto.text for p in at.get("progress")]
    assert any(b.startswith("**sociale huur**: gerealiseerd 12, afgesproken 12, gepland 0 van 1.800") for b in bars)
