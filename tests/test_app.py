"""AppTests for the Kaart, Assenkruis and Wijkprofiel pages and the shared sidebar: real content."""

import json

import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

from wijkprofielen import formatting, indicators
from wijkprofielen.config import Recipe, load_config
from wijkprofielen.mapping import selected_code
from wijkprofielen.menukaart import load_menukaart
from wijkprofielen.scoring import score
from wijkprofielen.synthetic import voorbeeldstad
from wijkprofielen.ui import kaart, loaders, session
from wijkprofielen.ui.sidebar import WEIGHTS_OPEN


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
    assert set(layers) == {"buurten", "wijken", "gemeenten"}  # outlines as offline context; names on request
    assert len(layers["buurten"]["data"]) == len(voorbeeldstad().gebieden) == 77
    assert len(layers["wijken"]["data"]) == 10
    assert "synthetisch" in at.info[0].value
    first = layers["buurten"]["data"][0]
    assert {"buurtcode", "buurtnaam", "dk", "fk", "kwadrant", "fill"} <= set(first)


def test_buurt_names_are_on_for_a_wijk_and_on_request_for_a_gemeente(app):
    at = app.run()
    assert at.toggle(key=kaart.NAMES).value is False  # 77 buurten: more than a wijk
    at.toggle(key=kaart.NAMES).set_value(True).run()
    names = {layer["id"]: layer for layer in deck_spec(at)["layers"]}["namen"]
    assert len(names["data"]) == 77 and names["@@type"] == "TextLayer"
    wijk = at.sidebar.selectbox(key="wijk")
    at.sidebar.selectbox(key="wijk").select(wijk.options[1]).run()  # the user's choice holds for a wijk too
    assert at.toggle(key=kaart.NAMES).value is True


def test_buurt_names_are_on_by_themselves_for_a_wijk(app):
    app.query_params["wijk"] = "WK999901"
    fresh = app.run()
    assert not fresh.exception
    shown = len({layer["id"]: layer for layer in deck_spec(fresh)["layers"]}["buurten"]["data"])
    assert shown <= kaart.NAMES_AUTO_MAX and fresh.toggle(key=kaart.NAMES).value is True  # a wijk: on by itself
    assert len({layer["id"]: layer for layer in deck_spec(fresh)["layers"]}["namen"]["data"]) == shown
    fresh.toggle(key=kaart.NAMES).set_value(False).run()
    assert "namen" not in {layer["id"] for layer in deck_spec(fresh)["layers"]}


def test_kaart_flies_to_a_buurt_chosen_in_the_list_and_back(app):
    from wijkprofielen.mapgeometry import MapGeometry

    geo = MapGeometry.build(voorbeeldstad().gebieden)
    at = app.run()
    whole = deck_spec(at)["initialViewState"]
    assert whole == geo.view()  # the first view fits the gemeente, also with a buurt in the link
    at.selectbox(key="buurt").select("BU99990300").run()
    assert not at.exception
    assert deck_spec(at)["initialViewState"] == geo.buurt_view("BU99990300")
    at.run()  # a rerun (e.g. a click elsewhere on the page) keeps the buurt in view
    assert deck_spec(at)["initialViewState"] == geo.buurt_view("BU99990300")
    at.button[0].click().run()  # "Hele kaart tonen"
    assert deck_spec(at)["initialViewState"] == whole
    assert not [b for b in at.button if b.label == "Hele kaart tonen"]


def test_kaart_legend_says_what_each_quadrant_means(app):
    at = app.run()
    cfg = load_config()
    legend = next(m.value for m in at.markdown if cfg.kwadrant_namen["hoog_hoog"] in m.value)
    for q in ("hoog_hoog", "laag_hoog", "laag_laag", "hoog_laag"):
        first_clause = cfg.kwadrant_uitleg[q].split(":")[0]
        assert f"<b>{cfg.kwadrant_namen[q]}</b>" in legend and first_clause in legend


