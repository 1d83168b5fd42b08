"""Afspraken in a real browser: a closed workshop's consensus pin becomes an afspraak in the agenda."""

from __future__ import annotations

from wijkprofielen.agenda.store import AgendaStore
from wijkprofielen.config import load_config
from wijkprofielen.synthetic import voorbeeldstad
from wijkprofielen.workshop import WorkshopStore

from .conftest import wait_for_app


def test_pin_of_a_closed_workshop_becomes_an_afspraak_in_the_agenda(server, server_database, page):
    ds = voorbeeldstad()
    store = WorkshopStore(server_database)
    pin = next(iter(store.menukaart))
    ws = store.create_workshop("Atelier Agenda", ds, ds.codes[:2], recipe=load_config().recipe)
    for naam in ("Anna", "Bram"):
        store.pin(ws.code, store.join(ws.code, naam), ds.codes[0], pin)
    store.close(ws.code, ws.facilitator_key)
    buurtnaam = ds.gebieden.set_index("buurtcode").at[ds.codes[0], "buurtnaam"]

    page.goto(f"{server}/afspraken")
    wait_for_app(page, timeout=90_000)
    page.get_by_role("tab", name="Uit een workshop").click()
    code = page.get_by_label("Workshopcode")
    code.fill(ws.code)
    code.press("Enter")
    wait_for_app(page, timeout=60_000)
    panel = page.locator("[role=tabpanel]:visible")
    naam = panel.get_by_role("textbox", name="Uw naam")
    naam.fill("Begeleider Eva")
    naam.press("Enter")
    wait_for_app(page, timeout=60_000)
    page.get_by_role("button", name="1 afspraken maken").click()
    page.wait_for_timeout(500)
    wait_for_app(page, timeout=60_000)

    (a,) = AgendaStore(server_database).list("GM9999")
    assert a.interventie == pin and a.herkomst.detail == "consensus: 2 van 2 deelnemers"
    page.get_by_role("tab", name="Uitvoeringsagenda").click()
    agenda = page.locator("[role=tabpanel]:visible")
    agenda.get_by_text(a.titel, exact=False).first.wait_for(timeout=30_000)
    assert buurtnaam in agenda.inner_text() and "dit jaar: start" in agenda.inner_text()
