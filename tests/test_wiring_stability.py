"""Map colours by stability of the placement, and the stored web geometry."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from wijkprofielen.config import load_config
from wijkprofielen.mapping import MISSING_HEX, ColourContext, colour_buurten, hex_to_rgba
from wijkprofielen.stability import STABILITY_LABELS, STABILITY_STOPS, stability
from wijkprofielen.scoring import score
from wijkprofielen.synthetic import voorbeeldstad


def _ctx(values):
    scores = pd.DataFrame({"draagkracht": 0.0, "fysieke_kansen": 0.0}, index=[f"BU{i}" for i in range(len(values))])
    return ColourContext(pd.DataFrame(index=range(len(values))), scores, None, {}, stabiliteit=values)


def test_stability_mode_classes_legend_and_grey():
    c = colour_buurten("stabiliteit", _ctx([0.2, 0.6, 0.8, 0.95, 1.0, np.nan]))
    assert [i.label for i in c.legend] == [*STABILITY_LABELS, "geen waarde"]
    assert [i.aantal for i in c.legend] == [1, 1, 1, 1, 1, 1]
    assert [f[:3] for f in c.fill] == [hex_to_rgba(h)[:3] for h in (*STABILITY_STOPS, MISSING_HEX)]
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
    allowed = {tuple(hex_to_rgba(h)[:3]) for h in (*STABILITY_STOPS, MISSING_HEX)}
    feats = _layers(at)["buurten"]["data"]
    assert {tuple(f["fill"][:3]) for f in feats} <= allowed
    darkest = tuple(hex_to_rgba(STABILITY_STOPS[-1])[:3])
    always = {f["buurtcode"] for f in feats if tuple(f["fill"][:3]) == darkest}
    assert always == set(stab.index[stab >= 0.999])


# -- map geometry ----------------------------------------------------------------------------
def test_map_geometry_uses_the_stored_web_geometry_when_it_fits(voorbeeld):
    import shapely

    from wijkprofielen.importers.pipeline import web_geometry
    from wijkprofielen.mapping import MapGeometry

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