def test_kaart_background_map_from_the_configuration(app, tmp_path, monkeypatch):
    from conftest import TEST_CONFIG

    own = tmp_path / "config.toml"
    own.write_text(TEST_CONFIG.read_text(encoding="utf-8") + '\n[kaart]\nachtergrond = "pdok-brt"\n',
                   encoding="utf-8")
    monkeypatch.setenv("WIJKPROFIELEN_CONFIG", str(own))
    at = app.run()
    assert not at.exception and not at.error
    assert "service.pdok.nl/brt/achtergrondkaart" in deck_spec(at)["mapStyle"].replace("%2F", "/")
    assert any("Achtergrondkaart: Kadaster / PDOK" in c.value for c in at.caption)


def test_assenkruis_plots_scored_buurten(app):
    at = app.run()
    at.switch_page("views/assenkruis.py").run()
    assert not at.exception
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 1
    scores = score(voorbeeldstad().frame(), load_config().recipe).scores
    placed = int(scores["kwadrant"].isin(("hoog_hoog", "laag_hoog", "laag_laag", "hoog_laag")).sum())
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
    expected = formatting.score(result.scores.loc[code, "draagkracht"])
    assert at.metric[0].value == expected
    table = at.dataframe[-1].value
    assert "kolom" not in table.columns  # people read labels; the catalogue code stays in the exports
    lbm = table.set_index("indicator").loc[indicators.info("lbm_soc").label]
    assert lbm["jaar"] == 2024 and lbm["waarde"] == pytest.approx(ds.waarden.loc[code, ("lbm_soc", 2024)])


def test_wijkprofiel_shows_suppressed_values_with_reason(app):
    ds = voorbeeldstad()
    code = next(c for c, why in ds.redenen[("gem_woz", 2024)].items() if "-99995" in why)
    at = app.run()
    at.session_state["buurt"] = code
    at.switch_page("views/wijkprofiel.py").run()
    table = at.dataframe[-1].value.set_index("indicator")
    woz = indicators.info("gem_woz").label
    assert "niet beschikbaar (CBS -99995)" in table.loc[woz, "badge"]
    assert table["waarde"].isna().loc[woz]


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
    assert "De configuratie (c.toml) kan niet worden gebruikt" in at.main.error[0].value
    assert str(tmp_path) not in at.main.error[0].value + at.sidebar.error[0].value
    assert "Weergave en weging zijn niet beschikbaar" in at.sidebar.error[0].value
    # The sidebar names what is wrong, too (the empty [assen] keeps the packaged axes).
    assert "scoring.normalisatie = 'minmax' is onbekend" in at.sidebar.error[0].value


def test_bad_dataset_path_shows_dutch_error(app, tmp_path, monkeypatch):
    monkeypatch.setenv("WIJKPROFIELEN_DATA", str(tmp_path / "weg.parquet"))
    at = app.run()
    assert not at.exception
    assert "bestaat niet" in at.main.error[0].value
    assert "bestaat niet" in at.sidebar.error[0].value and not at.sidebar.selectbox
    assert str(tmp_path) not in at.main.error[0].value + at.sidebar.error[0].value


def test_pages_without_the_dataset_keep_working_when_it_is_broken(app, tmp_path, monkeypatch):
    monkeypatch.setenv("WIJKPROFIELEN_DATA", str(tmp_path / "weg.parquet"))
    at = app.run()
    at.switch_page("views/menukaart.py").run()
    assert not at.exception and not at.main.error
    assert "Weergave en weging zijn niet beschikbaar" in at.sidebar.error[0].value
    n = len(load_menukaart())
    assert f"{n} van de {n} interventies." in [c.value for c in at.caption]


