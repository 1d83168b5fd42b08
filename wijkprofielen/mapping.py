"""Map layers for pydeck: colours, web geometry and a compact deck spec.

Pure Python (pydeck builds JSON; nothing here imports Streamlit). The deck never loads a
basemap: ``map_provider=None`` without ``map_style`` makes Streamlit's frontend draw no
tiles. Orientation comes from wijk and gemeente outlines.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize

from .formatting import compact, score
from .stability import stability_classes

WEB_CRS = "EPSG:4326"
# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies, and no
# red-to-green judgement. Grey means "no score", not "bad".
QUADRANT_HEX = {
    "hoog_hoog": "#0072B2",
    "laag_hoog": "#E69F00",
    "laag_laag": "#CC79A7",
    "hoog_laag": "#009E73",
    "onvoldoende_data": "#BBBBBB",
}
OUTLINE_RGBA = [60, 60, 60, 200]


def hex_to_rgba(hex_colour: str, alpha: int = 210) -> list[int]:
    """``"#0072B2"`` → ``[0, 114, 178, alpha]``."""
    h = hex_colour.lstrip("#")
    return [int(h[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


def quadrant_colours(kwadrant: pd.Series, alpha: int = 210) -> list[list[int]]:
    """One RGBA list per buurt for its quadrant code."""
    lut = {k: hex_to_rgba(v, alpha) for k, v in QUADRANT_HEX.items()}
    return [lut.get(k, lut["onvoldoende_data"]) for k in kwadrant]


class CompactDeck(pdk.Deck):
    """``pdk.Deck`` serialised without indentation: about 4× less to send to the browser."""

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


def to_web(gdf: gpd.GeoDataFrame, decimals: int = 5, web: gpd.GeoSeries | None = None) -> gpd.GeoDataFrame:
    """Reproject to EPSG:4326 and round coordinates (5 decimals ≈ 1 m).

    ``web``: the dataset's imported coverage-simplified geometry by buurtcode
    (:attr:`Dataset.web_geometry`); used instead of the RD geometry where present.
    """
    if web is not None and "buurtcode" in gdf.columns:
        simple = web.reindex(gdf["buurtcode"].to_numpy()).to_crs(WEB_CRS)
        have = simple.notna().to_numpy()
        gdf = gdf.to_crs(WEB_CRS)
        gdf["geometry"] = np.where(have, simple.to_numpy(), gdf.geometry.to_numpy())
    out = gdf.to_crs(WEB_CRS)
    out["geometry"] = shapely.transform(out.geometry.values, lambda c: np.round(c, decimals))
    return out


def outlines(gdf: gpd.GeoDataFrame, by: str) -> gpd.GeoDataFrame:
    """Dissolved outlines (e.g. per ``wijkcode``) as a context layer's data."""
    return gdf[[by, "geometry"]].dissolve(by=by, as_index=False)


def view_for(gdf_web: gpd.GeoDataFrame) -> pdk.ViewState:
    """A view that fits the given features (bounds in lon/lat)."""
    lon0, lat0, lon1, lat1 = gdf_web.total_bounds
    span = max(lon1 - lon0, (lat1 - lat0) * 1.6, 1e-3)
    zoom = float(np.clip(np.log2(360 / span) - 0.3, 5, 16))
    return pdk.ViewState(longitude=round((lon0 + lon1) / 2, 5), latitude=round((lat0 + lat1) / 2, 5), zoom=round(zoom, 2))


