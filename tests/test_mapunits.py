"""Dissolved wijk and gebied outlines for the map, and a gebied's buurten around it in the assenkruis."""

import json

import numpy as np
import pandas as pd
import pytest
import shapely

from wijkprofielen.charts import assenkruis, assenkruis_data
from wijkprofielen.mapgeometry import MapGeometry
from wijkprofielen.mapunits import dissolve_units, selected_unit, unit_map_spec, wijk_units
from wijkprofielen.workspace import Workspace


@pytest.fixture(scope="module")
def geo(voorbeeld):
    return MapGeometry.build(voorbeeld.gebieden)


def test_a_wijk_covers_exactly_its_buurten(voorbeeld, geo):
    units = dissolve_units(geo, wijk_units(voorbeeld.gebieden))
    assert len(units.codes) == voorbeeld.gebieden["wijkcode"].nunique()
    parts = shapely.from_geojson(np.asarray(geo.geometry, dtype=object))
    for code, area, members in zip(units.codes, units.geometry, units.buurten):
        union = shapely.from_geojson(area)
        expected = shapely.union_all(parts[np.isin(geo.codes, members)])
        assert set(members) == set(voorbeeld.gebieden.loc[voorbeeld.gebieden["wijkcode"] == code, "buurtcode"])
        # Rounded to 5 decimals: the same area up to a sliver.
        assert abs(shapely.area(union) - shapely.area(expected)) < 1e-3 * shapely.area(expected)


def test_overlapping_gebieden_and_unknown_codes(geo):
    a, b, c = geo.codes[:3]
    units = dissolve_units(geo, {"Noord": [a, b], "Zuid": [b, c, "BU00000000"], "Leeg": ["BU00000001"]})
    assert units.codes == ("Noord", "Zuid")  # a gebied without a buurt on the map is left out
    assert units.buurten[1] == (b, c)  # a buurt may lie in several gebieden


def test_unit_map_has_outlines_labels_and_buurten_on_demand(voorbeeld, geo):
    units = dissolve_units(geo, wijk_units(voorbeeld.gebieden))
    scores = pd.DataFrame({"draagkracht": 0.5, "fysieke_kansen": -0.25, "kwadrant": "hoog_laag"}, index=list(units.codes))
    fill = [[0, 0, 0, 200]] * len(units.codes)
    names = {c: f"Wijk {c}" for c in units.codes}
    plain = json.loads(unit_map_spec(units, scores, names, {"hoog_laag": "Kansrijk"}, fill).to_json())
    assert [layer["id"] for layer in plain["layers"]] == ["eenheden", "grenzen", "namen"]
    first = plain["layers"][0]["data"][0]
    assert first["naam"] == f"Wijk {units.codes[0]}" and first["kwadrant"] == "Kansrijk" and first["dk"] == "+0,50"
    mask = np.zeros(len(units.codes), dtype=bool)
    mask[0] = True
    inside = json.loads(unit_map_spec(units, scores, names, {}, fill, mask=mask, buurten=geo,
                                      selected=units.codes[0]).to_json())
    layers = {layer["id"]: layer for layer in inside["layers"]}
    assert len(layers["buurtgrenzen"]["data"]) == len(units.buurten[0])
    assert len(layers["eenheden"]["data"]) == 1 and "selectie" in layers
    event = {"selection": {"objects": {"eenheden": [{"eenheid": units.codes[0]}]}}}
    assert selected_unit(event) == units.codes[0] and selected_unit({}) is None


def test_assenkruis_draws_a_gebied_with_its_buurten_around_it(voorbeeld, config):
    frame, result = Workspace(config).scored(voorbeeld)
    data = assenkruis_data(frame, result.scores, config.kwadrant_namen)
    far = data.head(3).assign(draagkracht=[9.0, -1.0, 0.0])
    spec = assenkruis(data, config.kwadrant_namen, config.recipe, selected=data["buurtcode"].iloc[0],
                      rondom=far).to_dict()
    domains = [layer["encoding"]["x"]["scale"]["domain"] for layer in spec["layer"]
               if "scale" in layer.get("encoding", {}).get("x", {})]
    assert domains and domains[0][1] > 9  # the buurten around it stay in view
    assert any(layer.get("mark", {}).get("type") == "rule" and "x2" in layer.get("encoding", {})
               for layer in spec["layer"])
