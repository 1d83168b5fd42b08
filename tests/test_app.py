"""AppTests for the foundation pages: real content, not just 'no exception'."""

import json

import pytest

from wijkprofielen.config import load_config
from wijkprofielen.mapping import selected_code
from wijkprofielen.scoring import score
from wijkprofielen.synthetic import voorbeeldstad


def deck_spec(at):
    decks = at.get("deck_gl_json_chart")
    assert len(decks) == 1
    return json.loads(decks[0].proto.json)


def test_kaart_shows_every_buurt_without_tiles(app):
    at = app.run()
    assert not at.exception and not at.error
    spec = deck_spec(at)
    assert spec["mapStyle"] == "__MAP_STYLE__"  # no basemap: nothing loaded from a tile server
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert set(layers) == {"buurten", "wijken", "gemeenten"}  # outlines as offline context
    assert len(layers["buurten"]["data"]) == len(voorbeeldstad().gebieden) == 77
    assert len(layers["wijken"]["data"]) == 10
    assert "synthetisch" in at.info[0].value
    first = layers["buurten"]["data"][0]
    assert {"buurtcode", "buurtnaam", "dk", "fk", "kwadrant", "fill"} <= set(first)


def test_assenkruis_plots_scored_buurten(app):
    at = app.run()
    at.switch_page("views/assenkruis.py").run()
    assert not at.exception
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 1
    scores = score(voorbeeldstad().frame(), load_config().recipe).scores
    placed = int((scores["kwadrant"] != "onvoldoende_data").sum())
    assert any(f"{placed} buurten geplaatst" in c.value for c in at.caption)
    assert any("Versterken en beheren" in m.value for m in at.markdown)


def test_wijkprofiel_shows_the_selected_buurt(app):
    ds = voorbeeldstad()
    result = score(ds.frame(), load_config().recipe)
    code = "BU99990300"
    at = app.run()
    at.session_state["buurt"] = code  # what a click on the map or the assenkruis does
    at.switch_page("views/wijkprofiel.py").run()
    assert not at.exception
    assert at.selectbox(key="buurt").value == code
    naam = ds.gebieden.set_index("buurtcode").loc[code, "buurtnaam"]
    assert naam in at.subheader[0].value
    expected = f"{result.scores.loc[code, 'draagkracht']:+.2f}".replace(".", ",")
    assert at.metric[0].value == expected
    table = at.dataframe[-1].value
    lbm = table.set_index("kolom").loc["lbm_afw"]
    assert lbm["jaar"] == 2024 and lbm["waarde"] == pytest.approx(ds.waarden.loc[code, ("lbm_afw", 2024)])


def test_wijkprofiel_shows_suppressed_values_with_reason(app):
    ds = voorbeeldstad()
    code = next(c for c, why in ds.redenen[("woz_gemiddeld", 2024)].items() if "-99995" in why)
    at = app.run()
    at.session_state["buurt"] = code
    at.switch_page("views/wijkprofiel.py").run()
    table = at.dataframe[-1].value.set_index("kolom")
    assert table.loc["woz_gemiddeld", "status"] == "niet beschikbaar (CBS -99995)"
    assert table["waarde"].isna().loc["woz_gemiddeld"]


def test_unknown_buurt_in_url_falls_back_without_error(app):
    app.query_params["buurt"] = "BU00000000<script>"
    at = app.run()  # the Kaart page carries the buurt choice too
    assert not at.exception
    assert at.selectbox(key="buurt").value.startswith("BU9999")
    assert any("onbekende waarde voor buurt" in w.value for w in at.warning)


def test_bad_config_shows_dutch_error_and_app_stays_up(app, tmp_path, monkeypatch):
    bad = tmp_path / "c.toml"
    bad.write_text("[scoring]\nnormalisatie = 'minmax'\n[assen]\n")
    monkeypatch.setenv("WIJKPROFIELEN_CONFIG", str(bad))
    at = app.run()
    assert not at.exception
    assert "configuratie kan niet worden gebruikt" in at.error[0].value


def test_bad_dataset_path_shows_dutch_error(app, tmp_path, monkeypatch):
    monkeypatch.setenv("WIJKPROFIELEN_DATA", str(tmp_path / "weg.parquet"))
    at = app.run()
    assert not at.exception
    assert "bestaat niet" in at.error[0].value


def test_selected_code_reads_pydeck_events():
    event = {"selection": {"indices": {"buurten": [3]}, "objects": {"buurten": [{"buurtcode": "BU99990103", "dk": "+0,1"}]}}}
    assert selected_code(event) == "BU99990103"
    assert selected_code({"selection": {"indices": {}, "objects": {}}}) is None
    assert selected_code(None) is None
    geo = {"selection": {"objects": {"buurten": [{"properties": {"buurtcode": "BU1"}}]}}}
    assert selected_code(geo) == "BU1"
