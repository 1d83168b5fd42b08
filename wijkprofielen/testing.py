"""Small synthetic building blocks for tests (in the style of ``geopandas.testing``)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .config import Recipe, recipe_from_dict
from .dataset import CRS, Dataset


def grid_dataset(values: dict[str, list[float]], gemeentecode: str = "GM0001", year: int = 2024, wijken: int = 2) -> Dataset:
    """A dataset of ``n`` square buurten (100 m) in a row, with the given indicator values.

    Examples
    --------
    >>> ds = grid_dataset({"x": [1.0, 2.0, 3.0]})
    >>> ds.codes
    ['BU00010000', 'BU00010101', 'BU00010002']
    """
    n = len(next(iter(values.values())))
    gm = gemeentecode[2:]
    codes = [f"BU{gm}{i % wijken:02d}{i:02d}" for i in range(n)]
    gebieden = gpd.GeoDataFrame(
        {
            "buurtcode": codes,
            "buurtnaam": [f"Buurt {i}" for i in range(n)],
            "wijkcode": [f"WK{gm}{i % wijken:02d}" for i in range(n)],
            "wijknaam": [f"Wijk {i % wijken}" for i in range(n)],
            "gemeentecode": gemeentecode,
            "gemeentenaam": f"Gemeente {gm}",
        },
        geometry=[shapely.box(150_000 + 100 * i, 450_000, 150_100 + 100 * i, 450_100) for i in range(n)],
        crs=CRS,
    )
    waarden = pd.DataFrame({(k, year): np.asarray(v, dtype=float) for k, v in values.items()}, index=pd.Index(codes, name="buurtcode"))
    waarden.columns = pd.MultiIndex.from_tuples(list(waarden.columns), names=["kolom", "jaar"])
    return Dataset(gebieden, waarden, {}, {}, {"naam": "testraster", "synthetisch": True})


def simple_recipe(draagkracht: list[tuple[str, int, float]], fysieke_kansen: list[tuple[str, int, float]], **options) -> Recipe:
    """A recipe from ``(kolom, richting, gewicht)`` triples per axis."""
    def axis(items, sub):
        return {"indicatoren": [{"kolom": k, "richting": r, "gewicht": w, "subas": sub} for k, r, w in items]}
    return recipe_from_dict({
        "assen": {"draagkracht": axis(draagkracht, "draagkracht"), "fysieke_kansen": axis(fysieke_kansen, "ruimte")},
        **options,
    })
