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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
    hex_to_rgba,
)

WIJK_OUTLINES_MAX = 2_500  # above this many buurten, only gemeente outlines (payload)


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


@dataclass
class Colouring:
    """Fill colours per buurt, the classification they show and the legend that explains them."""

    fill: list[list[int]]
    classification: Classification
    palette: tuple[str, ...]
    titel: str

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
        out = [LegendItem(label, h, int(n)) for label, h, n in zip(c.labels, self.palette, counts)]
        if c.missing:
            out.append(LegendItem(c.missing_label, MISSING_HEX, missing))
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


@dataclass(frozen=True)
class ColourMode:
    """A registered way to colour the map: classify the buurten, then colour the classes.

    ``palette``: one colour per class; with fewer classes than colours (ties in quantiles,
    coverage) the last ones are used, which for a light-to-dark palette are the darkest. ``titel``: the legend's heading, or a function of the context.
    ``needs_kolom``: the mode needs an indicator.
    """

    key: str
    label: str
    classify: Callable[[ColourContext], Classification]
    palette: Sequence[str]
    titel: str | Callable[[ColourContext], str]
    needs_kolom: bool = False
    alpha: int = 220


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
    return Colouring(colour_classes(classification, palette, m.alpha), classification, palette, titel)


def _indicator_values(ctx: ColourContext):
    present = bool(ctx.kolom) and ctx.kolom in ctx.frame.columns
    return ctx.frame[ctx.kolom] if present else np.full(len(ctx.frame), np.nan)


def _indicator_titel(ctx: ColourContext) -> str:
    label = ctx.kolom_label or ctx.kolom or "indicator"
    present = bool(ctx.kolom) and ctx.kolom in ctx.frame.columns
    return f"{label} (kwantielen)" if present else f"{label} (niet in deze dataset)"


def _stability_values(ctx: ColourContext):
    return np.full(len(ctx.scores), np.nan) if ctx.stabiliteit is None else ctx.stabiliteit


for _mode in (
    ColourMode("kwadrant", "Kwadrant (2×2)", lambda c: classify.kwadrant(c.scores["kwadrant"], c.namen),
               [QUADRANT_HEX[q] for q in classify.QUADRANTS], "Kwadrant", alpha=210),
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


def _line_layer(layer_id: str, geometries: list[str], colour: Sequence[int], width: float) -> str:
    feats = ",".join('{"geometry":' + g + "}" for g in geometries)
    return (f'{{"@@type":"GeoJsonLayer","data":[{feats}],"filled":false,"getLineColor":{_rgba(colour)},'
            f'"id":"{layer_id}","lineWidthMinPixels":{width},"pickable":false,"stroked":true}}')


def map_spec(geo: MapGeometry, scores: pd.DataFrame, frame: pd.DataFrame, namen: dict[str, str], fill: list,
             mask: np.ndarray | None = None, selected: str | None = None, view: dict | None = None) -> SplicedDeck:
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
    for i in np.flatnonzero(mask).tolist():
        f = fill[i]
        feats.append(
            f'{{"buurtcode":"{geo.codes[i]}","buurtnaam":{dumps(names[i], ensure_ascii=False)},"dk":"{dk[i]}",'
            f'"fill":[{f[0]},{f[1]},{f[2]},{f[3]}],"fk":"{fk[i]}","geometry":{geo.geometry[i]},'
            f'"kwadrant":{dumps(kw[i], ensure_ascii=False)}}}'
        )
    layers = [
        '{"@@type":"GeoJsonLayer","autoHighlight":true,"data":[' + ",".join(feats) + '],"filled":true,'
        '"getFillColor":"@@=fill","getLineColor":' + _rgba(BORDER_RGBA) + ',"highlightColor":' + _rgba(HOVER_RGBA)
        + ',"id":"buurten","lineWidthMinPixels":0.5,'
        '"pickable":true,"stroked":true}'
    ]
    shown_wijken = sorted(set(geo.wijkcodes[mask].tolist()))
    if mask.sum() <= WIJK_OUTLINES_MAX:
        layers.append(_line_layer("wijken", [geo.wijk_outlines[w] for w in shown_wijken], OUTLINE_RGBA, 1.5))
    shown_gemeenten = sorted(set(geo.gemeentecodes[mask].tolist()))
    national = mask.sum() > WIJK_OUTLINES_MAX  # thinner borders when zoomed out over many gemeenten
    layers.append(_line_layer("gemeenten", [geo.gemeente_outlines[g] for g in shown_gemeenten], GEMEENTE_RGBA,
                              1.0 if national else 2.5))
    if selected is not None:
        idx = np.flatnonzero(geo.codes == selected)
        if len(idx):
            layers.append(_line_layer("selectie", [geo.geometry[idx[0]]], SELECTED_RGBA, 3))
    view = view or geo.view(mask)
    spec = ('{"initialViewState":' + dumps(view, sort_keys=True, separators=(",", ":")) + ',"layers":['
            + ",".join(layers) + '],"mapStyle":"__MAP_STYLE__","views":[{"@@type":"MapView","controller":true}]}')
    return SplicedDeck(spec, TOOLTIP)
