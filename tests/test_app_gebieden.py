"""AppTests for the levels (buurt, wijk, gebied) and the Gebiedsprofiel page: URL state, the unit map,
making a gebied and its profile."""

from __future__ import annotations

import json

import pytest

from wijkprofielen.gebieden import Gebied, GebiedenStore
from wijkprofielen.synthetic import voorbeeldstad


@pytest.fixture()
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path}/gebieden.db"
    monkeypatch.setenv("WIJKPROFIELEN_DATABASE", url)
    return url


def layers(at) -> dict:
    decks = at.get("deck_gl_json_chart")
    assert len(decks) == 1
    return {layer["id"]: layer for layer in json.loads(decks[0].proto.json)["layers"]}


def test_level_round_trips_through_the_url(app):
    app.query_params["niveau"] = "wijk"
    at = app.run()
    assert not at.exception and not [w for w in at.warning if "link" in w.value]
    assert at.selectbox(key="niveau").value == "wijk"
    units = layers(at)["eenheden"]["data"]
    assert len(units) == voorbeeldstad().gebieden["wijkcode"].nunique() == 10
    assert {"naam", "eenheid", "dk", "fk", "kwadrant"} <= set(units[0])
    assert "buurtgrenzen" not in layers(at)  # the buurten inside only on demand
    at.toggle(key="kaart_buurten_binnen").set_value(True).run()
    assert len(layers(at)["buurtgrenzen"]["data"]) == 77
    at.selectbox(key="niveau").select("buurt").run()
    assert "niveau" not in at.query_params  # the default is left out of the link
    assert "buurten" in layers(at)
    at.selectbox(key="niveau").select("wijk").run()
    assert at.query_params["niveau"] in ("wijk", ["wijk"])


def test_bad_level_in_the_url_gets_a_dutch_message(app):
    app.query_params["niveau"] = "provincie"
    at = app.run()
    assert not at.exception
    assert any("onbekende waarde voor niveau: “provincie”" in w.value for w in at.warning)
    assert at.selectbox(key="niveau").value == "buurt"
    assert "buurten" in layers(at)


def test_unknown_gebied_in_the_url_is_named(app, store_url):
    app.query_params["niveau"] = "gebied"
    app.query_params["gebied"] = "Nergenshuizen"
    at = app.run()
    assert not at.exception
    assert any("Nergenshuizen" in w.value and "niet is opgeslagen" in w.value for w in at.warning)
    assert any("nog geen eigen gebieden" in i.value for i in at.info)


def test_gebiedsprofiel_export_and_wijkprofiel_of_a_wijk(app, store_url):
    app.query_params["niveau"] = "wijk"
    app.query_params["eenheid"] = "WK999904"
    at = app.run()
    at.switch_page("views/gebiedsprofiel.py").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="eenheid").value == "WK999904"
    assert any("wijk (CBS) ·" in s.value for s in at.subheader)
    assert any("Genormaliseerd tegen de wijken van de eigen gemeente" in c.value for c in at.caption)
    assert any("Spreiding van de buurten" in m.value for m in at.markdown)
    assert any(m.value.startswith("#### Menukaart voor") for m in at.markdown)
    frames = [d.value for d in at.dataframe]
    figures = next(f for f in frames if "herkomst" in f.columns)
    assert figures["herkomst"].str.contains("berekend uit").any()  # computed figures say from how many buurten
    spread = next(f for f in frames if "stabiliteit" in f.columns)
    ds = voorbeeldstad()
    assert set(spread["buurtcode"]) == set(ds.gebieden.loc[ds.gebieden["wijkcode"] == "WK999904", "buurtcode"])
    # The exports follow the level.
    at.switch_page("views/export.py").run()
    assert not at.exception and not at.error
    next(b for b in at.button if b.label == "Bestanden voor alle eenheden maken").click().run()
    assert not at.exception and not at.error
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["GeoPackage (RD New)", "CSV", "Manifest (JSON)", "PDF downloaden", "HTML downloaden"]
    # The Wijkprofiel page points to the profile of the level.
    at.switch_page("views/wijkprofiel.py").run()
    assert not at.exception
    assert any("Gebiedsprofiel" in i.value for i in at.info)


def test_bad_unit_in_the_url_gets_a_dutch_message(app, store_url):
    app.query_params["niveau"] = "wijk"
    app.query_params["eenheid"] = "WK00000000"
    at = app.run()
    assert not at.exception
    assert any("“WK00000000”" in w.value and "geen wijk" in w.value for w in at.warning)
    at.switch_page("views/gebiedsprofiel.py").run()
    assert at.selectbox(key="eenheid").value == sorted(voorbeeldstad().gebieden["wijkcode"])[0]


def test_make_a_gebied_and_see_its_profile(app, store_url):
    at = app.run()
    at.session_state["gebied_tab"] = "Gebied maken"
    at.switch_page("views/gebiedsprofiel.py").run()
    codes = ["BU99990100", "BU99990101", "BU99990300"]
    at.multiselect(key="gm_buurten").set_value(codes).run()
    at.text_input(key="gm_naam").input("Orthen-links")
    at.text_area(key="gm_beschrijving").input("Het werkgebied van het team")
    next(b for b in at.button if b.label == "Gebied opslaan").click().run()
    assert not at.exception and not at.error
    assert any("Orthen-links" in s.value and "versie 1" in s.value for s in at.success)
    stored = GebiedenStore(store_url).load_all()
    assert [(g.naam, g.buurtcodes, g.beschrijving) for g in stored] == [("Orthen-links", tuple(codes), "Het werkgebied van het team")]
    # The profile now shows the new gebied at level gebied, and the link says so.
    assert at.selectbox(key="niveau").value == "gebied"
    assert at.selectbox(key="eenheid").value == "Orthen-links"
    assert any(s.value.startswith("Orthen-links · eigen gebied · 3 buurten") for s in at.subheader)
    assert at.query_params["gebied"] in ("Orthen-links", ["Orthen-links"])


def test_gebieden_on_the_map_and_the_assenkruis(app, store_url):
    GebiedenStore(store_url).create(Gebied("Noord", ("BU99990100", "BU99990101")))
    GebiedenStore(store_url).create(Gebied("Zuid", ("BU99990101", "BU99990900")))
    app.query_params["niveau"] = "gebied"
    at = app.run()
    assert not at.exception and not at.error
    assert {f["naam"] for f in layers(at)["eenheden"]["data"]} == {"Noord", "Zuid"}
    at.multiselect(key="gebied").set_value(["Zuid"]).run()
    assert {f["naam"] for f in layers(at)["eenheden"]["data"]} == {"Zuid"}
    at.switch_page("views/assenkruis.py").run()
    assert not at.exception
    assert any("Kleine punten: de 2 geplaatste buurten van Zuid" in c.value for c in at.caption)

