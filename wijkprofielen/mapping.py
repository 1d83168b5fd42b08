"""The Kaart: colour modes (classes → fills and legend) and the deck spec spliced from cached geometry.

Classify first, colour second: a colour mode classifies the buurten
(:mod:`wijkprofielen.classify`), and this module gives each class its colour from
:mod:`wijkprofielen.palettes` and builds the legend from the classification (label,
colour, count). The deck never loads a basemap: ``"mapStyle": "__MAP_STYLE__"`` without a
provider makes Streamlit's frontend draw no tiles; orientation comes from wijk and
gemeente outlines. Pure Python: nothing here imports Streamlit.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import classify
from .classify import Classification
from .formatting import score
from .mapgeometry import CompactDeck, MapGeometry
from .palettes import (
    BIVARIATE_HEX,
    BORDER_RGBA,
    DIVERGING_HEX,
    GEMEENTE_RGBA,
    HOVER_RGBA,
    MISSING_HEX,
    OUTLINE_RGBA,
    QUADRANT_HEX,
    SELECTED_RGBA,
    SEQUENTIAL_HEX,
    STABILITY_HEX,
    STATUS_DYNAMIEK_HEX,
    hex_to_rgba,
)

WIJK_OUTLINES_MAX = 2_500  # above this many buurten the map is an overview: fill only, no outlines or names
LABEL_FONT = '"Source Sans", "Source Sans Pro", Arial, sans-serif'
NO_BASEMAP = "__MAP_STYLE__"  # Streamlit's marker for "no base map"
BASEMAP_OPACITY = 0.8  # the classes over a background map: the streets show through


def overview(shown: int) -> bool:
    """Whether a map of ``shown`` buurten is an overview (more than :data:`WIJK_OUTLINES_MAX`):
    the colour per buurt only, without borders, outlines or names."""
    return int(shown) > WIJK_OUTLINES_MAX


def selected_code(event, layer: str = "buurten") -> str | None:
    """The buurtcode picked in a ``st.pydeck_chart`` selection event, or None."""
    try:
        objects = event["selection"]["objects"].get(layer, [])
    except (KeyError, TypeError, AttributeError):
        return None
    if not objects:
        return None
    props = objects[0].get("properties", objects[0])
    return props.get("buurtcode")


@dataclass(frozen=True)
class LegendItem:
    """One legend entry: a colour, what it means and how many buurten have it."""

    label: str
    hex: str
    aantal: int = 0
    uitleg: str = ""  # what the class means, in one short line ("" when the label says it all)


@dataclass
class Colouring:
    """Fill colours per buurt, the classification they show and the legend that explains them."""

    fill: list[list[int]]
    classification: Classification
    palette: tuple[str, ...]
    titel: str
    uitleg: tuple[str, ...] = ()  # one line per class, then the missing class; empty: none

    @property
    def legend(self) -> list[LegendItem]:
        """One entry per class (label, colour, count), then the missing class if any buurt is in it."""
        return self.legend_for(None)

    def legend_for(self, mask) -> list[LegendItem]:
        """The legend with counts for the buurten in ``mask`` only (all when None); colours stay the same.

        The missing class is listed when any buurt of the whole map is missing, so the
        legend does not change shape with a filter.
        """
        c = self.classification
        counts, missing = c.counts_for(mask)
        uitleg = list(self.uitleg) or [""] * (c.k + 1)
        out = [LegendItem(label, h, int(n), u) for label, h, n, u in zip(c.labels, self.palette, counts, uitleg)]
        if c.missing:
            out.append(LegendItem(c.missing_label, MISSING_HEX, missing, uitleg[-1]))
        return out


@dataclass
class ColourContext:
    """What a colour mode may use: the shown buurten, their scores and the settings."""

    frame: pd.DataFrame
    scores: pd.DataFrame
    recipe: Any
    namen: dict[str, str]
    kolom: str | None = None
    kolom_label: str | None = None
    stabiliteit: Any = None  # stability per buurt (order of ``scores``), only for that mode
    dynamiek: Any = None  # the dynamiek class per buurt (order of ``scores``), only for status × dynamiek
    uitleg: dict[str, str] = field(default_factory=dict)  # the quadrants' meaning ([kwadrant.uitleg])


@dataclass(frozen=True)
class ColourMode:
    """A registered way to colour the map: classify the buurten, then colour the classes.

    ``palette``: one colour per class; with fewer classes than colours (ties in quantiles,
    coverage) the last ones are used, which for a light-to-dark palette are the darkest. ``titel``: the legend's heading, or a function of the context.
    ``needs_kolom``: the mode needs an indicator. ``uitleg``: one line per class and one
    for the missing class, for the legend (None: the labels say it all).
    """

    key: str
    label: str
    classify: Callable[[ColourContext], Classification]
    palette: Sequence[str]
    titel: str | Callable[[ColourContext], str]
    needs_kolom: bool = False
    alpha: int = 220
    uitleg: Callable[[ColourContext], Sequence[str]] | None = None


COLOUR_MODES: dict[str, ColourMode] = {}


def register_colour_mode(mode: ColourMode) -> ColourMode:
    """Add (or replace) a colour mode; the sidebar lists them in registration order."""
    COLOUR_MODES[mode.key] = mode
    return mode


def colour_classes(classification: Classification, palette: Sequence[str], alpha: int = 220) -> list[list[int]]:
    """RGBA per value: its class's colour in ``palette`` (one per class), grey for the missing class."""
    # The missing class (-1) indexes the last row: the grey.
    table = np.array([hex_to_rgba(h, alpha) for h in (*palette[: classification.k], MISSING_HEX)], dtype=np.int64)
    return table[classification.yb].tolist()


