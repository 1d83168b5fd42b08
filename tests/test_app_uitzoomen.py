"""AppTests for the Uitzoomen page: scenario management, totals, map, warnings, A vs B."""

import json

import pytest


from wijkprofielen.formatting import integer
from wijkprofielen.menukaart import default_menukaart
from wijkprofielen.scenario.model import Maatregel, Scenario
from wijkprofielen.scenario.store import ScenarioStore
from wijkprofielen.synthetic import voorbeeldstad


@pytest.fixture()
def db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'w.db'}"
    monkeypatch.setenv("WIJKPROFIELEN_DATABASE", url)
    return ScenarioStore(url)


def test_empty_store_then_the_worked_example(app, db):
    at = app.run()
    at.switch_page("views/uitzoomen.py").run()
    assert not at.exception and not at.error
    assert any("Nog geen scenario's" in i.value for i in at.info)
    at.button(key="uz_voorbeeld").click().run()
    assert not at.exception and not at.error
    stored = db.list("GM9999")
    sc = db.load(stored[0].id)
    names = voorbeeldstad().gebieden.set_index("buurtcode")["buurtnaam"]
    x, y = sc.maatregelen[0].buurtcode, sc.maatregelen[1].buurtcode
    assert [s.naam for s in stored] == [f"Voorbeeld: {names[x]} en {names[y]}"]
    social = sc.maatregelen[0].aantal
    bars = [p.proto.text for p in at.get("progress")]
    assert f"**Sociale huur toegevoegd**: {integer(social)} van 1.800 — tekort {integer(1800 - social)}" in bars
    assert any("synthetische voorbeelddoelen" in i.value for i in at.info)
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    assert deck["mapStyle"] == "__MAP_STYLE__"  # no tiles
    assert len(deck["layers"][0]["data"]) == 77
    # The example caps inflow in Y (15) and offers 10 in X: the waterbed warns about 5.
    assert any("5 huishoudens moeten ergens anders terecht" in w.value for w in at.warning)
    # A vs B after copying.
    at.button(key="uz_kopie").click().run()
    assert not at.exception
    assert len(db.list("GM9999")) == 2
    assert at.selectbox(key="uz_a") is not None


def test_editing_measures_saves_a_new_version_and_invalid_edits_say_why(app, db):
    sid = db.create(Scenario("Mijn plan", [Maatregel("BU99990300", "nieuwbouw", "midden", 40, 2027)]), "GM9999")
    at = app.run()
    at.switch_page("views/uitzoomen.py").run()
    assert not at.exception
    assert at.selectbox(key="uz_scenario").value == sid
    assert any("**Middenhuur/midden koop toegevoegd**: 40 van 1.200" in p.proto.text for p in at.get("progress"))
    # A stored scenario that does not fit this dataset shows a Dutch error, no totals, and the app stays up.
    db.save(sid, Scenario("Mijn plan", [Maatregel("BU12345678", "nieuwbouw", "midden", 40, 2027)]))
    at.run()
    assert not at.exception
    assert any("maatregel 1 (buurtcode): 'BU12345678' is geen buurt in deze dataset" in e.value for e in at.error)
    assert not at.get("progress")
    # Fixing it in the editor (what a user's edit sends) and saving adds version 3; nothing is overwritten.
    at.session_state[f"uz_editor_{sid}_2"] = {"edited_rows": {0: {"buurtcode": "BU99990301"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception and not at.error
    at.button(key="uz_opslaan").click().run()
    assert not at.exception
    assert [v for v, _ in db.versions(sid)] == [1, 2, 3]
    assert db.load(sid).maatregelen[0].buurtcode == "BU99990301"
    assert db.load(sid, 2).maatregelen[0].buurtcode == "BU12345678"


def test_take_the_menukaart_suggestions(app, db):
    sid = db.create(Scenario("Leeg"), "GM9999")
    at = app.run()
    at.switch_page("views/uitzoomen.py").run()
    at.selectbox(key="uz_sugg_buurt").set_value("BU99990300").run()
    at.button(key="uz_sugg_knop").click().run()
    assert not at.exception and not at.error
    added = db.load(sid).maatregelen
    assert added and {m.buurtcode for m in added} == {"BU99990300"} and all(m.aantal == 0 for m in added)
    assert all(m.interventie in default_menukaart() for m in added)


def test_dataset_with_several_gemeenten_asks_which_one(app, db, tmp_path, monkeypatch):
    import pandas as pd

    from wijkprofielen.dataset import Dataset, save_dataset
    from wijkprofielen.testing import grid_dataset

    a = grid_dataset({"woningen": [100, 100]}, gemeentecode="GM0796")
    b = grid_dataset({"woningen": [50]}, gemeentecode="GM0001")
    both = Dataset(pd.concat([a.gebieden, b.gebieden], ignore_index=True), pd.concat([a.waarden, b.waarden]), {}, {}, {"naam": "twee"})
    monkeypatch.setenv("WIJKPROFIELEN_DATA", str(save_dataset(both, tmp_path / "twee.parquet")))
    db.create(Scenario("Bosch", [Maatregel(a.codes[1], "nieuwbouw", "sociale_huur", 100, 2025)]), "GM0796")
    at = app.run()
    at.switch_page("views/uitzoomen.py").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="uz_gemeente").options == ["Gemeente 0796 (GM0796)"]
    assert any("**Sociale huur toegevoegd**: 100 van 3.150 — tekort 3.050" in p.proto.text for p in at.get("progress"))


def _failing(*args, **kwargs):
    import sqlalchemy.exc

    raise sqlalchemy.exc.OperationalError("INSERT INTO scenario_versie …", {}, Exception("database is locked"))


def test_store_failures_are_explained_in_dutch(app, db, monkeypatch):
    sid = db.create(Scenario("Mijn plan", [Maatregel("BU99990300", "nieuwbouw", "midden", 40, 2027)]), "GM9999")
    at = app.run()
    at.switch_page("views/uitzoomen.py").run()
    at.session_state[f"uz_editor_{sid}_1"] = {"edited_rows": {0: {"aantal": 50}}, "added_rows": [], "deleted_rows": []}
    at.run()
    monkeypatch.setattr(ScenarioStore, "save", _failing)
    at.button(key="uz_opslaan").click().run()
    assert not at.exception
    assert any("Het scenario is niet opgeslagen: de database gaf een fout (OperationalError). Er is niets gewijzigd."
               in e.value for e in at.error)
    assert [v for v, _ in db.versions(sid)] == [1]
    monkeypatch.setattr(ScenarioStore, "list", _failing)  # a failure anywhere else on the page
    at.run()
    assert not at.exception
    assert any("De scenario-opslag kon niet worden gelezen of bijgewerkt" in e.value for e in at.error)
