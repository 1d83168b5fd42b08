"""Colour modes, web geometry and the spliced deck spec."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import shapely

from wijkprofielen import classify
from wijkprofielen.config import load_config
from wijkprofielen.importers.pipeline import web_geometry
from wijkprofielen.mapgeometry import MAP_HEIGHT_PX, MAP_WIDTH_PX, MapGeometry, _mercator, fit_view, simplify_for_web
from wijkprofielen.mapping import (
    COLOUR_MODES,
    ColourContext,
    ColourMode,
    colour_buurten,
    map_spec,
    register_colour_mode,
    short_meaning,
)
from wijkprofielen.palettes import HOVER_RGBA, MISSING_HEX, QUADRANT_HEX, SELECTED_RGBA, STABILITY_HEX, hex_to_rgba
from wijkprofielen.scoring import score
from wijkprofielen.stability import stability
from wijkprofielen.synthetic import voorbeeldstad


@pytest.fixture(scope="module")
def scored(voorbeeld, config):
    frame = voorbeeld.frame()
    return frame, score(frame, config.recipe)


@pytest.fixture(scope="module")
def geo(voorbeeld):
    return MapGeometry.build(voorbeeld.gebieden)


def ctx(frame, result, config, kolom=None):
    return ColourContext(frame, result.scores.reindex(frame["buurtcode"]), config.recipe, config.kwadrant_namen, kolom)


def test_every_mode_colours_every_buurt_and_legend_counts_add_up(scored, config):
    frame, result = scored
    for key, mode in COLOUR_MODES.items():
        c = colour_buurten(key, ctx(frame, result, config, "lbm_score" if mode.needs_kolom else None))
        assert len(c.fill) == len(frame), key
        assert all(len(f) == 4 and all(0 <= v <= 255 for v in f) for f in c.fill), key
        assert sum(i.aantal for i in c.legend) == len(frame), key
        legend_colours = {tuple(hex_to_rgba(i.hex)[:3]) for i in c.legend}
        assert {tuple(f[:3]) for f in c.fill} <= legend_colours, key  # every colour is explained


def test_legend_rows_come_from_the_classification(scored, config):
    frame, result = scored
    for key, mode in COLOUR_MODES.items():
        c = colour_buurten(key, ctx(frame, result, config, "gem_woz" if mode.needs_kolom else None))
        cl = c.classification
        rows = c.legend
        assert [r.label for r in rows[: cl.k]] == list(cl.labels), key
        assert [r.aantal for r in rows[: cl.k]] == cl.counts.tolist(), key
        assert len(rows) == cl.k + (cl.missing > 0), key
        if cl.missing:
            assert (rows[-1].label, rows[-1].hex, rows[-1].aantal) == (cl.missing_label, MISSING_HEX, cl.missing), key
        # each buurt's fill is its class's legend colour
        lut = {n: tuple(hex_to_rgba(r.hex)[:3]) for n, r in enumerate(rows[: cl.k])}
        lut[-1] = tuple(hex_to_rgba(MISSING_HEX)[:3])
        assert [tuple(f[:3]) for f in c.fill] == [lut[y] for y in cl.yb.tolist()], key


def test_every_mode_renders_a_map(geo, scored, config):
    frame, result = scored
    ordered = frame.set_index("buurtcode").reindex(geo.codes).reset_index()
    for key, mode in COLOUR_MODES.items():
        cx = ColourContext(ordered, result.scores.reindex(geo.codes), config.recipe, config.kwadrant_namen,
                           "lbm_score" if mode.needs_kolom else None, stabiliteit=np.linspace(0, 1, len(geo.codes)))
        c = colour_buurten(key, cx)
        spec = json.loads(map_spec(geo, result.scores, ordered, config.kwadrant_namen, c.fill).to_json())
        feats = spec["layers"][0]["data"]
        assert [f["fill"] for f in feats] == c.fill, key
        assert spec["layers"][0]["highlightColor"] == list(HOVER_RGBA), key


def test_selection_outline_uses_the_palette(geo, scored, config):
    frame, result = scored
    c = colour_buurten("kwadrant", ctx(frame, result, config))
    spec = json.loads(map_spec(geo, result.scores, frame, config.kwadrant_namen, c.fill, selected="BU99990300").to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert layers["selectie"]["getLineColor"] == list(SELECTED_RGBA)


def test_kwadrant_mode_uses_the_quadrant_palette(scored, config):
    frame, result = scored
    c = colour_buurten("kwadrant", ctx(frame, result, config))
    q = result.scores.reindex(frame["buurtcode"])["kwadrant"].tolist()
    assert [f[:3] for f in c.fill] == [hex_to_rgba(QUADRANT_HEX.get(k, MISSING_HEX))[:3] for k in q]
    counts = {i.label: i.aantal for i in c.legend}
    unplaced = sum(k not in ("hoog_hoog", "laag_hoog", "laag_laag", "hoog_laag") for k in q)
    label = "Onvoldoende gegevens, te weinig inwoners of geen inwonersaantal"
    assert counts[label] == unplaced > q.count("onvoldoende_data") > 0  # tiny buurten stay grey, with the reason


def test_missing_scores_are_grey_not_a_class(scored, config):
    frame, result = scored
    c = colour_buurten("draagkracht", ctx(frame, result, config))
    missing = result.scores.reindex(frame["buurtcode"])["draagkracht"].isna().to_numpy()
    assert missing.any()
    assert {tuple(f[:3]) for f, m in zip(c.fill, missing) if m} == {(187, 187, 187)}
    assert c.legend[-1].label == "geen waarde" and c.legend[-1].aantal == missing.sum()


def test_indicator_mode_uses_quantiles_and_names_the_indicator(scored, config):
    frame, result = scored
    c = colour_buurten("indicator", ctx(frame, result, config, "gem_woz"))
    counts = [i.aantal for i in c.legend if i.label != "geen waarde"]
    assert len(counts) == 5 and max(counts) - min(counts) <= 2  # quantiles: equal-sized classes
    absent = colour_buurten("indicator", ctx(frame, result, config, "bestaat_niet"))
    assert "niet in deze dataset" in absent.titel
    assert {tuple(f[:3]) for f in absent.fill} == {(187, 187, 187)}


def test_legend_for_counts_only_the_shown_buurten(scored, config):
    frame, result = scored
    c = colour_buurten("kwadrant", ctx(frame, result, config))
    mask = (frame["wijkcode"] == "WK999903").to_numpy()
    assert sum(i.aantal for i in c.legend_for(mask)) == mask.sum()
    assert [i.hex for i in c.legend_for(mask)] == [i.hex for i in c.legend]


def test_registry_is_extensible(scored, config):
    frame, result = scored
    mode = ColourMode("proef", "Proef", lambda cx: classify.categorical(["x"] * len(cx.frame), ["x"], ["x"]),
                      ["#010203"], "Proef")
    register_colour_mode(mode)
    try:
        c = colour_buurten("proef", ctx(frame, result, config))
        assert c.fill == [[1, 2, 3, 220]] * len(frame)
        assert c.legend_for(np.ones(len(frame), bool))[0].aantal == len(frame)
    finally:
        del COLOUR_MODES["proef"]


def test_map_geometry_keeps_small_sets_exact_and_builds_outlines(geo, voorbeeld):
    assert geo.tolerance == 0.0
    assert list(geo.codes) == voorbeeld.codes
    assert len(geo.wijk_outlines) == 10 and len(geo.gemeente_outlines) == 1
    lon0, lat0, lon1, lat1 = geo.bounds[:, 0].min(), geo.bounds[:, 1].min(), geo.bounds[:, 2].max(), geo.bounds[:, 3].max()
    assert 3.2 < lon0 < lon1 < 7.3 and 50.7 < lat0 < lat1 < 53.7  # inside the Netherlands


def test_simplify_for_web_keeps_a_valid_coverage_within_budget(voorbeeld):
    # Densify each shared edge once (as the national benchmark does): a dense, valid coverage.
    edges = shapely.get_parts(shapely.line_merge(shapely.union_all(shapely.boundary(voorbeeld.gebieden.geometry.to_numpy()))))
    geoms = shapely.get_parts(shapely.polygonize(shapely.segmentize(edges, 5.0)))
    assert len(geoms) == len(voorbeeld.gebieden) and shapely.coverage_is_valid(geoms)
    total = shapely.get_num_coordinates(geoms).sum()
    out, tol = simplify_for_web(geoms, budget=total // 4)
    assert tol > 0
    assert shapely.get_num_coordinates(out).sum() <= total // 4
    assert shapely.coverage_is_valid(out)  # no gaps or overlaps between neighbours


def test_map_spec_is_compact_deterministic_and_has_no_basemap(geo, scored, config):
    frame, result = scored
    c = colour_buurten("kwadrant", ctx(frame, result, config))
    a = map_spec(geo, result.scores, frame, config.kwadrant_namen, c.fill).to_json()
    b = map_spec(geo, result.scores, frame, config.kwadrant_namen, c.fill).to_json()
    assert a == b  # identical bytes: Streamlit's message cache sends a hash on reruns
    spec = json.loads(a)
    assert spec["mapStyle"] == "__MAP_STYLE__" and "mapProvider" not in spec
    assert "\n" not in a and ": " not in a
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert set(layers) == {"buurten", "wijken", "gemeenten", "namen"}
    feats = layers["buurten"]["data"]
    assert len(feats) == len(frame)
    first = feats[0]
    assert set(first) == {"buurtcode", "buurtnaam", "dk", "fk", "kwadrant", "fill", "geometry"}
    assert first["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert "http" not in a


def test_map_spec_filters_zooms_and_outlines_the_selection(geo, scored, config):
    frame, result = scored
    c = colour_buurten("kwadrant", ctx(frame, result, config))
    mask = (frame["wijkcode"] == "WK999903").to_numpy()
    full = json.loads(map_spec(geo, result.scores, frame, config.kwadrant_namen, c.fill).to_json())
    spec = json.loads(map_spec(geo, result.scores, frame, config.kwadrant_namen, c.fill, mask, selected="BU99990300").to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert len(layers["buurten"]["data"]) == mask.sum()
    assert len(layers["wijken"]["data"]) == 1
    assert len(layers["selectie"]["data"]) == 1
    assert spec["initialViewState"]["zoom"] > full["initialViewState"]["zoom"]


def _extent_px(view, lon0, lat0, lon1, lat1):
    """The bounds' width and height in screen pixels at the view's zoom."""
    x0, y1 = _mercator(lon0, lat0)
    x1, y0 = _mercator(lon1, lat1)
    return (x1 - x0) * 2 ** view["zoom"], (y1 - y0) * 2 ** view["zoom"]


@pytest.mark.parametrize("bounds", [(5.25, 51.65, 5.40, 51.75), (5.30, 51.60, 5.32, 51.80), (4.0, 52.0, 4.001, 52.0005)])
def test_fit_view_fills_the_map_along_the_tighter_side(bounds):
    view = fit_view(*bounds, width=800, height=560, padding=20)
    w, h = _extent_px(view, *bounds)
    # Within the padded map, and touching it on one side (rounding of the zoom: 1 %).
    assert w <= 761 * 1.01 and h <= 521 * 1.01
    assert max(w / 760, h / 520) == pytest.approx(1.0, abs=0.01) or view["zoom"] == 16
    cx, cy = _mercator(view["longitude"], view["latitude"])
    x0, y1 = _mercator(bounds[0], bounds[1])
    x1, y0 = _mercator(bounds[2], bounds[3])
    assert cx == pytest.approx((x0 + x1) / 2, abs=1e-4) and cy == pytest.approx((y0 + y1) / 2, abs=1e-4)


def test_gemeente_fills_the_map_width_or_height(geo):
    # The whole gemeente: at least 90 % of the map's width or height (it was about 60 %).
    b = geo.bounds
    view = geo.view()
    w, h = _extent_px(view, b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max())
    assert max(w / MAP_WIDTH_PX, h / MAP_HEIGHT_PX) >= 0.9
    assert w <= MAP_WIDTH_PX and h <= MAP_HEIGHT_PX


def test_buurt_view_zooms_to_the_buurt(geo):
    code = "BU99990300"
    v = geo.buurt_view(code)
    i = int(np.flatnonzero(geo.codes == code)[0])
    x0, y0, x1, y1 = geo.bounds[i]
    assert v["zoom"] > geo.view()["zoom"]
    assert x0 <= v["longitude"] <= x1 and y0 <= v["latitude"] <= y1
    w, h = _extent_px(v, x0, y0, x1, y1)
    assert max(w / MAP_WIDTH_PX, h / MAP_HEIGHT_PX) == pytest.approx(1 / 3, rel=0.1)  # neighbours around it
    assert geo.buurt_view("BU00000000") is None


def test_names_layer_has_every_shown_buurt_inside_it(geo, scored, config):
    frame, result = scored
    c = colour_buurten("kwadrant", ctx(frame, result, config))
    mask = (frame["wijkcode"] == "WK999903").to_numpy()
    spec = json.loads(map_spec(geo, result.scores, frame, config.kwadrant_namen, c.fill, mask,
                               selected="BU99990300").to_json())
    names = {layer["id"]: layer for layer in spec["layers"]}["namen"]
    assert names["@@type"] == "TextLayer" and names["characterSet"] == "auto"  # é, ë, ’ in names
    assert names["extensions"] == [{"@@type": "CollisionFilterExtension"}]  # overlapping names are left out
    assert {d["n"] for d in names["data"]} == set(frame.loc[mask, "buurtnaam"])
    polys = dict(zip(frame["buurtcode"], frame.to_crs(4326).geometry))
    named = dict(zip(frame["buurtnaam"], frame["buurtcode"]))
    for d in names["data"]:
        assert polys[named[d["n"]]].buffer(1e-4).contains(shapely.Point(d["p"]))
    top = max(names["data"], key=lambda d: d["r"])
    assert top["n"] == frame.set_index("buurtcode").loc["BU99990300", "buurtnaam"]  # the selection wins
    off = json.loads(map_spec(geo, result.scores, frame, config.kwadrant_namen, c.fill, labels=False).to_json())
    assert "namen" not in {layer["id"] for layer in off["layers"]}


def test_background_map_is_a_raster_style_with_attribution(geo, scored, config):
    from urllib.parse import unquote

    frame, result = scored
    c = colour_buurten("kwadrant", ctx(frame, result, config))
    url = "http://127.0.0.1:9/tegels/{z}/{x}/{y}.png"
    spec = json.loads(map_spec(geo, result.scores, frame, config.kwadrant_namen, c.fill,
                               tegels=(url, "Kadaster / PDOK")).to_json())
    assert spec["mapStyle"].startswith("data:application/json,")
    style = json.loads(unquote(spec["mapStyle"].split(",", 1)[1]))
    (source,) = style["sources"].values()
    assert source["type"] == "raster" and source["tiles"] == [url] and source["attribution"] == "Kadaster / PDOK"
    assert style["layers"][0]["type"] == "raster"
    assert spec["layers"][0]["opacity"] < 1  # the streets show through the classes


def test_legend_says_what_each_quadrant_means(scored, config):
    frame, result = scored
    cx = ctx(frame, result, config)
    cx.uitleg = config.kwadrant_uitleg
    legend = colour_buurten("kwadrant", cx).legend
    assert [i.label for i in legend[:4]] == [config.kwadrant_namen[q] for q in classify.QUADRANTS]
    for item, q in zip(legend, classify.QUADRANTS):
        assert item.uitleg and item.uitleg in config.kwadrant_uitleg[q] and len(item.uitleg) <= 60
    assert all(i.uitleg == "" for i in colour_buurten("draagkracht", cx).legend)  # the labels say it all


def test_short_meaning_cuts_at_a_word():
    assert short_meaning("een " * 30) .endswith("een …") and len(short_meaning("een " * 30)) <= 60
    assert short_meaning("") == ""


def test_map_spec_matches_scores(geo, scored, config):
    frame, result = scored
    c = colour_buurten("kwadrant", ctx(frame, result, config))
    feats = json.loads(map_spec(geo, result.scores, frame, config.kwadrant_namen, c.fill).to_json())["layers"][0]["data"]
    row = next(f for f in feats if f["buurtcode"] == "BU99990300")
    dk = result.scores.loc["BU99990300", "draagkracht"]
    assert row["dk"] == f"{dk:+.2f}".replace(".", ",")
    assert row["kwadrant"] == config.kwadrant_namen[result.scores.loc["BU99990300", "kwadrant"]]


def _stability_ctx(values):
    scores = pd.DataFrame({"draagkracht": 0.0, "fysieke_kansen": 0.0}, index=[f"BU{i}" for i in range(len(values))])
    return ColourContext(pd.DataFrame(index=range(len(values))), scores, None, {}, stabiliteit=values)


def test_stability_mode_classes_legend_and_grey():
    c = colour_buurten("stabiliteit", _stability_ctx([0.2, 0.6, 0.8, 0.95, 1.0, np.nan]))
    assert [i.label for i in c.legend] == [*classify.STABILITY_LABELS, "geen waarde"]
    assert [i.aantal for i in c.legend] == [1, 1, 1, 1, 1, 1]
    assert [f[:3] for f in c.fill] == [hex_to_rgba(h)[:3] for h in (*STABILITY_HEX, MISSING_HEX)]
    assert [i.aantal for i in c.legend_for([True, True, False, False, False, True])] == [1, 1, 0, 0, 0, 1]


def test_stability_mode_without_values_is_all_grey():
    c = colour_buurten("stabiliteit", ColourContext(pd.DataFrame(index=range(2)), pd.DataFrame(index=["a", "b"]), None, {}))
    assert c.legend[-1].label == "geen waarde" and c.legend[-1].aantal == 2
    assert sum(i.aantal for i in c.legend) == 2


def _layers(at) -> dict:
    decks = at.get("deck_gl_json_chart")
    return {layer["id"]: layer for layer in json.loads(decks[0].proto.json)["layers"]}


def _expected_stability():
    cfg = load_config()
    frame = voorbeeldstad().frame()
    base = score(frame, cfg.recipe)
    return stability(frame, cfg.recipe, cfg.stabiliteit, base).tabel["stabiliteit"]


def test_map_colours_by_stability_from_the_url(app):
    app.query_params["kleur"] = "stabiliteit"
    at = app.run()
    assert not at.exception
    assert at.selectbox(key="kleur").value == "stabiliteit"
    assert any("Stabiliteit van de plaatsing" in m.value for m in at.markdown)
    assert any("altijd (100%)" in m.value for m in at.markdown)
    stab = _expected_stability()
    allowed = {tuple(hex_to_rgba(h)[:3]) for h in (*STABILITY_HEX, MISSING_HEX)}
    feats = _layers(at)["buurten"]["data"]
    assert {tuple(f["fill"][:3]) for f in feats} <= allowed
    darkest = tuple(hex_to_rgba(STABILITY_HEX[-1])[:3])
    always = {f["buurtcode"] for f in feats if tuple(f["fill"][:3]) == darkest}
    assert always == set(stab.index[stab >= 0.999])


def test_map_geometry_uses_the_stored_web_geometry_when_it_fits(voorbeeld):
    g = voorbeeld.gebieden
    web, _ = web_geometry(g)
    web.index = g["buurtcode"].to_numpy()
    geo = MapGeometry.build(g, web=web)
    assert geo.bron == "opgeslagen"
    assert geo.vertices == int(shapely.get_num_coordinates(web.to_numpy()).sum())
    assert set(geo.gemeente_outlines) == set(g["gemeentecode"]) and set(geo.wijk_outlines) == set(g["wijkcode"])
    assert MapGeometry.build(g, web=web.iloc[1:]).bron == "vereenvoudigd"  # one buurt without: simplify here
    assert MapGeometry.build(g, budget=10, web=web).bron == "vereenvoudigd"  # over budget: simplify here
    assert MapGeometry.for_dataset(voorbeeld).bron == "vereenvoudigd"  # the example stores none
