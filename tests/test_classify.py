"""Classes per colour mode, in the shape of mapclassify; missing values are their own class."""

from __future__ import annotations

import mapclassify
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkprofielen import classify
from wijkprofielen.classify import MISSING

NAMEN = {"hoog_hoog": "HH", "laag_hoog": "LH", "laag_laag": "LL", "hoog_laag": "HL", "onvoldoende_data": "Onvoldoende"}


def _consistent(c: classify.Classification, n: int) -> None:
    assert len(c.yb) == n
    assert len(c.bins) == len(c.counts) == len(c.labels) == c.k
    assert int(c.counts.sum()) + c.missing == n  # every value is in exactly one class
    assert c.counts.tolist() == [int((c.yb == i).sum()) for i in range(c.k)]


def test_kwadrant_missing_class_is_onvoldoende_data():
    codes = pd.Series(["hoog_hoog", "laag_laag", "onvoldoende_data", "hoog_laag", None, "hoog_hoog"])
    c = classify.kwadrant(codes, NAMEN)
    _consistent(c, 6)
    assert c.yb.tolist() == [0, 2, MISSING, 3, MISSING, 0]
    assert c.labels == ("HH", "LH", "LL", "HL") and c.missing_label == "Onvoldoende"
    assert c.counts.tolist() == [2, 0, 1, 1] and c.missing == 2  # missing never counted in class 0
    assert c.bins.tolist() == [0, 1, 2, 3] and c.name == "Categorical"


def test_bivariate_3x3():
    c = classify.bivariate([-2, 0.0, 2, 2, np.nan], [-2, -2, 0.0, 2, 1], 0.0, 0.0)
    _consistent(c, 5)
    assert c.yb.tolist() == [0, 1, 5, 8, MISSING]  # fk * 3 + dk
    assert c.labels[5] == "draagkracht hoog, fysieke kansen midden"


def test_bivariate_classes_around_the_boundary():
    assert classify.bivariate_classes([-2, -0.5, 0.0, 0.49, 0.5, 3, np.nan], 0.0).tolist() == [0, 1, 1, 1, 2, 2, -1]


def test_axis_score_fixed_breaks_and_missing():
    c = classify.axis_score(pd.Series([-1.5, -1.0, 0.0, 1 / 3, 1.0, 2.0, np.nan]))
    _consistent(c, 7)
    assert c.yb.tolist() == [0, 1, 2, 3, 4, 4, MISSING]  # a value on a break goes up
    assert c.bins.tolist()[:4] == pytest.approx(classify.SCORE_BREAKS) and c.bins[-1] == np.inf
    assert c.labels[0] == "< -1" and c.labels[-1] == "≥ 1" and not c.right


def test_dekking_takes_the_lower_axis():
    c = classify.dekking([1.0, 1.0, 0.7, np.nan], [1.0, 0.5, 0.9, 1.0])
    _consistent(c, 4)
    assert c.yb.tolist() == [3, 0, 1, MISSING]
    assert c.labels == classify.DEKKING_LABELS


def test_stabiliteit_classes():
    c = classify.stabiliteit([0.2, 0.5, 0.75, 0.95, 1.0, np.nan])
    _consistent(c, 6)
    assert c.yb.tolist() == [0, 1, 2, 3, 4, MISSING]
    assert c.labels == classify.STABILITY_LABELS and c.counts.tolist() == [1, 1, 1, 1, 1]


def test_stabiliteit_all_missing_is_no_class_at_all():
    c = classify.stabiliteit([np.nan, np.nan])
    assert c.counts.tolist() == [0] * 5 and c.missing == 2


def test_indicator_quantiles_match_mapclassify_and_place_a_known_value():
    values = np.arange(1.0, 101.0)
    with_gaps = pd.Series([*values, np.nan, None], dtype="Float64")
    c = classify.indicator(with_gaps, 5)
    _consistent(c, 102)
    q = mapclassify.Quantiles(values, k=5)
    assert c.bins.tolist() == pytest.approx(q.bins.tolist()) and c.counts.tolist() == q.counts.tolist() == [20] * 5
    assert c.yb[49] == 2 and c.yb[0] == 0 and c.yb[99] == 4  # 50 lies in the middle quintile
    assert c.yb[20] == 1 and c.right  # 21 > 20.8 (first upper bound)
    assert c.yb[-2:].tolist() == [MISSING, MISSING] and c.missing == 2
    assert c.name == "Quantiles" and c.labels[0] == "1 – 20,8"


def test_quantiles_of_nothing_and_of_ties():
    empty = classify.quantiles([np.nan, np.nan], 5)
    assert empty.k == 0 and empty.missing == 2
    ties = classify.quantiles([3.0, 3.0, 3.0, np.nan], 5)
    _consistent(ties, 4)
    assert ties.k == 1 and ties.yb.tolist() == [0, 0, 0, MISSING]


def test_counts_for_a_mask():
    c = classify.stabiliteit([0.2, 0.2, 0.95, np.nan])
    counts, missing = c.counts_for([True, False, True, True])
    assert counts.tolist() == [1, 0, 0, 1, 0] and missing == 1
    assert c.counts_for(None)[0].tolist() == c.counts.tolist()


def test_categorical_keeps_the_given_order():
    c = classify.categorical(["b", "a", "x", None], ["a", "b"], ["A", "B"])
    assert c.yb.tolist() == [1, 0, MISSING, MISSING]


@settings(deadline=None, max_examples=60)
@given(st.lists(st.one_of(st.floats(-1e6, 1e6), st.just(float("nan"))), min_size=1, max_size=60), st.integers(2, 7))
def test_quantile_classes_are_ordered_and_keep_missing(values, k):
    c = classify.quantiles(values, k)
    v = np.asarray(values)
    ok = np.isfinite(v)
    _consistent(c, len(v))
    assert (c.yb[~ok] == MISSING).all()
    assert ((c.yb[ok] >= 0) & (c.yb[ok] < max(c.k, 1))).all()
    order = np.argsort(v[ok], kind="stable")
    assert (np.diff(c.yb[ok][order]) >= 0).all()  # a larger value never gets a lower class