def colour_buurten(mode: str, ctx: ColourContext) -> Colouring:
    """Classify and colour the buurten of ``ctx`` with a registered mode (unknown: ``KeyError``)."""
    m = COLOUR_MODES[mode]
    classification = m.classify(ctx)
    if classification.k > len(m.palette):
        raise ValueError(f"kleuring {mode!r}: {classification.k} klassen maar {len(m.palette)} kleuren in het palet")
    palette = tuple(m.palette[len(m.palette) - classification.k :])
    titel = m.titel(ctx) if callable(m.titel) else m.titel
    uitleg = tuple(m.uitleg(ctx)) if m.uitleg else ()
    return Colouring(colour_classes(classification, palette, m.alpha), classification, palette, titel, uitleg)


def short_meaning(text: str, limit: int = 60) -> str:
    """The first clause of an explanation, for a one-line legend.

    Examples
    --------
    >>> short_meaning("Veel draagkracht en veel fysieke ruimte: hier kan de buurt iets extra's dragen.")
    'Veel draagkracht en veel fysieke ruimte'
    >>> short_meaning("Te weinig indicatoren beschikbaar om de buurt te plaatsen.")
    'Te weinig indicatoren beschikbaar om de buurt te plaatsen'
    """
    first = text.strip()
    for stop in (":", ";", ". ", " – ", " — "):
        first = first.split(stop)[0]
    first = first.strip().rstrip(".")
    if len(first) <= limit:
        return first
    cut = first[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",") + " …"


def _kwadrant_uitleg(ctx: ColourContext) -> list[str]:
    return [short_meaning(ctx.uitleg.get(q, "")) for q in (*classify.QUADRANTS, "onvoldoende_data")]


def _indicator_values(ctx: ColourContext):
    present = bool(ctx.kolom) and ctx.kolom in ctx.frame.columns
    return ctx.frame[ctx.kolom] if present else np.full(len(ctx.frame), np.nan)


def _indicator_titel(ctx: ColourContext) -> str:
    label = ctx.kolom_label or ctx.kolom or "indicator"
    present = bool(ctx.kolom) and ctx.kolom in ctx.frame.columns
    return f"{label} (kwantielen)" if present else f"{label} (niet in deze dataset)"


def _dynamiek_classes(ctx: ColourContext):
    return np.full(len(ctx.scores), None, dtype=object) if ctx.dynamiek is None else ctx.dynamiek


STATUS_DYNAMIEK_UITLEG = ("aandacht: daalt", "", "", "let op: daalt vanaf een goede positie", "", "",
                          "te weinig gegevens, te weinig inwoners of andere grenzen in de periode")


