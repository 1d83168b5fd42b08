"""All scored buurten as a GeoPackage (EPSG:28992) or a CSV, with the same columns."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime

import geopandas as gpd
import numpy as np
import pandas as pd

from ..config import Config
from ..dataset import CRS, ID_COLUMNS
from ..scoring import ScoreResult, score_table

LAYER = "buurten_rd_new"


def records(table: pd.DataFrame) -> list[dict]:
    """JSON-ready records: NaN becomes null, numpy scalars become Python numbers, times ISO 8601 text."""
    clean = table.astype(object).where(table.notna(), None)
    return [{k: (v.item() if isinstance(v, np.generic) else v.isoformat() if isinstance(v, datetime) else v)
             for k, v in row.items()} for row in clean.to_dict("records")]


def scored_buurten(frame: gpd.GeoDataFrame, result: ScoreResult, cfg: Config) -> gpd.GeoDataFrame:
    """One row per buurt: codes and names, scores, quadrant (code and name), coverage, indicators.

    Missing values stay missing (empty in CSV, NULL in the GeoPackage), never zero.
    """
    scores = score_table(frame, result).drop(columns=["buurtnaam"]).set_index("buurtcode")
    scores.insert(scores.columns.get_loc("kwadrant") + 1, "kwadrant_naam", scores["kwadrant"].map(cfg.kwadrant_namen))
    ids = frame[ID_COLUMNS].set_index("buurtcode")
    values = frame.drop(columns=[c for c in frame.columns if c in ID_COLUMNS or c == "geometry"]).set_index(frame["buurtcode"])
    values = values.select_dtypes("number")
    table = ids.join(scores).join(values.drop(columns=[c for c in values.columns if c in scores.columns]))
    return gpd.GeoDataFrame(table.reset_index(), geometry=frame.geometry.to_numpy(), crs=frame.crs or CRS).to_crs(CRS)


def gpkg_bytes(table: gpd.GeoDataFrame) -> bytes:
    """The table as a GeoPackage (layer ``buurten_rd_new``, EPSG:28992)."""
    fd, tmp = tempfile.mkstemp(suffix=".gpkg")
    os.close(fd)
    try:
        os.unlink(tmp)  # the driver creates the file itself
        table.to_file(tmp, driver="GPKG", layer=LAYER, engine="pyogrio")
        with open(tmp, "rb") as fh:
            return fh.read()
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """The table without geometry as UTF-8 CSV (with BOM, so Excel shows € and ë)."""
    plain = pd.DataFrame(table.drop(columns="geometry", errors="ignore"))
    return plain.to_csv(index=False).encode("utf-8-sig")
