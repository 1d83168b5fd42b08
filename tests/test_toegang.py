"""Administrator rights: the rule from the environment, and the pages that honour it."""

from __future__ import annotations

import pytest

from wijkprofielen import opslag, toegang
from wijkprofielen.config import load_config
from wijkprofielen.errors import ConfigError
from wijkprofielen.scenario.model import Scenario
from wijkprofielen.scenario.store import ScenarioStore
from wijkprofielen.synthetic import voorbeeldstad
from wijkprofielen.workshop import WorkshopStore

KEY = "beheer-sleutel-voor-de-test-123"


def test_open_without_settings_and_limited_with_a_key_or_header():
    assert not toegang.from_env({}).beperkt
    rule = toegang.from_env({toegang.KEY_ENV: KEY, toegang.HEADER_ENV: "X-Beheerder"})
    assert rule.beperkt and rule.sleutel_klopt(KEY) and not rule.sleutel_klopt(KEY[:-1]) and not rule.sleutel_klopt("")
    assert rule.beheerder_uit_kop({"X-BEHEERDER": " anna "}) == "anna"
    assert rule.beheerder_uit_kop({"x-beheerder": "  "}) is None  # an empty header names nobody
    assert rule.beheerder_uit_kop({"x-andere-kop": "anna"}) is None
    assert toegang.from_env({toegang.HEADER_ENV: "X-Beheerder"}).sleutel_klopt(KEY) is False


@pytest.mark.parametrize(("env", "fragment"), [
    ({toegang.KEY_ENV: "kort"}, r"te kort \(4 tekens\)"),
    ({toegang.HEADER_ENV: "X Beheerder:"}, "geen geldige naam van een HTTP-header"),
])
def test_bad_settings_are_explained(env, fragment):
    with pytest.raises(ConfigError, match=fragment):
        toegang.from_env(env)


@pytest.fixture
def limited(monkeypatch, tmp_path):
    monkeypatch.setenv(toegang.KEY_ENV, KEY)
    monkeypatch.setenv(opslag.ENV_VAR, f"sqlite:///{tmp_path}/t.db")
    monkeypatch.setenv("WIJKPROFIELEN_GEODATA", str(tmp_path))
    yield f"sqlite:///{tmp_path}/t.db"
    opslag.dispose_engines()


def _form_button(at, label):
    return next(b for b in at.button if b.label == label)


def test_data_import_asks_for_the_admin_key(app, limited):
    at = app.run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    assert not any(u for u in at.get("file_uploader"))  # no upload before the key
    at.text_input(key="beheer_sleutel_data").input("verkeerde-sleutel-0000")
    _form_button(at, "Aanmelden als beheerder").click().run()
    assert any("beheersleutel klopt niet" in e.value for e in at.error)
    assert not at.get("file_uploader")
    at.text_input(key="beheer_sleutel_data").input(KEY)
    _form_button(at, "Aanmelden als beheerder").click().run()
    assert not at.exception and not at.error
    assert len(at.get("file_uploader")) >= 4  # the import form is open to the administrator


def test_data_import_is_open_without_settings(app, monkeypatch):
    monkeypatch.delenv(toegang.KEY_ENV, raising=False)
    monkeypatch.delenv(toegang.HEADER_ENV, raising=False)
    at = app.run()
    at.switch_page("views/data.py").run()
    assert not at.exception and len(at.get("file_uploader")) >= 4


def test_header_only_installation_points_to_the_proxy_login(app, monkeypatch, tmp_path):
    monkeypatch.delenv(toegang.KEY_ENV, raising=False)
    monkeypatch.setenv(toegang.HEADER_ENV, "X-Wijkprofielen-Beheerder")
    at = app.run()
    at.switch_page("views/data.py").run()
    assert not at.exception and not at.get("file_uploader")
    assert any("Alleen beheerders kunnen bestanden importeren" in i.value for i in at.info)


def test_scenario_delete_is_disabled_for_non_admins(app, limited):
    store = ScenarioStore(limited)
    store.create(Scenario("Plan A"), "GM9999")
    at = app.run()
    at.switch_page("views/uitzoomen.py").run()
    assert not at.exception
    knop = at.button(key="uz_weg")
    assert knop.disabled and "Alleen beheerders" in knop.help


def test_workshop_delete_needs_the_admin_key_besides_the_facilitator_key(app, limited):
    ds = voorbeeldstad()
    ws = WorkshopStore(limited).create_workshop("Atelier", ds, ds.codes[:2], recipe=load_config().recipe)
    at = app.run()
    at.session_state["ws_begeleider"] = {"code": ws.code, "key": ws.facilitator_key}
    at.switch_page("views/workshop.py").run()
    assert not at.exception
    assert not [b for b in at.button if b.label == "Definitief verwijderen"]
    at.text_input(key="beheer_sleutel_workshop").input(KEY)
    _form_button(at, "Aanmelden als beheerder").click().run()
    assert [b for b in at.button if b.label == "Definitief verwijderen"]