def _stability_values(ctx: ColourContext):
    return np.full(len(ctx.scores), np.nan) if ctx.stabiliteit is None else ctx.stabiliteit


for _mode in (
    ColourMode("kwadrant", "Kwadrant (2×2)", lambda c: classify.kwadrant(c.scores["kwadrant"], c.namen),
               [QUADRANT_HEX[q] for q in classify.QUADRANTS], "Kwadrant", alpha=210, uitleg=_kwadrant_uitleg),
    ColourMode("bivariaat", "Kwadrant (3×3, bivariaat)",
               lambda c: classify.bivariate(c.scores["draagkracht"], c.scores["fysieke_kansen"],
                                            c.recipe.grens_draagkracht, c.recipe.grens_fysieke_kansen),
               sum(BIVARIATE_HEX, ()), "Kwadrant (3×3)"),
    ColourMode("draagkracht", "Draagkracht en weerbaarheid", lambda c: classify.axis_score(c.scores["draagkracht"]),
               DIVERGING_HEX, "Draagkracht en weerbaarheid"),
    ColourMode("fysieke_kansen", "Fysieke kansen", lambda c: classify.axis_score(c.scores["fysieke_kansen"]),
               DIVERGING_HEX, "Fysieke kansen"),
    ColourMode("indicator", "Eén indicator (kwantielen)",
               lambda c: classify.indicator(_indicator_values(c), len(SEQUENTIAL_HEX)),
               SEQUENTIAL_HEX, _indicator_titel, needs_kolom=True),
    ColourMode("dekking", "Dekking van de gegevens",
               lambda c: classify.dekking(c.scores["dekking_draagkracht"], c.scores["dekking_fysieke_kansen"]),
               SEQUENTIAL_HEX, "Dekking (laagste van beide assen)"),
    ColourMode("status_dynamiek", "Status × dynamiek (2×3)",
               lambda c: classify.status_dynamiek(c.scores["draagkracht"], _dynamiek_classes(c), c.recipe.grens_draagkracht),
               sum(STATUS_DYNAMIEK_HEX, ()), "Draagkracht: stand × richting", uitleg=lambda c: STATUS_DYNAMIEK_UITLEG),
    ColourMode("stabiliteit", "Stabiliteit van de plaatsing", lambda c: classify.stabiliteit(_stability_values(c)),
               STABILITY_HEX, "Stabiliteit van de plaatsing"),
):
    register_colour_mode(_mode)


TOOLTIP = {"text": "{buurtnaam} ({buurtcode})\nDraagkracht: {dk}\nFysieke kansen: {fk}\n{kwadrant}"}


class SplicedDeck(CompactDeck):
    """A deck whose JSON was assembled from cached pieces (see :func:`map_spec`)."""

    def __init__(self, spec: str, tooltip: dict) -> None:  # noqa: D107 - pdk.Deck's init is skipped on purpose
        self._spec = spec
        self._tooltip = tooltip
        self.layers = []

    def to_json(self) -> str:
        return self._spec


def _rgba(colour: Sequence[int]) -> str:
    return "[" + ",".join(str(int(v)) for v in colour) + "]"


def _data(features: str, publish: Callable[[str], str] | None) -> str:
    """A layer's ``data``: the features inline, or the URL ``publish`` stored them under."""
    return "[" + features + "]" if publish is None else json.dumps(publish("[" + features + "]"))


def fill_layer(layer_id: str, data: str, tegels: tuple[str, str] | None, stroked: bool = True) -> str:
    """The clickable layer of coloured areas (buurten or units): ``data`` is the features' JSON
    (inline array or URL), each with its ``fill``; over a background map it lets the streets show."""
    opacity = f',"opacity":{BASEMAP_OPACITY}' if tegels else ""
    return ('{"@@type":"GeoJsonLayer","autoHighlight":true,"data":' + data + ',"filled":true,'
            '"getFillColor":"@@=fill","getLineColor":' + _rgba(BORDER_RGBA) + ',"highlightColor":' + _rgba(HOVER_RGBA)
            + f',"id":"{layer_id}","lineWidthMinPixels":0.5' + opacity + ',"pickable":true,"stroked":'
            + ("true" if stroked else "false") + '}')


