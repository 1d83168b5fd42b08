"""All scored buurten as a GeoPackage (EPSG:28992) or a CSV, with the same columns."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime

import geopandas as gpd
import numpy as np
import pandas as pd

from ..config import Config
from ..dataset import CRS, ID_COLUMNS, Dataset
from ..scoring import ScoreResult, score_table

LAYER = "buurten_rd_new"


def records(table: pd.DataFrame) -> list[dict]:
    """JSON-ready records: NaN becomes null, numpy scalars become Python numbers, times ISO 8601 text."""
    clean = table.astype(object).where(table.notna(), None)
    return [{k: (v.item() if isinstance(v, np.generic) else v.isoformat() if isinstance(v, datetime) else v)
             for k, v in row.items()} for row in clean.to_dict("records")]


def value_marks(ds: Dataset, jaar: int | None = None) -> pd.DataFrame:
    """Per buurt, which of its values are wijk figures and which come from a year with other boundaries.

    Columns ``wijkcijfers`` and ``andere_grenzen``: the indicator columns concerned, with the
    year, separated by "; " (empty when none), for the values :meth:`Dataset.keuze` picks.
    """
    parts: dict[str, list[pd.Series]] = {"wijkcijfers": [], "andere_grenzen": []}
    for kolom, years in ds.keuze(jaar).items():
        meta = ds.indicatoren[kolom]
        present = ds.frame_values(kolom, years).notna()
        label = years.map(lambda j: f"{kolom} ({meta.bronjaar_in(int(j))})")
        wijk = years.map(lambda j: meta.niveau_in(int(j)) == "wijk").astype(bool)
        grens = pd.Series([code in ds.grenswijziging(int(j)) for code, j in years.items()], index=years.index) \
            if any(ds.grenswijziging(int(j)) for j in years.unique()) else pd.Series(False, index=years.index)
        parts["wijkcijfers"].append(label.where(present & wijk))
        parts["andere_grenzen"].append(label.where(present & grens))
    out = pd.DataFrame(index=pd.Index(ds.codes, name="buurtcode"))
    for name, series in parts.items():
        joined = pd.concat(series, axis=1).apply(lambda row: "; ".join(row.dropna()), axis=1) if series else ""
        out[name] = joined
    return out


def scored_buurten(frame: gpd.GeoDataFrame, result: ScoreResult, cfg: Config, ds: Dataset | None = None,
                   jaar: int | None = None) -> gpd.GeoDataFrame:
    """One row per buurt: codes and names, scores, quadrant (code and name), coverage, indicators.

    Missing values stay missing (empty in CSV, NULL in the GeoPackage), never zero. With the
    dataset, the columns of :func:`value_marks` say which values are wijk figures and which
    describe other boundaries.
    """
    scores = score_table(frame, result).drop(columns=["buurtnaam"]).set_index("buurtcode")
    scores.insert(scores.columns.get_loc("kwadrant") + 1, "kwadrant_naam", scores["kwadrant"].map(cfg.kwadrant_namen))
    ids = frame[ID_COLUMNS].set_index("buurtcode")
    values = frame.drop(columns=[c for c in frame.columns if c in ID_COLUMNS or c == "geometry"]).set_index(frame["buurtcode"])
    values = values.select_dtypes("number")
    table = ids.join(scores).join(values.drop(columns=[c for c in values.columns if c in scores.columns]))
    if ds is not None:
        table = table.join(value_marks(ds, jaar))
    return gpd.GeoDataFrame(table.reset_index(), geometry=frame.geometry.to_numpy(), crs=frame.crs or CRS).to_crs(CRS)


def gpkg_bytes(table: gpd.GeoDataFrame, layer: str = LAYER) -> bytes:
    """The table as a GeoPackage (layer ``buurten_rd_new`` unless given, EPSG:28992)."""
    fd, tmp = tempfile.mkstemp(suffix=".gpkg")
    os.close(fd)
    try:
        os.unlink(tmp)  # the driver creates the file itself
        table.to_file(tmp, driver="GPKG", layer=layer, engine="pyogrio")
        with open(tmp, "rb") as fh:
            return fh.read()
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """The table without geometry as UTF-8 CSV (with BOM, so Excel shows € and ë)."""
    plain = pd.DataFrame(table.drop(columns="geometry", errors="ignore"))
    return plain.to_csv(index=False).encode("utf-8-sig")
