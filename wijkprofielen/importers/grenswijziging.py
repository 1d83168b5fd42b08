"""Boundary changes per buurt: which buurten covered another area in another year.

A code can stay the same while its area changes (a street moves to the next buurt). Joining
such years on code compares different areas, so the import flags each buurt and year whose
area differs from the reference year by more than a threshold:

* from the Kerncijfers of each year: the implied area ``inwoners ÷ bevolkingsdichtheid``
  (km² land). Both are rounded by CBS (inhabitants to 5, density to whole numbers), so a
  buurt is only flagged when even the most favourable rounding leaves a change above the
  threshold;
* from the geometry, where the boundaries of that year are given as well.

The values of a flagged buurt in that year are marked (``Dataset.grenswijziging``), never
silently compared with the reference year.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ..domain import CBS_AFRONDING

DENSITY_ROUNDING = 0.5  # CBS publishes the density in whole inhabitants per km²


def implied_area(waarden: pd.DataFrame, jaar: int) -> tuple[pd.Series, pd.Series, pd.Series] | None:
    """The area (km² land) implied by inhabitants and density in ``jaar``: ``(central, low, high)``.

    None when the dataset lacks either figure for that year; NaN for buurten without
    inhabitants or density (0 inhabitants give no area).
    """
    if ("inwoners", jaar) not in waarden.columns or ("bevolkingsdichtheid", jaar) not in waarden.columns:
        return None
    inw = waarden[("inwoners", jaar)].where(lambda s: s > 0)
    dens = waarden[("bevolkingsdichtheid", jaar)].where(lambda s: s > 0)
    half = CBS_AFRONDING / 2
    central = inw / dens
    low = (inw - half).clip(lower=0) / (dens + DENSITY_ROUNDING)
    high = (inw + half) / (dens - DENSITY_ROUNDING).where(dens > DENSITY_ROUNDING)
    return central, low, high


def reference_year(years: list[int], grenzen_jaar: int | None) -> int | None:
    """The year whose areas the others are compared with: closest to the boundaries' year, else the newest."""
    if not years:
        return None
    if grenzen_jaar is None:
        return max(years)
    return min(years, key=lambda j: (abs(j - grenzen_jaar), -j))


def changes_from_density(waarden: pd.DataFrame, drempel: float, grenzen_jaar: int | None = None
                         ) -> tuple[int | None, dict[int, dict[str, float]]]:
    """Per year, the buurten whose implied area differs from the reference year beyond ``drempel``.

    Returns ``(reference year, {jaar: {buurtcode: relative change of the area}})``; the change
    is ``area(jaar) / area(reference) − 1``.
    """
    years = sorted({int(j) for k, j in waarden.columns if k == "bevolkingsdichtheid" and implied_area(waarden, j) is not None})
    ref = reference_year(years, grenzen_jaar)
    out: dict[int, dict[str, float]] = {}
    if ref is None:
        return None, out
    ref_c, ref_lo, ref_hi = implied_area(waarden, ref)
    for j in years:
        if j == ref:
            continue
        c, lo, hi = implied_area(waarden, j)
        change = c / ref_c - 1
        least_up = lo / ref_hi - 1  # the smallest growth the rounding allows
        least_down = hi / ref_lo - 1  # the smallest shrinkage the rounding allows
        flagged = ((least_up > drempel) | (least_down < -drempel)) & change.notna()
        if flagged.any():
            out[j] = {code: round(float(v), 4) for code, v in change[flagged].items()}
    return ref, out


def changes_from_geometry(gebieden: gpd.GeoDataFrame, andere: gpd.GeoDataFrame, drempel: float) -> dict[str, float]:
    """Buurten whose area in ``andere`` (boundaries of another year) differs beyond ``drempel`` from ``gebieden``.

    Both in EPSG:28992; codes present in only one of them are left to the coverage report.
    """
    own = gebieden.set_index("buurtcode").geometry.area
    other = andere.set_index("buurtcode").geometry.area
    shared = own.index.intersection(other.index)
    change = other.loc[shared] / own.loc[shared].replace(0, np.nan) - 1
    return {code: round(float(v), 4) for code, v in change[change.abs() > drempel].items()}


__all__ = ["changes_from_density", "changes_from_geometry", "implied_area", "reference_year"]