def deck_spec(layers: list[str], view: dict, tegels: tuple[str, str] | None) -> str:
    """The deck's JSON around its layers: the view, the background map (or none) and the controller."""
    style = json.dumps(raster_style(*tegels)) if tegels else f'"{NO_BASEMAP}"'
    return ('{"initialViewState":' + json.dumps(view, sort_keys=True, separators=(",", ":")) + ',"layers":['
            + ",".join(layers) + '],"mapStyle":' + style + ',"views":[{"@@type":"MapView","controller":true}]}')


def line_layer(layer_id: str, geometries: list[str], colour: Sequence[int], width: float) -> str:
    """Outlines only (wijken, gemeenten, a selection), not clickable."""
    feats = "[" + ",".join('{"geometry":' + g + "}" for g in geometries) + "]"
    return (f'{{"@@type":"GeoJsonLayer","data":{feats},"filled":false,"getLineColor":{_rgba(colour)},'
            f'"id":"{layer_id}","lineWidthMinPixels":{width},"pickable":false,"stroked":true}}')


def raster_style(tile_url: str, attributie: str) -> str:
    """A base map style of one raster tile source, as a ``data:`` URL for the deck's ``mapStyle``.

    Streamlit draws a ``mapStyle`` with its bundled map library under the deck, with the
    source's attribution in the corner and zoom buttons. deck.gl's own TileLayer cannot be
    used: its tiles need a ``renderSubLayers`` function, and the JSON the frontend reads
    allows no function calls. A style object is refused by the frontend, a URL is not, and
    a ``data:`` URL needs no server.
    """
    style = {"version": 8, "sources": {"achtergrond": {"type": "raster", "tiles": [tile_url], "tileSize": 256,
                                                       "attribution": attributie, "maxzoom": 19}},
             "layers": [{"id": "achtergrond", "type": "raster", "source": "achtergrond"}]}
    return "data:application/json," + urllib.parse.quote(json.dumps(style, sort_keys=True, separators=(",", ":")),
                                                          safe="")


