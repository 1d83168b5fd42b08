"""The map above the buurt: wijken and gebieden as dissolved outlines of the buurt web geometry.

A unit (a CBS wijk, or a gebied: a named set of buurten, possibly overlapping another) is
drawn as the union of its buurten's web geometry from :class:`~wijkprofielen.mapgeometry.MapGeometry`,
so its border follows the buurt borders exactly. :func:`dissolve_units` runs once per
dataset and set of units (the app caches it); :func:`unit_map_spec` splices the cached
strings into a deck as :func:`~wijkprofielen.mapping.map_spec` does for buurten. Pure Python.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from .formatting import score
from .mapgeometry import MapGeometry, fit_view
from .mapping import SplicedDeck, deck_spec, fill_layer, line_layer, text_layer
from .palettes import BORDER_RGBA, GEMEENTE_RGBA, SELECTED_RGBA

UNIT_TOOLTIP = {"text": "{naam}\nDraagkracht: {dk}\nFysieke kansen: {fk}\n{kwadrant}"}


@dataclass(frozen=True)
class UnitGeometry:
    """Dissolved web geometry per unit, in ``codes`` order.

    ``geometry``: compact GeoJSON of each unit's area; ``outline``: its boundary as lines;
    ``label_points``: lon/lat inside each unit; ``bounds``: lon/lat per unit; ``buurten``: the
    buurtcodes each unit was dissolved from (those found in the map geometry).
    """

    codes: tuple[str, ...]
    geometry: tuple[str, ...]
    outline: tuple[str, ...]
    label_points: np.ndarray
    bounds: np.ndarray
    buurten: tuple[tuple[str, ...], ...]

    def view(self, mask: np.ndarray | None = None, **size) -> dict:
        """Deck.gl view state fitting the units in ``mask`` (all when None)."""
        b = self.bounds if mask is None or not np.any(mask) else self.bounds[np.asarray(mask, dtype=bool)]
        return fit_view(b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max(), **size)


def _compact(geoms) -> list[str]:
    return [s.replace(" ", "") for s in shapely.to_geojson(shapely.transform(geoms, lambda c: np.round(c, 5))).tolist()]


def dissolve_units(geo: MapGeometry, units: Mapping[str, Sequence[str]]) -> UnitGeometry:
    """Dissolve the buurten of each unit (``{unit code: buurtcodes}``) into one area.

    Buurtcodes not on the map are skipped; a unit without any buurt on the map is left out.
    Neighbouring buurten share their borders, so a coverage union is exact and fast; a set
    that is not a clean coverage falls back to the robust union.
    """
    index = {c: i for i, c in enumerate(geo.codes.tolist())}
    parsed = shapely.from_geojson(np.asarray(geo.geometry, dtype=object))
    codes, areas, members = [], [], []
    for unit, buurten in units.items():
        idx = [index[b] for b in dict.fromkeys(buurten) if b in index]
        if not idx:
            continue
        part = parsed[idx]
        try:
            union = shapely.coverage_union_all(part)
        except shapely.errors.GEOSException:
            union = shapely.union_all(part)
        codes.append(str(unit))
        areas.append(union)
        members.append(tuple(geo.codes[idx].tolist()))
    areas_arr = np.asarray(areas, dtype=object)
    if not len(areas_arr):
        return UnitGeometry((), (), (), np.zeros((0, 2)), np.zeros((0, 4)), ())
    return UnitGeometry(
        codes=tuple(codes),
        geometry=tuple(_compact(areas_arr)),
        outline=tuple(_compact(shapely.boundary(areas_arr))),
        label_points=np.round(shapely.get_coordinates(shapely.point_on_surface(areas_arr)), 5),
        bounds=shapely.bounds(areas_arr),
        buurten=tuple(members),
    )


def wijk_units(gebieden: pd.DataFrame) -> dict[str, list[str]]:
    """``{wijkcode: buurtcodes}`` of a dataset's buurten (:attr:`Dataset.gebieden`)."""
    return {w: list(g["buurtcode"]) for w, g in gebieden.groupby("wijkcode", sort=True)}