def buurt_features(frame: gpd.GeoDataFrame, scores: pd.DataFrame, namen: dict[str, str], fill: list) -> gpd.GeoDataFrame:
    """Slim per-buurt properties for the map: code, name, formatted scores, colour."""
    s = scores.reindex(frame["buurtcode"])
    return gpd.GeoDataFrame(
        {
            "buurtcode": frame["buurtcode"].to_numpy(),
            "buurtnaam": frame["buurtnaam"].to_numpy(),
            "dk": [score(v) for v in s["draagkracht"]],
            "fk": [score(v) for v in s["fysieke_kansen"]],
            "kwadrant": [namen.get(k, k) for k in s["kwadrant"]],
            "fill": fill,
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )


def buurten_deck(
    frame: gpd.GeoDataFrame,
    scores: pd.DataFrame,
    namen: dict[str, str],
    fill: list | None = None,
    context: gpd.GeoDataFrame | None = None,
    web: gpd.GeoSeries | None = None,
) -> CompactDeck:
    """A choropleth of buurten with wijk outlines, no basemap.

    Parameters
    ----------
    frame : GeoDataFrame
        Buurten with ``buurtcode``, ``buurtnaam`` and geometry (any CRS).
    scores : DataFrame
        ``ScoreResult.scores`` (indexed by buurtcode).
    namen : dict
        Quadrant display names.
    fill : list, optional
        RGBA per buurt; default: the quadrant palette.
    context : GeoDataFrame, optional
        Outlines to draw on top (default: the wijken of ``frame``).
    web : GeoSeries, optional
        Simplified web geometry by buurtcode (:attr:`Dataset.web_geometry`).
    """
    web = to_web(frame, web=web)
    if fill is None:
        fill = quadrant_colours(scores.reindex(frame["buurtcode"])["kwadrant"])
    features = buurt_features(web, scores, namen, fill)
    context = outlines(web, "wijkcode") if context is None else to_web(context)
    layers = [
        pdk.Layer("GeoJsonLayer", features, id="buurten", pickable=True, auto_highlight=True, stroked=True,
                  filled=True, get_fill_color="fill", get_line_color=[255, 255, 255, 180], line_width_min_pixels=0.5),
        pdk.Layer("GeoJsonLayer", context[["geometry"]], id="wijken", pickable=False, filled=False, stroked=True,
                  get_line_color=OUTLINE_RGBA, line_width_min_pixels=1.5),
    ]
    return CompactDeck(
        layers=layers,
        map_provider=None,  # no tiles; do NOT also pass map_style=None (that brings Carto back)
        initial_view_state=view_for(web),
        tooltip={"text": "{buurtnaam} ({buurtcode})\nDraagkracht: {dk}\nFysieke kansen: {fk}\n{kwadrant}"},
    )


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


# ======================================================================================
# Colour modes: a small registry, so a new mode is one function + one line.
# ======================================================================================
# Joshua Stevens' 3×3 blue–purple bivariate scheme: colour-blind safe and without a
# "good/bad" reading. Index [fk_class][dk_class], class 0 = laag, 2 = hoog.
BIVARIATE_HEX = (
    ("#e8e8e8", "#ace4e4", "#5ac8c8"),
    ("#dfb0d6", "#a5add3", "#5698b9"),
    ("#be64ac", "#8c62aa", "#3b4994"),
)
BIVARIATE_CLASSES = ("laag", "midden", "hoog")
# Purple–orange diverging (ColorBrewer PuOr), for scores around 0: no red-to-green verdict.
DIVERGING_HEX = ("#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99")
SCORE_BREAKS = (-1.0, -1 / 3, 1 / 3, 1.0)
# Single-hue sequential (ColorBrewer Blues) for quantities without a direction.
SEQUENTIAL_HEX = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
MISSING_HEX = "#BBBBBB"


@dataclass(frozen=True)
class LegendItem:
    """One legend entry: a colour, what it means and how many buurten have it."""

    label: str
    hex: str
    aantal: int = 0


@dataclass
class Colouring:
    """Fill colours per buurt plus the legend that explains them."""

    fill: list[list[int]]
    legend: list[LegendItem]
    titel: str
    classes: np.ndarray | None = None  # legend entry per buurt (-1: the "geen waarde" entry)

    def legend_for(self, mask) -> list[LegendItem]:
        """The legend with counts for the shown buurten only (colours stay the same)."""
        if self.classes is None or mask is None:
            return self.legend
        shown = self.classes[np.asarray(mask, dtype=bool)]
        out = []
        for n, item in enumerate(self.legend):
            c = -1 if item.label == "geen waarde" and item.hex == MISSING_HEX and n == len(self.legend) - 1 else n
            out.append(LegendItem(item.label, item.hex, int((shown == c).sum())))
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
    """A registered way to colour the map. ``needs_kolom``: the mode needs an indicator."""

    key: str
    label: str
    colour: Callable[[ColourContext], Colouring]
    needs_kolom: bool = False


COLOUR_MODES: dict[str, ColourMode] = {}


def register_colour_mode(mode: ColourMode) -> ColourMode:
    """Add (or replace) a colour mode; the sidebar lists them in registration order."""
    COLOUR_MODES[mode.key] = mode
    return mode


def _classed(classes: np.ndarray, palette, labels, alpha: int) -> tuple[list, list[LegendItem]]:  # noqa: D401
    """Colours and legend for integer classes; -1 means missing."""
    lut = [hex_to_rgba(h, alpha) for h in palette]
    grey = hex_to_rgba(MISSING_HEX, alpha)
    fill = [lut[c] if c >= 0 else grey for c in classes.tolist()]
    counts = np.bincount(classes[classes >= 0], minlength=len(palette))
    legend = [LegendItem(lab, h, int(n)) for lab, h, n in zip(labels, palette, counts)]
    missing = int((classes < 0).sum())
    if missing:
        legend.append(LegendItem("geen waarde", MISSING_HEX, missing))
    return fill, legend


def quantile_classes(values, k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Quantile classes (as ``mapclassify.Quantiles``): class per value (-1 for NaN) and the upper bounds.

    Ties can merge classes, so fewer than ``k`` classes may come back.

    Examples
    --------
    >>> cls, bins = quantile_classes([1, 2, 3, 4, float("nan")], k=2)
    >>> cls.tolist(), bins.tolist()
    ([0, 0, 1, 1, -1], [2.5, 4.0])
    """
    v = np.asarray(values, dtype=float)
    ok = np.isfinite(v)
    if not ok.any():
        return np.full(len(v), -1), np.empty(0)
    bins = np.unique(np.quantile(v[ok], np.linspace(0, 1, k + 1)[1:]))
    cls = np.full(len(v), -1)
    cls[ok] = np.minimum(np.searchsorted(bins, v[ok], side="left"), len(bins) - 1)
    return cls, bins


def _fixed_classes(values, breaks) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    cls = np.searchsorted(np.asarray(breaks), v, side="right")
    cls[~np.isfinite(v)] = -1
    return cls


def _kwadrant(ctx: ColourContext) -> Colouring:
    k = ctx.scores["kwadrant"].to_numpy()
    order = list(QUADRANT_HEX)
    cls = np.array([order.index(q) if q in order else order.index("onvoldoende_data") for q in k])
    fill, legend = _classed(cls, [QUADRANT_HEX[q] for q in order], [ctx.namen.get(q, q) for q in order], 210)
    return Colouring(fill, legend, "Kwadrant")


BIVARIATE_BAND = 0.5  # |score − grens| below this counts as "midden"


def bivariate_classes(values, grens: float, band: float = BIVARIATE_BAND) -> np.ndarray:
    """0 (laag), 1 (midden) or 2 (hoog) around the quadrant boundary; -1 for missing."""
    return _fixed_classes(values, (grens - band, grens + band))


def _bivariaat(ctx: ColourContext) -> Colouring:
    dk = bivariate_classes(ctx.scores["draagkracht"], ctx.recipe.grens_draagkracht)
    fk = bivariate_classes(ctx.scores["fysieke_kansen"], ctx.recipe.grens_fysieke_kansen)
    cls = np.where((dk < 0) | (fk < 0), -1, fk * 3 + dk)
    palette = [BIVARIATE_HEX[f][d] for f in range(3) for d in range(3)]
    labels = [f"draagkracht {BIVARIATE_CLASSES[d]}, fysieke kansen {BIVARIATE_CLASSES[f]}" for f in range(3) for d in range(3)]
    fill, legend = _classed(cls, palette, labels, 220)
    return Colouring(fill, legend, "Kwadrant (3×3)")


def _score_labels() -> list[str]:
    b = [compact(x, 3) for x in SCORE_BREAKS]
    return [f"< {b[0]}", f"{b[0]} – {b[1]}", f"{b[1]} – {b[2]}", f"{b[2]} – {b[3]}", f"≥ {b[3]}"]


def _axis_mode(axis: str, titel: str) -> Callable[[ColourContext], Colouring]:
    def colour(ctx: ColourContext) -> Colouring:
        cls = _fixed_classes(ctx.scores[axis], SCORE_BREAKS)
        fill, legend = _classed(cls, DIVERGING_HEX, _score_labels(), 220)
        return Colouring(fill, legend, titel)
    return colour


def _indicator(ctx: ColourContext) -> Colouring:
    label = ctx.kolom_label or ctx.kolom or "indicator"
    if not ctx.kolom or ctx.kolom not in ctx.frame.columns:
        cls = np.full(len(ctx.frame), -1)
        fill, legend = _classed(cls, SEQUENTIAL_HEX, [], 220)
        return Colouring(fill, legend, f"{label} (niet in deze dataset)")
    values = pd.to_numeric(ctx.frame[ctx.kolom], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    cls, bins = quantile_classes(values, len(SEQUENTIAL_HEX))
    lower = [float(np.nanmin(values))] + bins[:-1].tolist() if len(bins) else []
    labels = [f"{compact(lo, 3)} – {compact(hi, 3)}" for lo, hi in zip(lower, bins.tolist())]
    palette = SEQUENTIAL_HEX[-len(bins):] if len(bins) else SEQUENTIAL_HEX
    fill, legend = _classed(cls, palette, labels, 220)
    return Colouring(fill, legend, f"{label} (kwantielen)")


DEKKING_BREAKS = (0.6, 0.8, 0.999)


def _dekking(ctx: ColourContext) -> Colouring:
    d = np.minimum(ctx.scores["dekking_draagkracht"].to_numpy(float), ctx.scores["dekking_fysieke_kansen"].to_numpy(float))
    cls = _fixed_classes(d, DEKKING_BREAKS)
    labels = ["< 60%", "60 – 80%", "80 – 100%", "volledig"]
    fill, legend = _classed(cls, SEQUENTIAL_HEX[1:], labels, 220)
    return Colouring(fill, legend, "Dekking (laagste van beide assen)")


# Stability colour mode.
def _stabiliteit(ctx: ColourContext) -> Colouring:
    values = np.full(len(ctx.scores), np.nan) if ctx.stabiliteit is None else np.asarray(ctx.stabiliteit, dtype=float)
    cls, labels, palette = stability_classes(values)
    fill, legend = _classed(cls, palette, labels, 220)
    return Colouring(fill, legend, "Stabiliteit van de plaatsing", classes=cls)


register_colour_mode(ColourMode("kwadrant", "Kwadrant (2×2)", _kwadrant))
register_colour_mode(ColourMode("bivariaat", "Kwadrant (3×3, bivariaat)", _bivariaat))
register_colour_mode(ColourMode("draagkracht", "Draagkracht en weerbaarheid", _axis_mode("draagkracht", "Draagkracht en weerbaarheid")))
register_colour_mode(ColourMode("fysieke_kansen", "Fysieke kansen", _axis_mode("fysieke_kansen", "Fysieke kansen")))
register_colour_mode(ColourMode("indicator", "Eén indicator (kwantielen)", _indicator, needs_kolom=True))
register_colour_mode(ColourMode("dekking", "Dekking van de gegevens", _dekking))
register_colour_mode(ColourMode("stabiliteit", "Stabiliteit van de plaatsing", _stabiliteit))


def colour_buurten(mode: str, ctx: ColourContext) -> Colouring:
    """Colour the buurten of ``ctx`` with a registered mode (unknown: ``KeyError``)."""
    colouring = COLOUR_MODES[mode].colour(ctx)
    if colouring.classes is None:
        colouring.classes = _classes_from_fill(colouring)
    return colouring


def _classes_from_fill(colouring: Colouring) -> np.ndarray:
    """Legend entry per buurt, recovered from its colour (modes need not track classes)."""
    lut = {tuple(hex_to_rgba(item.hex, 0)[:3]): (-1 if item.hex == MISSING_HEX and item.label == "geen waarde" else n)
           for n, item in enumerate(colouring.legend)}
    return np.array([lut.get(tuple(f[:3]), -1) for f in colouring.fill], dtype=int)


# ======================================================================================
# Web geometry prepared once per dataset; a rerun only splices in new colours.
# ======================================================================================
VERTEX_BUDGET = 150_000  # ≈ 4 MB of compact GeoJSON coordinates at 5 decimals
TOLERANCES = (5.0, 10.0, 25.0, 50.0, 100.0, 200.0, 300.0, 400.0)  # simplify_coverage tolerances (RD metres), tried in order
WIJK_OUTLINES_MAX = 2_500  # above this many buurten, only gemeente outlines (payload)


def simplify_for_web(geoms, budget: int = VERTEX_BUDGET, sample: int = 800) -> tuple[np.ndarray, float]:
    """Coverage-preserving simplification until the vertex count fits ``budget``.

    Shared borders are simplified once (``shapely.coverage_simplify``), so neighbouring
    buurten keep touching: no gaps or slivers. A geometry set that is not a valid coverage
    falls back to per-polygon simplification (borders may then drift slightly).

    The tolerance is chosen on a random sample of ``sample`` buurten (a subset of a
    coverage is still a coverage), so the full set is simplified once, not per try.

    Returns the geometries and the tolerance used (0 = unchanged).
    """
    geoms = np.asarray(geoms)
    total = int(shapely.get_num_coordinates(geoms).sum())
    if total <= budget:
        return geoms, 0.0
    coverage = bool(shapely.coverage_is_valid(geoms))

    def simplify(g, tol):
        return shapely.coverage_simplify(g, tol) if coverage else shapely.simplify(g, tol, preserve_topology=True)

    rng = np.random.default_rng(0)
    part = geoms if len(geoms) <= sample else geoms[rng.choice(len(geoms), sample, replace=False)]
    scale = len(geoms) / len(part)
    tol = TOLERANCES[-1]
    for t in TOLERANCES:
        # 0.9: margin, because the sample's estimate scatters by a few percent.
        if shapely.get_num_coordinates(simplify(part, t)).sum() * scale <= 0.9 * budget:
            tol = t
            break
    out = simplify(geoms, tol)
    while shapely.get_num_coordinates(out).sum() > budget and tol < TOLERANCES[-1] * 4:
        tol *= 2
        out = simplify(geoms, tol)
    return out, tol


def _geojson(geoms, decimals: int = 5) -> list[str]:
    """Compact GeoJSON geometry strings, coordinates rounded (5 decimals ≈ 1 m)."""
    rounded = shapely.transform(geoms, lambda c: np.round(c, decimals))
    return [s.replace(" ", "") for s in shapely.to_geojson(rounded).tolist()]


@dataclass
class MapGeometry:
    """Web-ready geometry of a dataset, built once and reused across reruns.

    ``features`` holds one compact GeoJSON geometry string per buurt (in ``codes`` order);
    outlines are dissolved per wijk and gemeente. Bounds are lon/lat per buurt.
    """

    codes: np.ndarray
    geometry: list[str]
    bounds: np.ndarray
    wijkcodes: np.ndarray
    gemeentecodes: np.ndarray
    wijk_outlines: dict[str, str]
    gemeente_outlines: dict[str, str]
    tolerance: float
    vertices: int
    bron: str = "vereenvoudigd"  # "opgeslagen" when the dataset's stored web geometry is used

    @classmethod
    def for_dataset(cls, ds, budget: int = VERTEX_BUDGET) -> "MapGeometry":
        """The dataset's stored web geometry (:attr:`Dataset.web_geometry`) when it covers every
        buurt within ``budget`` vertices; otherwise simplified here (:meth:`build`)."""
        return cls.build(ds.gebieden, budget, web=ds.web_geometry)

    @classmethod
    def build(cls, gebieden: gpd.GeoDataFrame, budget: int = VERTEX_BUDGET,
              web: gpd.GeoSeries | None = None) -> "MapGeometry":
        g = gebieden.to_crs("EPSG:28992") if gebieden.crs is not None else gebieden
        stored = None
        if web is not None:  # the importer's coverage-simplified geometry saves the work at app start
            cand = web.to_crs(WEB_CRS).reindex(g["buurtcode"].astype(str).to_numpy()).to_numpy()
            if not shapely.is_missing(cand).any() and int(shapely.get_num_coordinates(cand).sum()) <= budget:
                stored = cand
        if stored is not None:
            geoms, tol, web, bron = stored, float("nan"), stored, "opgeslagen"
        else:
            geoms, tol = simplify_for_web(g.geometry.to_numpy(), budget)
            web, bron = gpd.GeoSeries(geoms, crs=g.crs).to_crs(WEB_CRS).to_numpy(), "vereenvoudigd"
        line_crs = WEB_CRS if stored is not None else g.crs

        def dissolve(by: str) -> dict[str, str]:
            keys = g[by].to_numpy()
            out = {}
            for key in sorted(set(keys)):
                part = geoms[keys == key]
                try:
                    union = shapely.coverage_union_all(part)
                except shapely.errors.GEOSException:  # not a clean coverage: the slow, robust way
                    union = shapely.union_all(part)
                out[key] = union
            names = list(out)
            lines = gpd.GeoSeries(shapely.boundary(np.array(list(out.values()))), crs=line_crs).to_crs(WEB_CRS).to_numpy()
            return dict(zip(names, _geojson(lines)))

        return cls(
            codes=g["buurtcode"].astype(str).to_numpy(),
            geometry=_geojson(web),
            bounds=shapely.bounds(web),
            wijkcodes=g["wijkcode"].astype(str).to_numpy(),
            gemeentecodes=g["gemeentecode"].astype(str).to_numpy(),
            wijk_outlines=dissolve("wijkcode"),
            gemeente_outlines=dissolve("gemeentecode"),
            tolerance=tol,
            vertices=int(shapely.get_num_coordinates(geoms).sum()),
            bron=bron,
        )

    def view(self, mask: np.ndarray | None = None) -> dict:
        """Deck.gl view state fitting the buurten in ``mask`` (all when None)."""
        b = self.bounds if mask is None or not mask.any() else self.bounds[mask]
        lon0, lat0, lon1, lat1 = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
        span = max(lon1 - lon0, (lat1 - lat0) * 1.6, 1e-3)
        zoom = float(np.clip(np.log2(360 / span) - 0.3, 5, 16))
        return {"latitude": round((lat0 + lat1) / 2, 5), "longitude": round((lon0 + lon1) / 2, 5), "zoom": round(zoom, 2)}


TOOLTIP = {"text": "{buurtnaam} ({buurtcode})\nDraagkracht: {dk}\nFysieke kansen: {fk}\n{kwadrant}"}
_SELECTED_RGBA = [0, 0, 0, 255]


class SplicedDeck(CompactDeck):
    """A deck whose JSON was assembled from cached pieces (see :func:`map_spec`)."""

    def __init__(self, spec: str, tooltip: dict) -> None:  # noqa: D107 - pdk.Deck's init is skipped on purpose
        self._spec = spec
        self._tooltip = tooltip
        self.layers = []

    def to_json(self) -> str:
        return self._spec


def _line_layer(layer_id: str, geometries: list[str], colour: list[int], width: float) -> str:
    feats = ",".join('{"geometry":' + g + "}" for g in geometries)
    return (f'{{"@@type":"GeoJsonLayer","data":[{feats}],"filled":false,"getLineColor":{json.dumps(colour)},'
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
        '"getFillColor":"@@=fill","getLineColor":[255,255,255,180],"id":"buurten","lineWidthMinPixels":0.5,'
        '"pickable":true,"stroked":true}'
    ]
    shown_wijken = sorted(set(geo.wijkcodes[mask].tolist()))
    if mask.sum() <= WIJK_OUTLINES_MAX:
        layers.append(_line_layer("wijken", [geo.wijk_outlines[w] for w in shown_wijken], OUTLINE_RGBA, 1.5))
    shown_gemeenten = sorted(set(geo.gemeentecodes[mask].tolist()))
    national = mask.sum() > WIJK_OUTLINES_MAX  # thinner borders when zoomed out over many gemeenten
    layers.append(_line_layer("gemeenten", [geo.gemeente_outlines[g] for g in shown_gemeenten], [20, 20, 20, 230],
                              1.0 if national else 2.5))
    if selected is not None:
        idx = np.flatnonzero(geo.codes == selected)
        if len(idx):
            layers.append(_line_layer("selectie", [geo.geometry[idx[0]]], _SELECTED_RGBA, 3))
    view = view or geo.view(mask)
    spec = ('{"initialViewState":' + dumps(view, sort_keys=True, separators=(",", ":")) + ',"layers":['
            + ",".join(layers) + '],"mapStyle":"__MAP_STYLE__","views":[{"@@type":"MapView","controller":true}]}')
    return SplicedDeck(spec, TOOLTIP)
