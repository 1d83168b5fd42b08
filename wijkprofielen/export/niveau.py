"""Exports per level: every wijk or gebied as a GeoPackage (dissolved outlines) or CSV, and its manifest.

The table has one row per unit: its code (``wijkcode``) or name (``gebied``), the scores,
whether its buurten agree (``eenduidig``), the figures used and per figure its origin
(``herkomst_<kolom>``: gepubliceerd or berekend). The manifest names the level, the reference
and, for gebieden, each definition with its stored version.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import geopandas as gpd
import pandas as pd

from .. import __version__
from ..config import Config
from ..dataset import CRS, Dataset
from ..gebieden import Niveauprofiel, dissolved
from .manifest import manifest_bytes
from .tables import csv_bytes, gpkg_bytes, records

SOORT = "wijkprofielen-niveau"
KEY = {"wijk": ("wijkcode", "wijknaam"), "gebied": ("gebied", None)}


def level_table(ds: Dataset, profiel: Niveauprofiel) -> gpd.GeoDataFrame:
    """One row per unit with scores, figures and origins, and the dissolved outline (EPSG:28992)."""
    key, naam = KEY[profiel.niveau]
    table = profiel.tabel()
    lang = profiel.eenheden.lang
    values = profiel.eenheden.frame.set_index("eenheid")[ds.kolommen]
    origin = lang.pivot(index="eenheid", columns="kolom", values="herkomst").reindex(columns=ds.kolommen)
    origin.columns = [f"herkomst_{k}" for k in origin.columns]
    table = table.join(values, on="eenheid").join(origin, on="eenheid")
    table.insert(table.columns.get_loc("kwadrant") + 1, "referentie", profiel.referentie)
    outlines = dissolved(ds, profiel.eenheden).set_index("eenheid").geometry
    table = table.rename(columns={"eenheid": key})
    table = table.rename(columns={"naam": naam}) if naam else table.drop(columns=["naam"])
    return gpd.GeoDataFrame(table, geometry=outlines.reindex(table[key]).to_numpy(), crs=CRS)


def level_gpkg(ds: Dataset, profiel: Niveauprofiel) -> bytes:
    """Every unit as a GeoPackage, layer ``wijken_rd_new`` or ``gebieden_rd_new``."""
    return gpkg_bytes(level_table(ds, profiel), layer=f"{profiel.niveau}en_rd_new")


def level_csv(ds: Dataset, profiel: Niveauprofiel) -> bytes:
    """Every unit as CSV (the GeoPackage's columns without geometry)."""
    return csv_bytes(level_table(ds, profiel))


def level_manifest(ds: Dataset, profiel: Niveauprofiel, cfg: Config, *, jaar: int | None = None,
                   gemaakt: datetime | None = None) -> dict[str, Any]:
    """What an export per level rests on: level, reference, gebied definitions with version, recipe, scores."""
    recipe = profiel.result.recipe
    return {
        "soort": SOORT,
        "app_versie": __version__,
        "gemaakt": (gemaakt or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds"),
        "niveau": profiel.niveau,
        "referentie": profiel.referentie,
        "gebieden": [g.to_dict() for g in profiel.eenheden.gebieden],
        "dataset": {"naam": ds.naam, "synthetisch": ds.synthetisch, "hash": ds.fingerprint},
        "jaar": jaar,
        "min_aandeel_inwoners": cfg.gebieden.min_aandeel_inwoners,
        "recept": recipe.to_dict(),
        "recept_hash": recipe.fingerprint(),
        "scores": records(pd.DataFrame(level_table(ds, profiel).drop(columns="geometry"))),
    }


def level_manifest_bytes(ds: Dataset, profiel: Niveauprofiel, cfg: Config, *, jaar: int | None = None) -> bytes:
    return manifest_bytes(level_manifest(ds, profiel, cfg, jaar=jaar))