def _label_layer(units: UnitGeometry, names: Mapping[str, str], shown: np.ndarray) -> str:
    feats = [f'{{"n":{json.dumps(str(names.get(units.codes[i], units.codes[i])), ensure_ascii=False)},'
             f'"p":[{units.label_points[i][0]},{units.label_points[i][1]}]}}' for i in shown.tolist()]
    return text_layer(feats, weight=700, size=14)


def unit_map_spec(units: UnitGeometry, scores: pd.DataFrame, names: Mapping[str, str], kwadrant_namen: Mapping[str, str],
                  fill: Sequence[Sequence[int]], mask: np.ndarray | None = None, selected: str | None = None,
                  buurten: MapGeometry | None = None, view: dict | None = None,
                  tegels: tuple[str, str] | None = None, labels: bool = True) -> SplicedDeck:
    """The map of units as a deterministic compact deck.

    Parameters
    ----------
    units : UnitGeometry
        From :func:`dissolve_units` (cached).
    scores : DataFrame
        The units' scores indexed by unit code (``draagkracht``, ``fysieke_kansen``, ``kwadrant``).
    names : dict
        ``{unit code: name}`` for the tooltip and the labels.
    fill : list
        RGBA per unit in ``units.codes`` order.
    mask : array of bool, optional
        Which units to show; the view fits them.
    selected : str, optional
        A unit drawn with a dark outline.
    buurten : MapGeometry, optional
        The buurt geometry: the borders of the buurten inside the shown units are drawn as thin lines.
    """
    n = len(units.codes)
    mask = np.ones(n, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    s = scores.reindex(list(units.codes))
    dumps = json.dumps
    feats = []
    shown = np.flatnonzero(mask)
    for i in shown.tolist():
        code, f = units.codes[i], fill[i]
        kw = s["kwadrant"].iat[i]
        feats.append(
            f'{{"dk":"{score(s["draagkracht"].iat[i])}","eenheid":{dumps(code, ensure_ascii=False)},'
            f'"fill":[{f[0]},{f[1]},{f[2]},{f[3]}],"fk":"{score(s["fysieke_kansen"].iat[i])}",'
            f'"geometry":{units.geometry[i]},"kwadrant":{dumps(kwadrant_namen.get(kw, str(kw)), ensure_ascii=False)},'
            f'"naam":{dumps(str(names.get(code, code)), ensure_ascii=False)}}}'
        )
    layers = [fill_layer("eenheden", "[" + ",".join(feats) + "]", tegels)]
    if buurten is not None:
        inside = sorted({b for i in shown.tolist() for b in units.buurten[i]})
        pos = {c: k for k, c in enumerate(buurten.codes.tolist())}
        layers.append(line_layer("buurtgrenzen", [buurten.geometry[pos[c]] for c in inside], BORDER_RGBA, 1.0))
    layers.append(line_layer("grenzen", [units.outline[i] for i in shown.tolist()], GEMEENTE_RGBA, 2.0))
    if selected in units.codes:
        layers.append(line_layer("selectie", [units.outline[units.codes.index(selected)]], SELECTED_RGBA, 4))
    if labels:
        layers.append(_label_layer(units, names, shown))
    return SplicedDeck(deck_spec(layers, view or units.view(mask), tegels), UNIT_TOOLTIP)


def selected_unit(event) -> str | None:
    """The unit code picked in a ``st.pydeck_chart`` selection event on :func:`unit_map_spec`'s map, or None."""
    try:
        objects = event["selection"]["objects"].get("eenheden", [])
    except (KeyError, TypeError, AttributeError):
        return None
    if not objects:
        return None
    return objects[0].get("properties", objects[0]).get("eenheid")

