"""AppTests of the workshop page: set up, join, place, reconnect, close, escaping."""

from __future__ import annotations

import pytest

from wijkprofielen import opslag
from wijkprofielen.config import load_config
from wijkprofielen.synthetic import voorbeeldstad
from wijkprofielen.workshop import WorkshopStore

from conftest import ROOT, TEST_CONFIG
from workshop_helpers import menukaart_pin_id

PAGE = "views/workshop.py"


@pytest.fixture
def db(monkeypatch, tmp_path):
    url = f"sqlite:///{tmp_path}/app.db"
    monkeypatch.setenv(opslag.ENV_VAR, url)
    monkeypatch.delenv("WIJKPROFIELEN_DATA", raising=False)
    monkeypatch.setenv("WIJKPROFIELEN_CONFIG", str(TEST_CONFIG))
    yield url
    opslag.dispose_engines()


def _at(params: dict | None = None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    return at.switch_page(PAGE).run()


def _workshop(url, n=3):
    ds = voorbeeldstad()
    store = WorkshopStore(url)
    return store, ds, store.create_workshop("Atelier", ds, ds.codes[:n], recipe=load_config().recipe)


def test_facilitator_creates_workshop_and_sees_code_and_key(db):
    at = _at()
    assert not at.exception
    form_inputs = [t for t in at.text_input if t.label == "Naam van de workshop"]
    form_inputs[0].input("Gebiedsatelier Noord")
    ms = [m for m in at.multiselect if m.label == "Buurten op tafel"][0]
    ms.set_value(voorbeeldstad().codes[:3])
    [b for b in at.button if b.label == "Workshop aanmaken"][0].click()
    at.run()
    assert not at.exception
    assert any("Workshopcode voor de deelnemers" in s.value for s in at.success)
    assert len(at.code) == 1 and len(at.code[0].value) >= 30  # the key, shown once
    store = WorkshopStore(db)
    leider = at.session_state["ws_begeleider"]
    ws = store.check_facilitator(leider["code"], leider["key"])
    assert ws.naam == "Gebiedsatelier Noord" and len(ws.buurten) == 3 and ws.synthetisch


def test_participant_joins_places_with_sliders_and_keeps_work_after_reconnect(db):
    store, ds, ws = _workshop(db)
    at = _at({"ws": ws.code})
    [t for t in at.text_input if t.label == "Uw naam"][0].input("Anna")
    [b for b in at.button if b.label == "Meedoen"][0].click()
    at.run()
    assert not at.exception
    token = at.query_params["p"]
    assert at.query_params["ws"] == ws.code and token
    first = ws.buurten.iloc[0]
    at.slider(key=f"ws_dk_{first.buurtcode}").set_value(round(first.data_draagkracht * 20) / 20)
    at.slider(key=f"ws_fk_{first.buurtcode}").set_value(round(first.data_fysieke_kansen * 20) / 20)
    [b for b in at.button if b.label == "Plaatsing opslaan"][0].click()
    at.run()
    assert not at.exception and not at.error
    p = store.placements(ws.code)
    assert p[["naam", "buurtcode"]].values.tolist() == [["Anna", first.buurtcode]]

    # Far from the data without a reason: refused with the Dutch message, nothing stored.
    at.slider(key=f"ws_dk_{first.buurtcode}").set_value(ws.bereik)
    at.slider(key=f"ws_fk_{first.buurtcode}").set_value(-ws.bereik)
    [b for b in at.button if b.label == "Plaatsing opslaan"][0].click()
    at.run()
    assert any("Geef kort aan waarom" in e.value for e in at.error)
    assert len(store.events(ws.code)) == 1

    # A new browser session with the personal link: same participant, work still there.
    again = _at({"ws": ws.code, "p": token})
    assert not again.exception
    assert any("deelnemer 1: Anna" in c.value for c in again.caption)
    assert again.slider(key=f"ws_dk_{first.buurtcode}").value == pytest.approx(round(first.data_draagkracht * 20) / 20)
    assert "1 van 3" in again.get("progress")[0].proto.text


def test_script_in_name_is_shown_as_text(db):
    store, ds, ws = _workshop(db)
    evil = "<script>alert(1)</script>"
    pid = store.join(ws.code, evil)
    at = _at({"ws": ws.code, "p": pid})
    assert not at.exception
    shown = [c.value for c in at.caption] + [m.value for m in at.markdown]
    assert any("\\<script\\>" in v for v in shown)
    assert not any("<script>" in v for v in shown)


def test_closed_workshop_refuses_writes_and_facilitator_view_renders(db):
    store, ds, ws = _workshop(db)
    pid = store.join(ws.code, "Bram")
    store.place(ws.code, pid, ds.codes[0], 0.0, 0.0, reden="ken de buurt")
    store.pin(ws.code, pid, ds.codes[0], menukaart_pin_id())
    at = _at()
    at.session_state["ws_begeleider"] = {"code": ws.code, "key": ws.facilitator_key}
    at.run()
    assert not at.exception
    assert any(m.label == "Plaatsingen" and m.value == "1" for m in at.metric)
    assert any(m.label == "Prikkers" and m.value == "1" for m in at.metric)
    assert not any("Nog geen prikkers" in c.value for c in at.caption)
    assert [b.label for b in at.get("download_button")] == ["Export CSV", "Export JSON"]
    terug = at.slider(key="ws_terug")
    assert terug.max == 2 and terug.value == 2  # one placement and one pin
    terug.set_value(1).run()
    assert not at.exception
    assert any("Bram · plaats" in t.value for t in at.text)
    [b for b in at.button if b.label == "Workshop sluiten"][0].click()
    at.run()
    assert store.workshop(ws.code).status == "gesloten"
    part = _at({"ws": ws.code, "p": pid})
    assert any("gesloten" in i.value for i in part.info)
    assert [b for b in part.button if b.label == "Plaatsing opslaan"][0].disabled


def test_wrong_code_in_url_gives_message(db):
    at = _at({"ws": "ZZZZZZZZ", "p": "nep"})
    assert not at.exception
    assert any("bestaat niet" in e.value for e in at.error)


def test_bad_workshop_config_gives_dutch_message(db, tmp_path, monkeypatch):
    text = TEST_CONFIG.read_text(encoding="utf-8").replace("max_afwijking = 1.0", "max_afwijking = -2")
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("WIJKPROFIELEN_CONFIG", str(tmp_path / "config.toml"))
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert any("workshop.max_afwijking" in e.value for e in at.error)


def test_lost_database_gives_a_dutch_message_and_stores_nothing(db, monkeypatch):
    from sqlalchemy.exc import OperationalError

    store, ds, ws = _workshop(db)
    token = store.join(ws.code, "Anna")
    at = _at({"ws": ws.code, "p": token})

    def gone(*_args, **_kwargs):
        raise OperationalError("INSERT …", {}, Exception("server closed the connection unexpectedly"))

    monkeypatch.setattr(WorkshopStore, "place", gone)
    [b for b in at.button if b.label == "Plaatsing opslaan"][0].click()
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "De workshopdatabase is even niet bereikbaar; wat u zojuist deed, is niet opgeslagen. Probeer het over "
        "enkele seconden opnieuw. Blijft deze melding, waarschuw dan de begeleider."]
    assert store.events(ws.code).empty
