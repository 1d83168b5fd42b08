"""The Dutch number formatter: round trips, no "-0", thousands grouping, missing values."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkprofielen.formatting import (
    MISSING,
    compact,
    format_frame,
    integer,
    missing_text,
    number,
    parse,
    percent,
    score,
    styled,
)

finite = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
# Dutch notation: optional sign, groups of three after a dot, optional decimal comma.
DUTCH = re.compile(r"[+-]?\d{1,3}(\.\d{3})*(,\d+)?")


@settings(deadline=None, max_examples=200)
@given(finite, st.integers(min_value=0, max_value=4), st.booleans())
def test_number_round_trips_and_groups_thousands(value, digits, signed):
    text = number(value, digits, signed=signed)
    assert DUTCH.fullmatch(text), text
    assert parse(text) == pytest.approx(round(value, digits), abs=10 ** -digits, rel=1e-12)
    if digits:
        assert len(text.split(",")[1]) == digits


@settings(deadline=None, max_examples=200)
@given(finite, st.integers(min_value=0, max_value=4))
def test_never_a_signed_zero(value, digits):
    for text in (number(value, digits), number(value, digits, signed=True), score(value), percent(value, digits)):
        assert not re.fullmatch(r"[+-]0(,0*)?%?", text), text


@settings(deadline=None, max_examples=100)
@given(finite)
def test_sign_follows_the_value(value):
    text = score(value)
    if parse(text) > 0:
        assert text.startswith("+")
    elif parse(text) < 0:
        assert text.startswith("-")
    else:
        assert text == "0,00"


@settings(deadline=None, max_examples=100)
@given(finite, st.integers(min_value=1, max_value=6))
def test_compact_round_trips_without_exponent(value, significant):
    text = compact(value, significant)
    assert "e" not in text.lower() and DUTCH.fullmatch(text), text
    back = parse(text)
    assert back == pytest.approx(value, rel=10 ** (1 - significant), abs=1e-300) or (value == 0 and back == 0)
    assert not re.search(r",\d*0$", text)  # trailing zeros dropped


@pytest.mark.parametrize("missing", [None, float("nan"), np.nan, pd.NA, pd.NaT])
def test_missing_is_an_en_dash_never_zero(missing):
    for fmt in (number, integer, score, percent, compact):
        assert fmt(missing) == MISSING
    assert number(missing, reason="geheim") == "– (geheim)" == missing_text("geheim")


def test_examples_from_the_pages():
    assert integer(3255.0) == "3.255"
    assert number(1.0) == "1,00"
    assert score(-0.0001) == "0,00"
    assert percent(0.6) == "60%"
    assert percent(35.26, 1, fraction=False) == "35,3%"
    assert math.isnan(parse("–"))


def test_format_frame_by_dtype_and_by_column():
    df = pd.DataFrame({"inwoners": [3255, 120], "waarde": [1.5, np.nan], "naam": ["Rozenhof", None],
                       "bijdrage": [-0.0004, 0.1234]})
    out = format_frame(df, {"bijdrage": lambda v: number(v, 3, signed=True)})
    assert out.to_dict("list") == {"inwoners": ["3.255", "120"], "waarde": ["1,50", "–"], "naam": ["Rozenhof", "–"],
                                   "bijdrage": ["0,000", "+0,123"]}
    assert not out.isin(["None", "nan", "-0,00"]).any().any()


def test_styled_keeps_numbers_and_shows_dutch_text():
    df = pd.DataFrame({"waarde": [3255.5, np.nan]})
    html = styled(df).to_html()
    assert "3.255,50" in html and "–" in html
    assert styled(df).data["waarde"].iloc[0] == 3255.5
