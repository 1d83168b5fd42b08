"""The national map stays light: stored web geometry on a second start, layers as URLs, a byte budget.

The example city stands in for the nation (the threshold is lowered, the vertex budget scaled to
its buurten); ``bench --alleen landelijk`` measures the real 15,000.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys

import numpy as np
import pytest

from benchmarks import browser
from wijkprofielen import memory
from wijkprofielen.config import load_config
from wijkprofielen.mapgeometry import VERTEX_BUDGET, MapGeometry
from wijkprofielen import mapping
from wijkprofielen.mapping import ColourContext, colour_buurten, map_spec
from wijkprofielen.scoring import score
from wijkprofielen.ui import kaartdata

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
    assert layers["buurten"]["data"] in stored and set(layers) == {"buurten"}  # the overview: fill only
    buurten = json.loads(stored[layers["buurten"]["data"]])
    assert [f["buurtcode"] for f in buurten] == list(geo.codes)  # every buurt, with its tooltip fields
    assert {"buurtnaam", "dk", "fk", "kwadrant", "fill", "geometry"} <= set(buurten[0])
    total = len(json.dumps(spec)) + sum(len(t.encode()) for t in stored.values())
    assert total <= NATIONAL_BUDGET_BYTES * len(geo.codes) / 15_000
    assert len(json.dumps(spec)) < 20_000  # the websocket carries only the URLs
    inline = json.loads(map_spec(geo, result.scores, ordered, cfg.kwadrant_namen, fill).to_json())
    assert inline["layers"][0]["data"] == buurten  # the same features, inline when nothing is published


def test_overview_of_many_gemeenten_draws_the_buurten_as_colour_only(nation, monkeypatch):
    geo, result, ordered, cfg, fill = nation

    def buurten_layer():
        spec = json.loads(map_spec(geo, result.scores, ordered, cfg.kwadrant_namen, fill).to_json())
        return next(layer for layer in spec["layers"] if layer["id"] == "buurten")

    assert buurten_layer()["stroked"] is True  # a gemeente: every buurt has its border
    monkeypatch.setattr(mapping, "WIJK_OUTLINES_MAX", 10)
    assert buurten_layer()["stroked"] is False  # the overview: colour only


def test_the_map_page_does_not_load_print_classification_chart_peer_or_database_libraries():
    # Loaded only when asked for (a print, quantile classes, a chart, vergelijkbare buurten, a
    # stored gebied): an app server showing the map holds some 150 MB less and its first page
    # starts sooner.
    code = ("import sys, wijkprofielen.ui.sidebar, wijkprofielen.ui.navigatie, wijkprofielen.ui.kaart, "
            "wijkprofielen.ui.niveau, wijkprofielen.ui.kaart_print\n"
            "print(sorted(m for m in ('mapclassify', 'matplotlib', 'fpdf', 'scipy.stats', 'scipy.spatial', "
            "'sklearn', 'altair', 'sqlalchemy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_release_unused_finds_the_c_library_trim_on_glibc():
    if platform.libc_ver()[0] != "glibc":
        pytest.skip("malloc_trim is a glibc function; elsewhere only Arrow's pool is released")
    assert memory._malloc_trim() is not None
    memory.release_unused()  # callable twice, after every page run
    memory.release_unused()


def test_a_browser_visit_counts_the_map_drawn_when_its_whole_final_picture_is():
    # (ms, primitives) per draw call: the outlines first, then fill and outlines, then the names as well.
    outlines, fill, names = [[100, 500], [105, 20]], [[400, 5000], [402, 500]], [[900, 5000], [901, 500], [903, 2000]]
    assert browser.frames(outlines + fill) == [(100, 520), (400, 5500)]
    assert browser.first_full(outlines + fill + [[2000, 5500]]) == 400  # a map without names: whole at 400
    assert browser.first_full(outlines + fill + names + [[2000, 7500]]) == 900  # with names: whole at 900


def test_a_layer_file_is_stored_once_by_content_and_a_removed_one_is_noticed(tmp_path, monkeypatch):
    monkeypatch.setattr(kaartdata, "static_dir", lambda: tmp_path)
    folder = tmp_path / kaartdata.FOLDER
    name = kaartdata.store('[{"a":1}]', folder)
    assert kaartdata.store('[{"a":1}]', folder) == name and len(list(folder.iterdir())) == 1
    spec = f'{{"layers":[{{"data":"/app/static/kaart/{name}"}}]}}'
    assert not kaartdata.missing(spec)
    (folder / name).unlink()  # cleaned up while a cached deck still pointed at it
    assert kaartdata.missing(spec)
    assert not kaartdata.missing('{"layers":[{"data":[]}]}')  # inline data needs no file
