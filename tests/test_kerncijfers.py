"""Kerncijfers (gemeente median, badges) and the Leefbaarometer trend of the Wijkprofiel page."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from wijkprofielen.dataset import Dataset, IndicatorMeta
from wijkprofielen.profiel import badge_counts, kerncijfers, lbm_trend
from wijkprofielen.testing import grid_dataset


def _dataset() -> Dataset:
    base = grid_dataset({"pct_sociale_huur": [10.0, 20.0, 30.0, 40.0]})
    codes = base.codes
    w = base.waarden.copy()
    w[("pct_sociale_huur", 2024)] = [10.0, 20.0, np.nan, 40.0]
    w[("lbm_score", 2018)] = [4.0, 4.1, 4.2, 4.3]
    w[("lbm_score", 2024)] = [4.2, np.nan, 4.0, 4.1]
    w[("gem_woz", 2019)] = [200.0, 250.0, 300.0, np.nan]
    w[("pct_65plus", 2024)] = [20.0, 20.0, 25.0, 25.0]
    w.columns = pd.MultiIndex.from_tuples(list(w.columns), names=["kolom", "jaar"])
    ind = {k: IndicatorMeta.from_catalogue(k) for k in ("pct_sociale_huur", "lbm_score", "gem_woz")}
    ind["pct_65plus"] = IndicatorMeta.from_catalogue("pct_65plus", niveau="wijk")
    redenen = {("pct_sociale_huur", 2024): {codes[2]: "geheim (CBS -99997)"},
               ("gem_woz", 2019): {codes[3]: "niet beschikbaar (CBS -99995)"}}
    return Dataset(base.gebieden, w, ind, redenen, {"naam": "t", "synthetisch": True})


def test_median_skips_missing_values_and_badges_say_why():
    ds = _dataset()
    a, _, c, d = ds.codes
    t = kerncijfers(ds, a).set_index("kolom")
    assert t.at["pct_sociale_huur", "mediaan"] == pytest.approx(20.0)  # of 10, 20, 40: the suppressed one is not 0
    assert t.at["pct_sociale_huur", "badge"] == ""
    assert t.at["gem_woz", "badge"] == "verouderd"  # 2019 vs newest 2024
    assert t.at["pct_65plus", "badge"] == "wijkcijfer"
    tc = kerncijfers(ds, c).set_index("kolom")
    assert tc.at["pct_sociale_huur", "badge"] == "onderdrukt" and np.isnan(tc.at["pct_sociale_huur", "waarde"])
    td = kerncijfers(ds, d).set_index("kolom")
    assert td.at["gem_woz", "badge"] == "ontbreekt"
    assert badge_counts(tc) == {"onderdrukt": 1, "wijkcijfer": 1, "verouderd": 1}


def test_lbm_trend_has_buurt_and_gemeente_median_and_keeps_gaps():
    ds = _dataset()
    b = ds.codes[1]
    trend = lbm_trend(ds, b)
    buurt = trend[trend["reeks"] == "buurt"]
    assert buurt["jaar"].tolist() == [2018]  # 2024 is missing for this buurt: a gap, not a zero
    gm = trend[trend["reeks"] == "gemeente (mediaan)"].set_index("jaar")["waarde"]
    assert gm[2018] == pytest.approx(4.15) and gm[2024] == pytest.approx(4.1)
    assert lbm_trend(grid_dataset({"x": [1.0, 2.0]}), "BU00010000").empty
