"""Aggregating buurten to wijken and gebieden: properties of the method, origins, suppression, scores."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import box

from wijkprofielen.dataset import CRS, Dataset, IndicatorMeta
from wijkprofielen.domain import BEREKEND, GEPUBLICEERD
from wijkprofielen.errors import DataError
from wijkprofielen.gebieden import NIET_EENDUIDIG, Gebied, aggregate, dissolved
from wijkprofielen.workspace import Workspace

JAAR = 2024
GEHEIM = "geheim (CBS -99997)"


def make_ds(inwoners, pct, inkomen=None, geheim=(), wijk_inkomen=None, n_wijken=2) -> Dataset:
    """Buurten BU99990101 … spread over ``n_wijken`` wijken; ``geheim``: buurten whose pct_65plus CBS kept secret
    (the file still holds a number there, which must never count)."""
    n = len(inwoners)
    codes = [f"BU9999{(i % n_wijken) + 1:02d}{i + 1:02d}" for i in range(n)]
    g = gpd.GeoDataFrame({"buurtcode": codes, "buurtnaam": [f"Buurt {i + 1}" for i in range(n)],
                          "wijkcode": [c[:8].replace("BU", "WK") for c in codes], "wijknaam": [f"Wijk {c[6:8]}" for c in codes],
                          "gemeentecode": "GM9999", "gemeentenaam": "Proefstad"},
                         geometry=[box(i * 100, 0, i * 100 + 100, 100) for i in range(n)], crs=CRS)
    data = {("inwoners", JAAR): inwoners, ("pct_65plus", JAAR): pct,
            ("huishoudens", JAAR): [max(1.0, x / 2) for x in inwoners]}
    if inkomen is not None:
        data[("gem_inkomen_per_inwoner", JAAR)] = inkomen
    indicatoren = {}
    if wijk_inkomen is not None:  # a wijk table applied to its buurten, as the income importer does
        data[("pct_laagste_40_inkomen", 2020)] = [wijk_inkomen[c[:8].replace("BU", "WK")] for c in codes]
        indicatoren["pct_laagste_40_inkomen"] = IndicatorMeta.from_catalogue("pct_laagste_40_inkomen", niveau="wijk")
    w = pd.DataFrame(data, index=pd.Index(codes, name="buurtcode"), dtype="float64")
    w.columns = pd.MultiIndex.from_tuples(w.columns, names=["kolom", "jaar"])
    redenen = {("pct_65plus", JAAR): {codes[i]: GEHEIM for i in geheim}} if geheim else {}
    return Dataset(g, w, indicatoren, redenen, {"naam": "proef"})


def value(e, unit, kolom):
    return e.frame.set_index("eenheid").at[unit, kolom]


inhabitants = st.lists(st.integers(50, 5000).map(float), min_size=2, max_size=8)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_properties_of_the_aggregation(data):
    inw = data.draw(inhabitants)
    n = len(inw)
    pct = data.draw(st.lists(st.floats(0, 100, allow_nan=False), min_size=n, max_size=n))
    ds = make_ds(inw, pct)
    codes = ds.codes
    # A gebied of one buurt has that buurt's values.
    one = aggregate(ds, "gebied", [Gebied("Een", (codes[0],))], min_aandeel=0.0)
    assert value(one, "Een", "inwoners") == inw[0]
    assert value(one, "Een", "pct_65plus") == pytest.approx(pct[0])
    # A sum over a gebied equals the sum over its buurten; a weighted share lies between min and max.
    chosen = sorted(data.draw(st.sets(st.integers(0, n - 1), min_size=1)))
    alle = aggregate(ds, "gebied", [Gebied("Alle", tuple(codes[i] for i in chosen))])
    assert value(alle, "Alle", "inwoners") == pytest.approx(sum(inw[i] for i in chosen))
    share = value(alle, "Alle", "pct_65plus")
    assert min(pct[i] for i in chosen) - 1e-9 <= share <= max(pct[i] for i in chosen) + 1e-9
    # Reordering the buurten changes nothing.
    reordered = aggregate(ds, "gebied", [Gebied("Alle", tuple(codes[i] for i in reversed(chosen)))])
    pd.testing.assert_frame_equal(alle.frame, reordered.frame)
    # Splitting a gebied in two and counting both gives the same totals.
    if len(chosen) > 1:
        cut = data.draw(st.integers(1, len(chosen) - 1))
        parts = aggregate(ds, "gebied", [Gebied("A", tuple(codes[i] for i in chosen[:cut])),
                                         Gebied("B", tuple(codes[i] for i in chosen[cut:]))])
        assert parts.frame["inwoners"].sum() == pytest.approx(value(alle, "Alle", "inwoners"))
        weighted = (parts.frame["pct_65plus"] * parts.frame["inwoners"]).sum() / parts.frame["inwoners"].sum()
        assert weighted == pytest.approx(share)


@settings(max_examples=25, deadline=None)
@given(inw=inhabitants, hidden=st.floats(0, 100, allow_nan=False), other=st.floats(0, 100, allow_nan=False), data=st.data())
def test_a_suppressed_value_never_comes_back(inw, hidden, other, data):
    n = len(inw)
    secret = data.draw(st.integers(0, n - 1))
    pct = [50.0] * n
    members = sorted(data.draw(st.sets(st.integers(0, n - 1), min_size=1)) | {secret})
    results = []
    for number in (hidden, other):  # whatever the file holds at the secret place
        pct[secret] = number
        ds = make_ds(inw, pct, geheim=[secret])
        gebieden = [Gebied("Geheim", (ds.codes[secret],)), Gebied("Met", tuple(ds.codes[i] for i in members))]
        e = aggregate(ds, "gebied", gebieden, min_aandeel=0.0)
        assert np.isnan(value(e, "Geheim", "pct_65plus"))
        results.append(e.frame)
        wijken = aggregate(ds, "wijk", min_aandeel=0.0)
        results.append(wijken.frame)
    pd.testing.assert_frame_equal(results[0], results[2])
    pd.testing.assert_frame_equal(results[1], results[3])


def test_a_published_wijk_figure_is_used_and_the_computed_one_shown():
    ds = make_ds([100.0, 300.0, 200.0, 400.0], [10.0, 30.0, 20.0, 40.0], wijk_inkomen={"WK999901": 44.0, "WK999902": 22.0})
    e = aggregate(ds, "wijk")
    row = e.lang.set_index(["eenheid", "kolom"]).loc[("WK999901", "pct_laagste_40_inkomen")]
    assert row["herkomst"] == GEPUBLICEERD and row["waarde"] == 44.0 and row["jaar"] == 2020
    pct = e.lang.set_index(["eenheid", "kolom"]).loc[("WK999901", "pct_65plus")]
    assert pct["herkomst"] == BEREKEND and pct["toelichting"] == "berekend uit 2 buurten"
    assert pct["waarde"] == pytest.approx((100 * 10 + 200 * 20) / 300)
    # A gebied that is exactly one wijk gets the published figure; another gebied a computed one.
    g = aggregate(ds, "gebied", [Gebied("Wijk", tuple(e.leden["WK999901"])), Gebied("Mix", tuple(ds.codes[:2]))])
    assert value(g, "Wijk", "pct_laagste_40_inkomen") == 44.0
    mix = g.lang.set_index(["eenheid", "kolom"]).loc[("Mix", "pct_laagste_40_inkomen")]
    assert mix["herkomst"] == BEREKEND and "wijkcijfers" in mix["toelichting"]


def test_below_the_share_of_inhabitants_a_figure_is_missing_and_a_sum_with_a_gap_too():
    ds = make_ds([100.0, 900.0], [10.0, np.nan], n_wijken=1)
    e = aggregate(ds, "wijk", min_aandeel=0.5)
    row = e.lang.set_index("kolom").loc["pct_65plus"]
    assert np.isnan(row["waarde"]) and "10%" in row["reden"] and row["aandeel_inwoners"] == pytest.approx(0.1)
    assert value(aggregate(ds, "wijk", min_aandeel=0.05), "WK999901", "pct_65plus") == 10.0
    gap = make_ds([100.0, np.nan], [10.0, 20.0], n_wijken=1)
    row = aggregate(gap, "wijk").lang.set_index("kolom").loc["inwoners"]
    assert np.isnan(row["waarde"]) and "onvolledig" in row["reden"]


def test_a_secret_buurt_beside_a_published_figure_hides_the_computed_one():
    ds = make_ds([100.0, 300.0, 200.0, 400.0], [10.0, 30.0, 20.0, 40.0], geheim=[0],
                 wijk_inkomen={"WK999901": 44.0, "WK999902": 22.0})
    extra = pd.DataFrame({"pct_65plus": [15.0]}, index=["WK999901"])
    row = aggregate(ds, "wijk", gepubliceerd=extra).lang.set_index(["eenheid", "kolom"]).loc[("WK999901", "pct_65plus")]
    assert row["waarde"] == 15.0 and np.isnan(row["berekend"]) and "onthullen" in row["toelichting"]


def test_bad_gebieden_get_dutch_messages(voorbeeld):
    with pytest.raises(DataError, match="BU00000000"):
        aggregate(voorbeeld, "gebied", [Gebied("X", ("BU00000000", voorbeeld.codes[0]))])
    with pytest.raises(DataError, match="meer dan eens"):
        aggregate(voorbeeld, "gebied", [Gebied("X", (voorbeeld.codes[0],)), Gebied("x", (voorbeeld.codes[1],))])
    with pytest.raises(DataError, match="vraagt om gebieden"):
        aggregate(voorbeeld, "gebied")
    with pytest.raises(DataError, match="geen buurten"):
        Gebied("Leeg", ())


def test_level_scores_against_wijken_with_the_spread(voorbeeld, config):
    ws = Workspace(config)
    wijken = ws.level(voorbeeld, "wijk")
    assert list(wijken.result.scores.index) == sorted(voorbeeld.gebieden["wijkcode"].unique())
    assert wijken.referentie == "de wijken van de eigen gemeente"
    placed = wijken.result.geplaatst()
    # Against the wijken themselves: the wijk scores centre on zero.
    assert abs(wijken.result.scores.loc[placed, "draagkracht"].mean()) < 0.5
    row = wijken.spreiding.iloc[0]
    members = wijken.buurten[wijken.buurten["eenheid"] == row["eenheid"]]
    assert row["laagste_draagkracht_score"] == pytest.approx(members["draagkracht"].min())
    assert row["hoogste_fysieke_kansen_score"] == pytest.approx(members["fysieke_kansen"].max())
    for _, r in wijken.spreiding.iterrows():
        kw = set(r["kwadranten"])
        opposite = {"hoog_hoog", "laag_laag"} <= kw or {"laag_hoog", "hoog_laag"} <= kw
        assert r["eenduidig"] is (not opposite) and (NIET_EENDUIDIG in r["toelichting"]) is opposite
    # A gebied equal to a wijk gets that wijk's scores: the gebied does not move the reference.
    first = wijken.eenheden.frame["eenheid"].iloc[0]
    gebied = ws.level(voorbeeld, "gebied", [Gebied("Kopie", wijken.eenheden.leden[first])])
    pd.testing.assert_series_equal(gebied.result.scores.loc["Kopie", ["draagkracht", "fysieke_kansen"]],
                                   wijken.result.scores.loc[first, ["draagkracht", "fysieke_kansen"]], check_names=False)
    outlines = dissolved(voorbeeld, gebied.eenheden)
    area = voorbeeld.gebieden.set_index("buurtcode").loc[list(wijken.eenheden.leden[first])].area.sum()
    assert outlines.geometry.iloc[0].area == pytest.approx(area, rel=1e-6)


def test_the_catalogue_states_each_aggregation_and_the_methode_page_the_level_reference(config):
    from wijkprofielen import indicators
    from wijkprofielen.domain import AGGREGATIES, NOEMERS
    from wijkprofielen.methode import rules

    for info in indicators.catalogue().values():
        assert info.aggregatie in (*AGGREGATIES, None), info.kolom
        assert (info.noemer in NOEMERS) == (info.aggregatie == "aandeel"), info.kolom
    text = dict(rules(config))["Wijken en gebieden"]
    assert "de wijken van de eigen gemeente" in text and "nooit tegen buurten" in text
    national = dict(rules(type(config)(**{**vars(config), "recipe": config.recipe.with_options(referentie="nederland")})))
    assert "heeft alleen buurtcijfers" in national["Wijken en gebieden"]
