"""Web geometry for pydeck maps: reprojected, rounded and coverage-simplified buurten.

Pure Python (pydeck builds JSON; nothing here imports Streamlit). :class:`MapGeometry`
is built once per dataset, so a rerun of the Kaart only splices in new colours
(:func:`wijkprofielen.mapping.map_spec`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

import geopandas as gpd
import numpy as np
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize

from .importers.opslag import atomic_write, keep_newest

WEB_CRS = "EPSG:4326"
VERTEX_BUDGET = 150_000  # ≈ 4 MB of compact GeoJSON coordinates at 5 decimals
CACHE_DIR = Path("werkmap") / "kaartcache"  # relative to the working directory, like the database
CACHE_VERSION = 1  # raise when MapGeometry's fields or their meaning change: old files are then ignored
CACHE_KEEP = 8  # cached geometries kept per folder (the newest)
TOLERANCES = (5.0, 10.0, 25.0, 50.0, 100.0, 200.0, 300.0, 400.0)  # simplify_coverage tolerances (RD metres), tried in order


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


MAP_HEIGHT_PX = 560  # the Kaart's st.pydeck_chart height
# The map column's width in a 1400 px wide window (wide layout, sidebar open, map column 3 of 4);
# a narrower window shows a little less at the sides, the padding absorbs most of it.
MAP_WIDTH_PX = 700
FIT_PADDING_PX = 24
TILE_PX = 512  # deck.gl's world size at zoom 0


def _mercator(lon, lat):
    """Web Mercator pixels at zoom 0 (deck.gl's convention: 512 px for the world, y down)."""
    x = (np.asarray(lon, dtype=float) + 180.0) / 360.0 * TILE_PX
    phi = np.radians(np.asarray(lat, dtype=float))
    y = TILE_PX / 2 - TILE_PX / (2 * np.pi) * np.log(np.tan(np.pi / 4 + phi / 2))
    return x, y


def _unmercator(x: float, y: float) -> tuple[float, float]:
    lon = x / TILE_PX * 360.0 - 180.0
    lat = np.degrees(2 * np.arctan(np.exp((TILE_PX / 2 - y) * 2 * np.pi / TILE_PX)) - np.pi / 2)
    return float(lon), float(lat)


def fit_view(lon0: float, lat0: float, lon1: float, lat1: float, width: float = MAP_WIDTH_PX,
             height: float = MAP_HEIGHT_PX, padding: float = FIT_PADDING_PX, max_zoom: float = 16.0) -> dict:
    """Deck.gl view state (latitude, longitude, zoom) that fits the lon/lat bounds in ``width`` × ``height`` px.

    The same arithmetic as deck.gl's ``WebMercatorViewport.fitBounds``: the zoom at which
    the bounds' Mercator extent fills the map minus ``padding`` on each side, along the
    tighter of both directions; centred on the bounds' Mercator midpoint.

    Examples
    --------
    >>> v = fit_view(5.0, 51.0, 5.2, 51.05, width=800, height=600, padding=0)
    >>> abs(2 ** v["zoom"] * 0.2 / 360 * 512 - 800) < 5  # the 0.2° width fills the 800 px
    True
    """
    x0, y1 = _mercator(lon0, lat0)
    x1, y0 = _mercator(lon1, lat1)
    dx, dy = max(float(x1 - x0), 1e-9), max(float(y1 - y0), 1e-9)
    scale = min(max(width - 2 * padding, 1.0) / dx, max(height - 2 * padding, 1.0) / dy)
    zoom = float(np.clip(np.log2(scale), 3.0, max_zoom))
    lon, lat = _unmercator((x0 + x1) / 2, (y0 + y1) / 2)
    return {"latitude": round(lat, 5), "longitude": round(lon, 5), "zoom": round(zoom, 2)}


def view_for(gdf_web: gpd.GeoDataFrame) -> pdk.ViewState:
    """A view that fits the given features (bounds in lon/lat)."""
    return pdk.ViewState(**fit_view(*gdf_web.total_bounds))



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


def cache_file(ds, directory: Path | str = CACHE_DIR, budget: int = VERTEX_BUDGET) -> Path:
    """Where :meth:`MapGeometry.cached` stores the geometry of ``ds``: named by its content hash."""
    return Path(directory) / f"kaart-{ds.fingerprint[:32]}-{budget}-v{CACHE_VERSION}.json"


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
    label_points: np.ndarray | None = None  # lon/lat inside each buurt, for its name on the map
    areas: np.ndarray | None = None  # in square degrees: only to rank the labels (largest first)

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
            label_points=np.round(shapely.get_coordinates(shapely.point_on_surface(web)), 5),
            areas=shapely.area(web),
        )

    @classmethod
    def cached(cls, ds, directory: Path | str | None = CACHE_DIR, budget: int = VERTEX_BUDGET) -> "MapGeometry":
        """:meth:`for_dataset`, stored on disk by the dataset's content hash: simplified once, not per process.

        A later start (another process, another server) reads the stored file instead of
        simplifying again; its ``bron`` is then ``"schijfcache"``. A folder that cannot be
        written only costs the saving: the geometry is still built.
        """
        if directory is None:
            return cls.for_dataset(ds, budget)
        path = cache_file(ds, directory, budget)
        try:
            return cls.load(path)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # absent or unreadable: build it again
        geo = cls.for_dataset(ds, budget)
        try:
            geo.save(path)
        except OSError:
            pass
        return geo

    def save(self, path: Path) -> None:
        """Write as JSON (atomically); the oldest files beyond :data:`CACHE_KEEP` in that folder are removed."""
        data = {}
        for f in fields(self):
            value = getattr(self, f.name)
            data[f.name] = value.tolist() if isinstance(value, np.ndarray) else value
        path = atomic_write(path, json.dumps(data, separators=(",", ":")))
        keep_newest(path.parent, "kaart-*.json", CACHE_KEEP)

    @classmethod
    def load(cls, path: Path) -> "MapGeometry":
        """Read a file written by :meth:`save`; ``bron`` becomes ``"schijfcache"``."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        arrays = {"codes": object, "bounds": float, "wijkcodes": object, "gemeentecodes": object, "label_points": float,
                  "areas": float}
        for name, dtype in arrays.items():
            if data.get(name) is not None:
                data[name] = np.asarray(data[name], dtype=dtype)
        return cls(**{**data, "bron": "schijfcache"})

    def view(self, mask: np.ndarray | None = None, **size) -> dict:
        """Deck.gl view state fitting the buurten in ``mask`` (all when None); ``size``: :func:`fit_view`'s
        ``width``, ``height``, ``padding``."""
        b = self.bounds if mask is None or not mask.any() else self.bounds[mask]
        return fit_view(b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max(), **size)

    def buurt_view(self, code: str, context: float = 1.0, **size) -> dict | None:
        """A view on one buurt with ``context`` times its size around it (its neighbours); None if unknown."""
        idx = np.flatnonzero(self.codes == code)
        if not len(idx):
            return None
        x0, y0, x1, y1 = self.bounds[idx[0]]
        mx, my = (x1 - x0) * context, (y1 - y0) * context
        return fit_view(x0 - mx, y0 - my, x1 + mx, y1 + my, **size)