def test_unexpected_sidebar_error_is_a_dutch_message_and_the_page_stays(app, monkeypatch, caplog):
    def broken(ds):
        raise RuntimeError("kapot")

    monkeypatch.setattr(session, "seed_from_url", broken)
    at = app.run()
    assert not at.exception
    message = at.sidebar.error[0].value
    assert "onverwachte fout" in message and "kapot" not in message
    ref = message.split("melding ")[1][:8]
    assert any(ref in r.getMessage() and r.exc_info for r in caplog.records)  # the details are in the server log
    assert len(deck_spec(at)["layers"][0]["data"]) == 77  # the map is still drawn


def test_recipe_is_hashed_at_most_once_per_rerun(app, monkeypatch):
    calls = []
    fingerprint = Recipe.fingerprint
    monkeypatch.setattr(Recipe, "fingerprint", lambda self: calls.append(1) or fingerprint(self))
    loaders.recipe_key.cache_clear()
    at = app.run()
    assert len(calls) == 1  # the recipe from config.toml, once
    for page in ("views/assenkruis.py", "views/wijkprofiel.py", "views/kaart.py"):
        calls.clear()
        at.switch_page(page).run()
        assert not at.exception and len(calls) == 0, page
    at.session_state[WEIGHTS_OPEN] = True
    at.run()
    calls.clear()
    at.slider(key="gewicht__draagkracht__lbm_soc").set_value(2.0).run()
    assert len(calls) == 1  # the adjusted recipe, once
    calls.clear()
    at.run()
    assert len(calls) == 0


def test_selected_code_reads_pydeck_events():
    event = {"selection": {"indices": {"buurten": [3]}, "objects": {"buurten": [{"buurtcode": "BU99990103", "dk": "+0,1"}]}}}
    assert selected_code(event) == "BU99990103"
    assert selected_code({"selection": {"indices": {}, "objects": {}}}) is None
    assert selected_code(None) is None
    geo = {"selection": {"objects": {"buurten": [{"properties": {"buurtcode": "BU1"}}]}}}
    assert selected_code(geo) == "BU1"


def shown(table):
    """The text a styled ``st.dataframe`` shows (its Styler display values)."""
    return convert_arrow_bytes_to_pandas_df(table.proto.arrow_data.styler.display_values)


def test_wijkprofiel_tables_show_dutch_numbers(app):
    ds = voorbeeldstad()
    code = "BU99990300"
    at = app.run()
    at.session_state["buurt"] = code
    at.switch_page("views/wijkprofiel.py").run()
    kern = next(t for t in at.dataframe if {"indicator", "waarde", "jaar"} <= set(t.value.columns))  # Kerncijfers
    numbers, text = kern.value.set_index("indicator"), shown(kern).set_index("indicator")
    inwoners, lbm = indicators.info("inwoners").label, indicators.info("lbm_score").label
    assert text.loc[inwoners, "waarde"] == formatting.integer(numbers.loc[inwoners, "waarde"])
    assert "." in text.loc[inwoners, "waarde"] or numbers.loc[inwoners, "waarde"] < 1000
    assert text.loc[lbm, "waarde"] == formatting.number(ds.waarden.loc[code, ("lbm_score", 2024)])
    assert text.loc[lbm, "jaar"] == "2024"  # a year has no thousands dot
    bijdragen = shown(next(t for t in at.dataframe if "bijdrage" in t.value.columns))
    assert bijdragen["bijdrage"].str.fullmatch(r"[+-]?\d+,\d{3}").all()
    for table in at.dataframe:
        cells = shown(table).to_numpy().ravel().tolist()
        assert not {"None", "nan", "-0,00", "-0,000"} & set(cells)


def test_export_page_counts_the_buurten_of_the_batch(app):
    gebieden = voorbeeldstad().gebieden
    at = app.run()
    at.switch_page("views/export.py").run()
    assert not at.exception and not at.error
    assert any(c.value.startswith("77 buurten met scores") for c in at.caption)
    at.selectbox(key="batch_wijk").set_value("WK999903").run()
    n = int((gebieden["wijkcode"] == "WK999903").sum())
    assert at.button(key="batch_maak").label == f"Batch maken ({n} buurten)"
