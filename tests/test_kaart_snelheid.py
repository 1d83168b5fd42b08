"""The national map stays light: stored web geometry on a second start, layers as URLs, a byte budget.

The example city stands in for the nation (the threshold is lowered, the vertex budget scaled to
its buurten); ``bench --alleen landelijk`` measures the real 15,000.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from wijkprofielen.config import load_config
from wijkprofielen.mapgeometry import VERTEX_BUDGET, MapGeometry
from wijkprofielen import mapping
from wijkprofielen.mapping import ColourContext, colour_buurten, map_spec
from wijkprofielen.scoring import score

NATIONAL_BUDGET_BYTES = 6_000_000  # for 15,000 buurten; scaled to the buurten of the test


def test_map_geometry_is_read_from_disk_on_a_second_start(voorbeeld, tmp_path, monkeypatch):
    first = MapGeometry.cached(voorbeeld, tmp_path)
    assert first.bron == "vereenvoudigd" and len(list(tmp_path.glob("kaart-*.json"))) == 1

    def no_simplifying(*args, **kwargs):
        raise AssertionError("de opgeslagen kaartgeometrie had gebruikt moeten worden")

    monkeypatch.setattr(MapGeometry, "for_dataset", no_simplifying)
    second = MapGeometry.cached(voorbeeld, tmp_path)
    assert second.bron == "schijfcache"
    assert second.geometry == first.geometry and list(second.codes) == list(first.codes)
    assert second.wijk_outlines == first.wijk_outlines and second.vertices == first.vertices
    assert second.view() == first.view()
    code = str(first.codes[3])
    assert second.buurt_view(code) == first.buurt_view(code)
    np.testing.assert_allclose(second.label_points, first.label_points)


def test_an_unreadable_cache_file_is_rebuilt(voorbeeld, tmp_path):
    MapGeometry.cached(voorbeeld, tmp_path)
    (path,) = tmp_path.glob("kaart-*.json")
    path.write_text("{kapot")
    assert MapGeometry.cached(voorbeeld, tmp_path).bron == "vereenvoudigd"
    assert MapGeometry.cached(voorbeeld, tmp_path).bron == "schijfcache"


@pytest.fixture(scope="module")
def nation(voorbeeld):
    ds = voorbeeld
    n = len(ds.gebieden)
    geo = MapGeometry.build(ds.gebieden, budget=VERTEX_BUDGET * n // 15_000)
    cfg = load_config()
    frame = ds.frame()
    result = score(frame, cfg.recipe)
    ordered = frame.set_index("buurtcode").reindex(geo.codes).reset_index()
    fill = colour_buurten("kwadrant", ColourContext(ordered, result.scores.reindex(geo.codes), cfg.recipe,
                                                    cfg.kwadrant_namen)).fill
    return geo, result, ordered, cfg, fill


def test_national_map_sends_its_layers_as_urls_within_the_byte_budget(nation, monkeypatch):
    geo, result, ordered, cfg, fill = nation
    monkeypatch.setattr(mapping, "WIJK_OUTLINES_MAX", 10)  # the example counts as a nation here
    stored = {}

    def publish(text):
        url = f"/app/static/kaart/{len(stored)}.json"
        stored[url] = text
        return url

    spec = json.loads(map_spec(geo, result.scores, ordered, cfg.kwadrant_namen, fill, publish=publish).to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert layers["buurten"]["data"] in stored and layers["gemeenten"]["data"] in stored
    buurten = json.loads(stored[layers["buurten"]["data"]])
    assert [f["buurtcode"] for f in buurten] == list(geo.codes)  # every buurt, with its tooltip fields
    assert {"buurtnaam", "dk", "fk", "kwadrant", "fill", "geometry"} <= set(buurten[0])
    total = len(json.dumps(spec)) + sum(len(t.encode()) for t in stored.values())
    assert total <= NATIONAL_BUDGET_BYTES * len(geo.codes) / 15_000
    assert len(json.dumps(spec)) < 20_000  # the websocket carries only the URLs
    inline = json.loads(map_spec(geo, result.scores, ordered, cfg.kwadrant_namen, fill).to_json())
    assert inline["layers"][0]["data"] == buurten  # the same features, inline when nothing is published