def _label_layer(geo: MapGeometry, shown: np.ndarray, names, selected: str | None) -> str:
    """Buurt names at a point inside each buurt; names that would overlap are left out.

    deck.gl's collision filter hides the lower-priority name of two that overlap, so the
    names of the larger buurten show at the gemeente's view and the others come in when
    zooming in.
    """
    areas = geo.areas[shown]
    rank = np.empty(len(shown), dtype=np.int64)
    rank[np.argsort(areas, kind="stable")] = np.arange(len(shown))
    priority = (rank * 900 // max(len(shown), 1)).tolist()
    points = geo.label_points[shown].tolist()
    feats = []
    for k, i in enumerate(shown.tolist()):
        r = 1000 if geo.codes[i] == selected else priority[k]
        feats.append(f'{{"n":{json.dumps(str(names[i]), ensure_ascii=False)},"p":[{points[k][0]},{points[k][1]}],"r":{r}}}')
    return text_layer(feats, weight=600, size=13, priority=True)


def text_layer(feats: list[str], weight: int, size: int, priority: bool = False) -> str:
    """A deck.gl TextLayer of names (features ``{"n": name, "p": [lon, lat], "r": priority}``)
    that hides the lower-priority one of two overlapping names."""
    return ('{"@@type":"TextLayer","background":false,"characterSet":"auto","data":[' + ",".join(feats) + '],'
            '"collisionTestProps":{"background":true,"backgroundPadding":[6,3],"sizeScale":2},'
            '"extensions":[{"@@type":"CollisionFilterExtension"}],"fontFamily":' + json.dumps(LABEL_FONT) + ','
            f'"fontSettings":{{"sdf":true}},"fontWeight":{weight},"getColor":[25,25,25,255],'
            + ('"getCollisionPriority":"@@=r",' if priority else '') +
            f'"getPosition":"@@=p","getSize":{size},"getText":"@@=n","id":"namen","outlineColor":[255,255,255,235],'
            '"outlineWidth":4,"pickable":false,"sizeUnits":"pixels"}')


def map_spec(geo: MapGeometry, scores: pd.DataFrame, frame: pd.DataFrame, namen: dict[str, str], fill: list,
             mask: np.ndarray | None = None, selected: str | None = None, view: dict | None = None,
             tegels: tuple[str, str] | None = None, labels: bool = True,
             publish: Callable[[str], str] | None = None) -> SplicedDeck:
    """The map as a deterministic compact deck, spliced from the cached geometry strings.

    Parameters
    ----------
    geo : MapGeometry
        Built once per dataset.
    scores : DataFrame
        ``ScoreResult.scores`` indexed by buurtcode.
    frame : DataFrame
        ``buurtcode`` and ``buurtnaam`` per buurt, in ``geo.codes`` order.
    namen : dict
        Quadrant display names.
    fill : list
        RGBA per buurt in ``geo.codes`` order (a :class:`Colouring`'s ``fill``).
    mask : array of bool, optional
        Which buurten to show (filters); the view fits them.
    selected : str, optional
        The selected buurtcode, drawn with a dark outline.
    view : dict, optional
        The view state; default: fit the shown buurten.
    tegels : (url, attributie), optional
        An XYZ background map (:attr:`KaartSettings.tegels`); None: no background, nothing loaded.
    labels : bool
        Buurt names (left out above :data:`WIJK_OUTLINES_MAX` buurten).
    publish : callable, optional
        Stores a JSON text and returns the URL it is served at. With more than
        :data:`WIJK_OUTLINES_MAX` buurten the buurten are then sent as a URL: the browser reads
        them with its own fast JSON parser, while Streamlit parses the deck spec with JSON5,
        which took most of the national map's drawing time.
    """
    n = len(geo.codes)
    mask = np.ones(n, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    s = scores.reindex(geo.codes)
    dk = [score(v) for v in s["draagkracht"].to_numpy()]
    fk = [score(v) for v in s["fysieke_kansen"].to_numpy()]
    kw = [namen.get(k, k) for k in s["kwadrant"].to_numpy()]
    names = frame["buurtnaam"].to_numpy()
    dumps = json.dumps
    feats = []
    shown = np.flatnonzero(mask)
    for i in shown.tolist():
        f = fill[i]
        feats.append(
            f'{{"buurtcode":"{geo.codes[i]}","buurtnaam":{dumps(names[i], ensure_ascii=False)},"dk":"{dk[i]}",'
            f'"fill":[{f[0]},{f[1]},{f[2]},{f[3]}],"fk":"{fk[i]}","geometry":{geo.geometry[i]},'
            f'"kwadrant":{dumps(kw[i], ensure_ascii=False)}}}'
        )
    # Over many gemeenten the map is an overview of colour alone: a buurt border is less than a
    # pixel at that zoom, and each line layer cost the browser about a second (its shaders and a
    # redraw) on top of the fill. Choosing a gemeente brings buurt borders, outlines and names.
    national = overview(mask.sum())
    publish = publish if national else None
    layers = [fill_layer("buurten", _data(",".join(feats), publish), tegels, stroked=not national)]
    if not national:
        shown_wijken = sorted(set(geo.wijkcodes[mask].tolist()))
        layers.append(line_layer("wijken", [geo.wijk_outlines[w] for w in shown_wijken], OUTLINE_RGBA, 1.5))
        shown_gemeenten = sorted(set(geo.gemeentecodes[mask].tolist()))
        layers.append(line_layer("gemeenten", [geo.gemeente_outlines[g] for g in shown_gemeenten], GEMEENTE_RGBA, 2.5))
    if selected is not None:
        idx = np.flatnonzero(geo.codes == selected)
        if len(idx):
            layers.append(line_layer("selectie", [geo.geometry[idx[0]]], SELECTED_RGBA, 3))
    if labels and not national and geo.label_points is not None:
        layers.append(_label_layer(geo, shown, names, selected))
    return SplicedDeck(deck_spec(layers, view or geo.view(mask), tegels), TOOLTIP)
