"""Map layers for pydeck: colours, web geometry and a compact deck spec.

Pure Python (pydeck builds JSON; nothing here imports Streamlit). The deck never loads a
basemap: ``map_provider=None`` without ``map_style`` makes Streamlit's frontend draw no
tiles (tech-notes §4.3). Orientation comes from wijk and gemeente outlines.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize

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


def _fmt(x: float) -> str:
    return "–" if pd.isna(x) else f"{x:+.2f}".replace(".", ",")


def buurt_features(frame: gpd.GeoDataFrame, scores: pd.DataFrame, namen: dict[str, str], fill: list) -> gpd.GeoDataFrame:
    """Slim per-buurt properties for the map: code, name, formatted scores, colour."""
    s = scores.reindex(frame["buurtcode"])
    return gpd.GeoDataFrame(
        {
            "buurtcode": frame["buurtcode"].to_numpy(),
            "buurtnaam": frame["buurtnaam"].to_numpy(),
            "dk": [_fmt(v) for v in s["draagkracht"]],
            "fk": [_fmt(v) for v in s["fysieke_kansen"]],
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
