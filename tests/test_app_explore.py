"""AppTests for exploring: URL state, filters, colour modes, weights, trajectories."""

from __future__ import annotations

import json

import pytest

from wijkprofielen.config import load_config
from wijkprofielen.formatting import score as score_text
from wijkprofielen.scoring import score
from wijkprofielen.synthetic import voorbeeldstad
from wijkprofielen.ui.session import dataset_key
from wijkprofielen.ui.sidebar import WEIGHTS_OPEN


def layers(at) -> dict:
    decks = at.get("deck_gl_json_chart")
    assert len(decks) == 1
    return {layer["id"]: layer for layer in json.loads(decks[0].proto.json)["layers"]}


def test_deep_link_restores_view_settings(app):
    for key, value in {"buurt": "BU99990300", "kleur": "dekking", "jaar": "2022", "wijk": "WK999903"}.items():
        app.query_params[key] = value
    at = app.run()
    assert not at.exception and not at.warning
    assert at.selectbox(key="kleur").value == "dekking"
    assert at.selectbox(key="jaar").value == 2022
    assert at.selectbox(key="wijk").value == "WK999903"
    assert at.selectbox(key="buurt").value == "BU99990300"
    feats = layers(at)["buurten"]["data"]
    ds = voorbeeldstad()
    assert {f["buurtcode"] for f in feats} == set(ds.gebieden.loc[ds.gebieden["wijkcode"] == "WK999903", "buurtcode"])
    assert any("Dekking (laagste van beide assen)" in m.value for m in at.markdown)
    # The profile next to the map shows the linked buurt, scored with the 2022 figures.
    expected = score(ds.frame(2022), load_config().recipe).scores.loc["BU99990300", "draagkracht"]
    assert any(score_text(expected) in m.value for m in at.markdown)
    assert any(s.value == "Rozenhof" for s in at.subheader)


@pytest.mark.parametrize("key, value", [("kleur", "rood-groen"), ("jaar", "1850"), ("gemeente", "GM0363"), ("wijk", "WK<script>")])
def test_unknown_url_values_warn_and_fall_back(app, key, value):
    app.query_params[key] = value
    at = app.run()
    assert not at.exception
    assert any("onbekende waarde" in w.value for w in at.warning)
    assert len(layers(at)["buurten"]["data"]) == 77  # the default view
    assert at.selectbox(key="kleur").value == "kwadrant"


def test_kwadrant_filter_limits_the_map(app):
    app.query_params["kwadrant"] = "laag_laag"
    at = app.run()
    scores = score(voorbeeldstad().frame(), load_config().recipe).scores
    expected = set(scores.index[scores["kwadrant"] == "laag_laag"])
    assert {f["buurtcode"] for f in layers(at)["buurten"]["data"]} == expected


def test_indicator_colour_mode_shows_quantiles(app):
    app.query_params["kleur"] = "indicator"
    app.query_params["indicator"] = "gem_woz"
    at = app.run()
    assert at.selectbox(key="indicator").value == "gem_woz"
    assert any("(kwantielen)" in m.value for m in at.markdown)
    fills = {tuple(f["fill"]) for f in layers(at)["buurten"]["data"]}
    assert len(fills) == 6  # five quantile classes and grey for suppressed values


def test_weights_rescore_every_page_and_reset(app):
    cfg = load_config()
    ds = voorbeeldstad()
    new = cfg.recipe.with_weights({("draagkracht", "lbm_soc"): 0.0})
    was, now = score(ds.frame(), cfg.recipe).scores, score(ds.frame(), new).scores
    moved = int((was["kwadrant"] != now["kwadrant"]).sum())
    app.session_state[WEIGHTS_OPEN] = True
    at = app.run()
    at.slider(key="gewicht__draagkracht__lbm_soc").set_value(0.0).run()
    assert not at.exception
    assert any(f"{moved} buurten wisselen van kwadrant" in m.value for m in at.markdown)
    feats = {f["buurtcode"]: f for f in layers(at)["buurten"]["data"]}
    code = "BU99990300"
    assert feats[code]["dk"] == score_text(now.loc[code, 'draagkracht'])
    at.session_state["buurt"] = code
    at.switch_page("views/wijkprofiel.py").run()
    assert at.metric[0].value == score_text(now.loc[code, 'draagkracht'])
    at.button(key="weging_reset").click().run()
    assert at.slider(key="gewicht__draagkracht__lbm_soc").value == 1.0
    assert at.metric[0].value == score_text(was.loc[code, 'draagkracht'])


def test_weights_count_while_their_expander_is_closed(app):
    cfg = load_config()
    ds = voorbeeldstad()
    now = score(ds.frame(), cfg.recipe.with_weights({("draagkracht", "lbm_soc"): 0.0})).scores
    app.session_state[WEIGHTS_OPEN] = True
    at = app.run()
    at.slider(key="gewicht__draagkracht__lbm_soc").set_value(0.0).run()
    at.session_state[WEIGHTS_OPEN] = False
    at.run()
    at.run()  # a second run without the sliders drawn: Streamlit would have dropped their values
    assert not at.exception and not at.slider
    assert any("Eigen weging actief" in c.value for c in at.caption)
    feats = {f["buurtcode"]: f for f in layers(at)["buurten"]["data"]}
    assert feats["BU99990300"]["dk"] == score_text(now.loc["BU99990300", "draagkracht"])
    at.session_state[WEIGHTS_OPEN] = True
    at.run()
    assert at.slider(key="gewicht__draagkracht__lbm_soc").value == 0.0


