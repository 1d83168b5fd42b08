"""Import speed: the national Kerncijfers extract (13,817 buurten) plus scoring, and the full
's-Hertogenbosch import. Fields are left out when ../shared/data is absent."""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import pandas as pd

from wijkprofielen.config import SOURCE_ROOT as REPO_ROOT, load_config
from wijkprofielen.dataset import CRS, ID_COLUMNS, Dataset, derive_codes
from wijkprofielen.importers.kerncijfers import read_kerncijfers
from wijkprofielen.importers.pipeline import build_dataset
from wijkprofielen.scoring import score
from . import timed


def add_arguments(parser) -> None:
    parser.add_argument("--shared-data", help="map met de echte data (standaard ../shared/data naast de repository)")


def shared_data(options) -> Path:
    return Path(getattr(options, "shared_data", None) or os.environ.get("WIJKPROFIELEN_SHARED_DATA") or REPO_ROOT.parent / "shared" / "data")


def national(path: Path, recipe):
    """Read the national table, build a geometry-less dataset and score it."""
    b = read_kerncijfers(path, None, max_mb=None)
    codes = list(b.waarden.index)
    ids = derive_codes(pd.DataFrame({"buurtcode": codes}))[ID_COLUMNS]
    gebieden = gpd.GeoDataFrame(ids, geometry=gpd.GeoSeries([None] * len(codes)), crs=CRS)
    ds = Dataset(gebieden, b.waarden, {}, b.redenen, {"naam": "NL", "synthetisch": False})
    frame = ds.frame()
    return frame, score(frame, recipe)


def run(options) -> dict:
    data = shared_data(options)
    nl = data / "NL" / "kwb2024_85984NED_extract_NL.csv"
    if not nl.exists():
        return {"importers_overgeslagen": f"echte data niet gevonden in {data}"}
    recipe = load_config(getattr(options, "config", None)).recipe
    (frame, result), secs = timed(national, nl, recipe, repeat=3)
    gm = data / "GM0796"
    _, gm_secs = timed(build_dataset, "GM0796", gm / "cbsgebiedsindelingen_buurt_2022_GM0796.geojson",
                       kerncijfers=[gm / "kwb2024_85984NED_extract_GM0796.csv"],
                       leefbaarometer=gm / "leefbaarometer3_buurten_GM0796_2018-2024.csv",
                       inkomen=data / "NL" / "cbs_maatwerk_inkomen_2020_gemeente_wijk_wb2023.csv", repeat=3)
    return {
        "nl_kerncijfers_buurten": len(frame),
        "nl_kerncijfers_import_en_score_s": round(secs, 3),
        "nl_buurten_met_score_draagkracht": int(result.scores["draagkracht"].notna().sum()),
        "gm0796_import_s": round(gm_secs, 3),
    }
