"""National scale: a synthetic Netherlands of ≥ 15,000 buurten, generated here, never committed.

Measures what a gebiedsteam feels in the browser:

* ``payload_bytes``: the initial Kaart deck JSON (coverage-simplified, rounded, slim, compact);
* ``naive_payload_bytes``: the same map as a plain ``pdk.Deck`` of the unsimplified GeoDataFrame
  (pydeck's own indented serialiser, no simplification: what a straightforward implementation sends);
* ``rescore_ms`` / ``recolour_ms`` / ``rescore_recolour_ms``: a weight change on the server;
* ``cold_start_s``: loading the dataset and drawing the first map in an AppTest with empty
  Streamlit caches, as a restarted server: the map geometry comes from the disk cache
  (``kaartgeometrie_opgeslagen_bron``: ``schijfcache``), not simplified again.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely

from wijkprofielen.config import SOURCE_ROOT as REPO_ROOT, load_config
from wijkprofielen.dataset import CRS, Dataset, save_dataset
from wijkprofielen.errors import WijkprofielenError
from wijkprofielen.importers.pipeline import web_geometry
from wijkprofielen.mapgeometry import CACHE_DIR, MapGeometry, cache_file, outlines, to_web, view_for
from wijkprofielen.mapping import TOOLTIP, ColourContext, colour_buurten, map_spec
from wijkprofielen.palettes import BORDER_RGBA, OUTLINE_RGBA, QUADRANT_HEX, hex_to_rgba
from wijkprofielen.formatting import score as fmt_score
from wijkprofielen.scoring import score
from . import timed

# RD New box around the Netherlands' land area (metres).
_X0, _X1, _Y0, _Y1 = 15_000.0, 275_000.0, 310_000.0, 610_000.0
SEGMENT_M = 45.0  # edge vertex spacing: ~200 vertices per buurt, as in the unsimplified CBS file


def add_arguments(parser) -> None:
    parser.add_argument("--buurten", type=int, default=15_000, help="aantal synthetische buurten (standaard 15000)")
    parser.add_argument("--zonder-naief", action="store_true", help="sla de naïeve pdk.Deck-meting over (spaart ~20 s)")
    parser.add_argument("--zonder-koude-start", action="store_true", help="sla de AppTest-koude start over")


def _wiggle(coords: np.ndarray) -> np.ndarray:
    """A smooth displacement field: identical input points move identically, so shared
    borders stay shared while becoming as wiggly as real buurtgrenzen."""
    x, y = coords[:, 0], coords[:, 1]
    dx = 35 * np.sin(y / 170.0) + 20 * np.sin((x + y) / 90.0)
    dy = 35 * np.cos(x / 190.0) + 20 * np.sin((x - y) / 110.0)
    return np.round(np.c_[x + dx, y + dy], 2)


def synthetic_nation(n: int = 15_000, seed: int = 2026) -> Dataset:
    """A synthetic national dataset of ``n`` buurten (Voronoi cells, shared wiggly borders).

    Gemeenten (~``n``/44) and wijken come from coarser Voronoi seeds, so codes nest like
    CBS codes (``BU`` + gemeente + wijk + buurt). Indicator values are random but
    spatially smooth; the dataset is marked synthetic.
    """
    if n < 10:
        raise WijkprofielenError(f"--buurten {n} is te klein; gebruik ten minste 10.")
    rng = np.random.default_rng(seed)
    pts = np.c_[rng.uniform(_X0, _X1, n), rng.uniform(_Y0, _Y1, n)]
    box = shapely.box(_X0, _Y0, _X1, _Y1)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=box))
    cells = shapely.set_precision(shapely.intersection(cells, box), 0.01)
    # Densify and bend every shared edge once (not per polygon), then rebuild the cells:
    # neighbours keep identical borders, so the result is a valid coverage like CBS's.
    edges = shapely.get_parts(shapely.line_merge(shapely.union_all(shapely.boundary(cells))))
    edges = shapely.transform(shapely.segmentize(edges, SEGMENT_M), _wiggle)
    cells = shapely.get_parts(shapely.polygonize(edges))
    # polygonize returns its own order: match each cell back to its (moved) seed.
    seeds = shapely.points(_wiggle(pts))
    cell_of, seed_of = shapely.STRtree(cells).query(seeds, predicate="within")[::-1]
    order = np.full(n, -1)
    order[seed_of] = cell_of
    keep = order >= 0
    pts, cells = pts[keep], cells[order[keep]]
    n = len(pts)

    n_gm = max(1, n // 44)
    gm_seeds = pts[rng.choice(n, n_gm, replace=False)]
    gm = shapely.STRtree(shapely.points(gm_seeds)).query_nearest(shapely.points(pts), return_distance=False)[1]
    wk_seeds = pts[rng.choice(n, max(1, n // 8), replace=False)]
    wk_raw = shapely.STRtree(shapely.points(wk_seeds)).query_nearest(shapely.points(pts), return_distance=False)[1]
    frame = pd.DataFrame({"gm": gm, "wk_raw": wk_raw})
    frame["wk"] = frame.groupby("gm")["wk_raw"].rank(method="dense").astype(int) % 100
    frame["bu"] = frame.groupby(["gm", "wk"]).cumcount() % 100
    gmc = [f"{i + 1:04d}" for i in frame["gm"]]
    codes = [f"BU{g}{w:02d}{b:02d}" for g, w, b in zip(gmc, frame["wk"], frame["bu"])]
    dup = pd.Series(codes).duplicated()
    if dup.any():  # a wijk with more than 100 buurten: renumber the rest into spare wijk numbers
        codes = [f"BU{g}{(w + 50) % 100:02d}{b:02d}" if d else c for c, g, w, b, d in zip(codes, gmc, frame["wk"], frame["bu"], dup)]
    gebieden = gpd.GeoDataFrame(
        {
            "buurtcode": codes,
            "buurtnaam": [f"Buurt {c[6:]}" for c in codes],
            "wijkcode": ["WK" + c[2:8] for c in codes],
            "wijknaam": [f"Wijk {c[6:8]}" for c in codes],
            "gemeentecode": ["GM" + g for g in gmc],
            "gemeentenaam": [f"Gemeente {g} (synthetisch)" for g in gmc],
        },
        geometry=cells,
        crs=CRS,
    )
    gebieden = gebieden[~gebieden["buurtcode"].duplicated()].reset_index(drop=True)
    recipe = load_config(REPO_ROOT / "config.toml").recipe
    cols = recipe.kolommen + ["inwoners"]
    # Spatially smooth latent values plus noise; about 3 % missing, as CBS suppresses values.
    cx = shapely.get_x(shapely.centroid(gebieden.geometry.to_numpy()))
    cy = shapely.get_y(shapely.centroid(gebieden.geometry.to_numpy()))
    waarden = {}
    for j, kolom in enumerate(cols):
        base = np.sin(cx / (9_000 + 700 * j)) + np.cos(cy / (11_000 + 500 * j)) + rng.normal(0, 0.7, len(cx))
        if kolom == "inwoners":
            base = np.round(np.exp(7 + 0.6 * base))
        else:
            base[rng.random(len(cx)) < 0.03] = np.nan
        waarden[(kolom, 2024)] = base
    values = pd.DataFrame(waarden, index=pd.Index(gebieden["buurtcode"], name="buurtcode"))
    values.columns = pd.MultiIndex.from_tuples(list(values.columns), names=["kolom", "jaar"])
    meta = {"naam": f"Synthetisch Nederland ({len(gebieden)} buurten)", "synthetisch": True}
    return Dataset(gebieden, values, {}, {}, meta)


def _cold_start(ds: Dataset, workdir: Path) -> tuple[float, float]:
    """Seconds from a fresh AppTest to the first Kaart with every buurt (empty Streamlit caches,
    working directory ``workdir`` with the stored map geometry, as a restarted server finds it), and
    seconds for the whole rerun after a weight change (sidebar, re-score, changed
    quadrants, re-colour, map spec; AppTest overhead included)."""
    import streamlit as st  # here, not at the top: it costs every CLI command ~1.5 s
    from streamlit.testing.v1 import AppTest

    from wijkprofielen.ui.sidebar import WEIGHTS_OPEN

    st.cache_resource.clear()
    st.cache_data.clear()
    path = workdir / "nederland.parquet"
    save_dataset(ds, path)
    old, cwd = os.environ.get("WIJKPROFIELEN_DATA"), os.getcwd()
    os.environ["WIJKPROFIELEN_DATA"] = str(path)
    os.chdir(workdir)
    try:
        t0 = time.perf_counter()
        at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=600)
        at.session_state[WEIGHTS_OPEN] = True  # the weight sliders, moved below
        at.run()
        elapsed = time.perf_counter() - t0
        if at.exception or not at.get("deck_gl_json_chart"):
            raise RuntimeError(f"koude start: de kaart is niet getekend ({at.exception})")
        t1 = time.perf_counter()
        # The first weight of the configured recipe, whichever indicators it has.
        weight = next(w for w in at.slider if str(w.key).startswith("gewicht__"))
        weight.set_value(0.5 if weight.value != 0.5 else 0.6).run()
        rerun = time.perf_counter() - t1
        if at.exception:
            raise RuntimeError(f"herberekening mislukt ({at.exception})")
    finally:
        os.chdir(cwd)
        if old is None:
            os.environ.pop("WIJKPROFIELEN_DATA", None)
        else:
            os.environ["WIJKPROFIELEN_DATA"] = old
    return elapsed, rerun


def naive_deck(frame: gpd.GeoDataFrame, scores: pd.DataFrame, namen: dict[str, str]) -> pdk.Deck:
    """The Kaart as a plain ``pdk.Deck`` of the unsimplified buurten with wijk outlines: the peer
    that ``payload_bytes`` is compared with (same properties, colours and layers)."""
    web = to_web(frame)
    s = scores.reindex(frame["buurtcode"])
    colours = {k: hex_to_rgba(h, 210) for k, h in QUADRANT_HEX.items()}
    features = gpd.GeoDataFrame(
        {
            "buurtcode": web["buurtcode"].to_numpy(),
            "buurtnaam": web["buurtnaam"].to_numpy(),
            "dk": [fmt_score(v) for v in s["draagkracht"]],
            "fk": [fmt_score(v) for v in s["fysieke_kansen"]],
            "kwadrant": [namen.get(k, k) for k in s["kwadrant"]],
            "fill": [colours.get(k, colours["onvoldoende_data"]) for k in s["kwadrant"]],
        },
        geometry=web.geometry.to_numpy(),
        crs=web.crs,
    )
    layers = [
        pdk.Layer("GeoJsonLayer", features, id="buurten", pickable=True, auto_highlight=True, stroked=True,
                  filled=True, get_fill_color="fill", get_line_color=list(BORDER_RGBA), line_width_min_pixels=0.5),
        pdk.Layer("GeoJsonLayer", outlines(web, "wijkcode")[["geometry"]], id="wijken", pickable=False, filled=False,
                  stroked=True, get_line_color=list(OUTLINE_RGBA), line_width_min_pixels=1.5),
    ]
    return pdk.Deck(layers=layers, map_provider=None, initial_view_state=view_for(web), tooltip=TOOLTIP)


def run(options) -> dict:
    n = getattr(options, "buurten", 15_000)
    ds, gen_s = timed(synthetic_nation, n)
    cfg = load_config(getattr(options, "config", None))
    frame = ds.frame()
    vertices = int(shapely.get_num_coordinates(frame.geometry.to_numpy()).sum())
    geo, geo_s = timed(MapGeometry.build, ds.gebieden)
    # A restarted server: the geometry stored on first use (MapGeometry.cached) is read, not simplified again.
    workdir = Path(tempfile.mkdtemp(prefix="wijkprofielen-landelijk-"))
    geo.save(cache_file(ds, workdir / CACHE_DIR))
    geo_stored, geo_stored_s = timed(MapGeometry.cached, ds, workdir / CACHE_DIR)
    # As an imported dataset, with the importer's stored web geometry (used when it fits the budget).
    web, _ = web_geometry(ds.gebieden)
    web.index = ds.gebieden["buurtcode"].to_numpy()
    geo_import = MapGeometry.build(ds.gebieden, web=web)
    result, rescore_s = timed(score, frame, cfg.recipe, repeat=3)
    scores = result.scores

    def recolour():
        colouring = colour_buurten("kwadrant", ColourContext(frame, scores.reindex(geo.codes), cfg.recipe, cfg.kwadrant_namen))
        return map_spec(geo, scores, frame, cfg.kwadrant_namen, colouring.fill).to_json()

    spec, recolour_s = timed(recolour, repeat=3)
    new = cfg.recipe.with_weights({("draagkracht", "lbm_afw"): 0.5})

    def both():
        r = score(frame, new)
        c = colour_buurten("kwadrant", ColourContext(frame, r.scores.reindex(geo.codes), new, cfg.kwadrant_namen))
        return map_spec(geo, r.scores, frame, cfg.kwadrant_namen, c.fill).to_json()

    _, both_s = timed(both, repeat=3)
    spec_import = map_spec(geo_import, scores, frame, cfg.kwadrant_namen, colour_buurten(
        "kwadrant", ColourContext(frame, scores.reindex(geo_import.codes), cfg.recipe, cfg.kwadrant_namen)).fill).to_json()
    out = {
        "buurten": len(frame),
        "kaartgeometrie_opgeslagen_bron": geo_stored.bron,
        "kaartgeometrie_opgeslagen_laden_s": round(geo_stored_s, 2),
        "kaartgeometrie_import_bron": geo_import.bron,
        "payload_import_bytes": len(spec_import.encode()),
        "landelijk_genereren_s": round(gen_s, 2),
        "hoekpunten": vertices,
        "hoekpunten_kaart": geo.vertices,
        "vereenvoudiging_tolerantie_m": geo.tolerance,
        "kaartgeometrie_bouwen_s": round(geo_s, 2),
        "payload_bytes": len(spec.encode()),
        "rescore_ms": round(rescore_s * 1000, 1),
        "recolour_ms": round(recolour_s * 1000, 1),
        "rescore_recolour_ms": round(both_s * 1000, 1),
    }
    if not getattr(options, "zonder_naief", False):
        out["naive_payload_bytes"] = len(naive_deck(frame, scores, cfg.kwadrant_namen).to_json().encode())
    if not getattr(options, "zonder_koude_start", False):
        cold, rerun = _cold_start(ds, workdir)
        out["cold_start_s"] = round(cold, 2)
        out["gewicht_rerun_apptest_ms"] = round(rerun * 1000)
    shutil.rmtree(workdir, ignore_errors=True)
    return out