def test_all_weights_zero_warns_and_keeps_config(app):
    app.session_state[WEIGHTS_OPEN] = True
    at = app.run()
    cfg = load_config()
    for ind in cfg.recipe.axis("fysieke_kansen").indicatoren:
        at.slider(key=f"gewicht__fysieke_kansen__{ind.kolom}").set_value(0.0)
    at.run()
    assert not at.exception
    assert any("gewichten van as 'fysieke_kansen' zijn 0" in w.value for w in at.warning)
    assert len(layers(at)["buurten"]["data"]) == 77


def test_percentile_normalisation_changes_scores(app):
    app.session_state[WEIGHTS_OPEN] = True
    at = app.run()
    at.radio(key="normalisatie").set_value("percentiel").run()
    ds = voorbeeldstad()
    pct = score(ds.frame(), load_config().recipe.with_options(normalisatie="percentiel")).scores
    feats = {f["buurtcode"]: f for f in layers(at)["buurten"]["data"]}
    assert feats["BU99990300"]["dk"] == score_text(pct.loc['BU99990300', 'draagkracht'])


def test_assenkruis_shows_trajectories_for_the_selected_buurt(app):
    # The national recipe: the full one has plancapaciteit of 2024 only, so earlier years lack coverage.
    app.query_params["recept"] = "landelijk"
    app.query_params["buurt"] = "BU99990300"
    at = app.run()
    at.switch_page("views/assenkruis.py").run()
    at.toggle(key="assenkruis_verloop").set_value(True).run()
    assert not at.exception
    chart = (at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart"))[0]
    spec = json.loads(chart.proto.spec)
    marks = [layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"] for layer in spec["layer"]]
    assert "line" in marks
    assert any("Pijlen: positie per meetjaar" in c.value and "(2018 → 2024)" in c.value for c in at.caption)
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")
    data = next(d for d in chart.proto.datasets if d.name == line["data"]["name"])
    rows = convert_arrow_bytes_to_pandas_df(data.data.data)
    from wijkprofielen.ui.assenkruis import trajectory_years

    jaren, _ = trajectory_years(voorbeeldstad(), load_config().with_recept("landelijk").recipe, None)
    assert sorted(rows["jaar"].unique()) == jaren and jaren[0] == 2018  # the years of the heaviest indicator
    assert set(rows["buurtcode"]) == {"BU99990300"}
    assert any(s.value == "Rozenhof" for s in at.subheader)


def test_link_from_another_dataset_warns(app):
    app.query_params["versie"] = "0123456789"
    at = app.run()
    assert not at.exception
    assert any("andere dataset" in w.value for w in at.warning)
    assert len(layers(at)["buurten"]["data"]) == 77


def test_link_with_this_dataset_restores_the_view_without_a_warning(app):
    ds = voorbeeldstad()
    app.query_params["versie"] = dataset_key(ds)
    app.query_params["wijk"] = "WK999903"
    at = app.run()
    assert not at.exception and not at.warning
    assert at.query_params["versie"] == dataset_key(ds)  # the link keeps saying which data it shows
    in_wijk = set(ds.gebieden.loc[ds.gebieden["wijkcode"] == "WK999903", "buurtcode"])
    assert {f["buurtcode"] for f in layers(at)["buurten"]["data"]} == in_wijk


def _spec(at):
    chart = (at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart"))[0]
    return json.loads(chart.proto.spec)


def test_assenkruis_opacity_from_stability_and_cross_on_toggle(app):
    at = app.run()
    at.switch_page("views/assenkruis.py").run()
    assert not at.exception
    spec = _spec(at)
    circles = [layer for layer in spec["layer"] if layer["mark"]["type"] == "circle"]
    assert circles[0]["encoding"]["opacity"]["field"] == "zekerheid"
    rules = [layer for layer in spec["layer"] if layer["mark"]["type"] == "rule"]
    assert not any("x2" in layer["encoding"] or "y2" in layer["encoding"] for layer in rules)
    at.toggle(key="assenkruis_kruis").set_value(True).run()
    assert not at.exception
    rules = [layer for layer in _spec(at)["layer"] if layer["mark"]["type"] == "rule"]
    assert any(layer["encoding"].get("x2", {}).get("field") == "draagkracht_hoog" for layer in rules)
    assert any(layer["encoding"].get("y2", {}).get("field") == "fysieke_kansen_hoog" for layer in rules)
    at.toggle(key="assenkruis_stabiliteit").set_value(False)
    at.toggle(key="assenkruis_kruis").set_value(False).run()
    circles = [layer for layer in _spec(at)["layer"] if layer["mark"]["type"] == "circle"]
    assert "field" not in circles[0]["encoding"]["opacity"]
