"""Dutch number formatting for pages, tables, charts and exports.

One place decides how a number looks: a thousands dot ("3.255"), a decimal comma ("0,25"),
a sign only where asked for and never on zero ("-0,00" does not occur), and an en dash for a
missing value, optionally with the reason the source gives ("– (geheim)"). Pure Python and
pandas, no Streamlit: the exports use the same functions as the pages.

Examples
--------
>>> integer(3255.0), number(1234.5, 1), score(-0.001), percent(0.125, 1)
('3.255', '1.234,5', '0,00', '12,5%')
>>> compact(0.5), compact(312456.7, 3), number(None, reason="geheim")
('0,5', '312.457', '– (geheim)')
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd

MISSING = "–"
YEAR_COLUMNS = {"jaar", "peiljaar", "meetjaar", "van_jaar"}  # never grouped as thousands
_SWAP = str.maketrans({",": ".", ".": ","})
# The d3 number locale for Vega-Lite charts (``config.locale``): axis labels and tooltips read
# "6.000" and "0,5", as the text beside them.
VEGA_LOCALE = {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""], "minus": "-"}}


def is_missing(value: Any) -> bool:
    """True for None, NaN, ``pd.NA`` and ``NaT``: values that must never be shown as a number.

    >>> is_missing(None), is_missing(float("nan")), is_missing(pd.NA), is_missing(0)
    (True, True, True, False)
    """
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # list-like values are not a single missing value
        return False


def missing_text(reason: str | None = None) -> str:
    """The en dash for a missing value, with the source's reason when known.

    >>> missing_text(), missing_text("minder dan 50 inwoners")
    ('–', '– (minder dan 50 inwoners)')
    """
    return f"{MISSING} ({reason})" if reason else MISSING


def number(value: Any, digits: int = 2, *, signed: bool = False, reason: str | None = None) -> str:
    """A number with a thousands dot and ``digits`` decimals after a comma.

    ``signed`` puts "+" before positive numbers; zero (also after rounding) never has a sign.

    >>> number(1234567.891), number(0.25, signed=True), number(-0.004), number(float("nan"))
    ('1.234.567,89', '+0,25', '0,00', '–')
    """
    if is_missing(value):
        return missing_text(reason)
    x = float(value)
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    text = f"{x:{'+' if signed else ''},.{max(digits, 0)}f}"
    if not text.strip("+-").replace("0", "").replace(".", "").replace(",", ""):
        text = text.lstrip("+-")  # zero after rounding: no "-0,00"
    return text.translate(_SWAP)


def integer(value: Any, *, signed: bool = False, reason: str | None = None) -> str:
    """A whole number with a thousands dot.

    >>> integer(3255), integer(1e6), integer(-12.6)
    ('3.255', '1.000.000', '-13')
    """
    return number(value, 0, signed=signed, reason=reason)


def year(value: Any) -> str:
    """A year, without a thousands dot.

    >>> year(2024), year(2024.0), year(None)
    ('2024', '2024', '–')
    """
    return MISSING if is_missing(value) else str(int(value))


def score(value: Any, digits: int = 2, *, reason: str | None = None) -> str:
    """An axis or sub-score: always signed, two decimals.

    >>> score(0.3456), score(-1.2), score(0.0)
    ('+0,35', '-1,20', '0,00')
    """
    return number(value, digits, signed=True, reason=reason)


def percent(value: Any, digits: int = 0, *, fraction: bool = True, signed: bool = False,
            reason: str | None = None) -> str:
    """A percentage; ``fraction=True`` reads 0.25 as 25 %, ``False`` reads 25 as 25 %.

    >>> percent(0.25), percent(12.345, 1, fraction=False), percent(None)
    ('25%', '12,3%', '–')
    """
    if is_missing(value):
        return missing_text(reason)
    return number(float(value) * (100 if fraction else 1), digits, signed=signed) + "%"


def percent_floor(value: Any, digits: int = 1, *, reason: str | None = None) -> str:
    """A share (0 … 1) as a percentage rounded **down**, for shares of draws: 1009 of 1010 is
    "99,9%", never "100%"; only a share of exactly 1 shows as 100%.

    >>> percent_floor(1009 / 1010), percent_floor(1.0), percent_floor(0.25, 0), percent_floor(None)
    ('99,9%', '100,0%', '25%', '–')
    """
    if is_missing(value):
        return missing_text(reason)
    scale = 10 ** max(digits, 0)
    # The small guard keeps 0.999 (stored as 0.99899…) from flooring to 99,8%.
    floored = math.floor(float(value) * 100 * scale + 1e-7) / scale
    return number(floored, digits) + "%"


def compact(value: Any, significant: int = 6, *, signed: bool = False, reason: str | None = None) -> str:
    """At most ``significant`` significant digits, trailing zeros dropped, never an exponent.

    For thresholds and class bounds: "0,5", "30", "312.457".

    >>> compact(30.0), compact(-0.25, signed=True), compact(0.0001234, 3), compact(2.0, signed=True)
    ('30', '-0,25', '0,000123', '+2')
    """
    if is_missing(value):
        return missing_text(reason)
    x = float(value)
    if math.isinf(x) or x == 0:
        return number(x, 0)
    digits = max(0, significant - 1 - math.floor(math.log10(abs(x))))
    text = number(x, digits, signed=signed)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text if text.strip("+-") != "0" else "0"


def measure(value: Any, eenheid: str | None = "", *, reason: str | None = None) -> str:
    """An indicator value at its unit's precision: whole numbers for counts, euros and values from
    1.000, one decimal from 10, else two.

    >>> measure(3255.0, "aantal"), measure(42.31, "%"), measure(0.123), measure(None, reason="geheim")
    ('3.255', '42,3', '0,12', '– (geheim)')
    """
    if is_missing(value):
        return missing_text(reason)
    size = abs(float(value))
    digits = 0 if eenheid in ("aantal", "euro") or size >= 1000 else (1 if size >= 10 else 2)
    return number(value, digits)


def amount(value: Any, eenheid: str = "woningen") -> str:
    """A target or planned amount: a percentage with one decimal, otherwise a whole number.

    >>> amount(1250.0), amount(30.26, "%")
    ('1.250', '30,3%')
    """
    return percent(value, 1, fraction=False) if eenheid == "%" else integer(value)


def parse(text: str) -> float:
    """Read a number written by this module back (NaN for the en dash).

    >>> parse("1.234,5"), parse("+0,25"), parse("12,5%"), parse("–")
    (1234.5, 0.25, 12.5, nan)
    """
    text = text.strip()
    if text.startswith(MISSING):
        return float("nan")
    return float(text.rstrip("%").replace(".", "").replace(",", ".").replace("−", "-"))


Formatter = Callable[[Any], str]


def _default_formatter(series: pd.Series) -> Formatter:
    if str(series.name).lower() in YEAR_COLUMNS:
        return year
    if pd.api.types.is_bool_dtype(series):
        return lambda v: MISSING if is_missing(v) else ("ja" if v else "nee")
    if pd.api.types.is_integer_dtype(series):
        return integer
    if pd.api.types.is_float_dtype(series):
        whole = series.dropna()
        return integer if len(whole) and bool((whole == whole.round()).all()) and whole.abs().max() >= 1000 else number
    return lambda v: MISSING if is_missing(v) else (number(v) if isinstance(v, float) else str(v))


def formatters(df: pd.DataFrame, formats: Mapping[str, Formatter] | None = None) -> dict[str, Formatter]:
    """Per column the formatter: the given one, else one by dtype (integers, decimals, text)."""
    formats = dict(formats or {})
    return {c: formats.get(c) or _default_formatter(df[c]) for c in df.columns}


def format_frame(df: pd.DataFrame, formats: Mapping[str, Formatter] | None = None) -> pd.DataFrame:
    """A copy of ``df`` with every cell as Dutch display text (no ``None``, ``nan`` or "-0,00").

    >>> format_frame(pd.DataFrame({"n": [3255, 12], "x": [0.5, None], "jaar": [2024, 2022]})).to_dict("list")
    {'n': ['3.255', '12'], 'x': ['0,50', '–'], 'jaar': ['2024', '2022']}
    >>> format_frame(pd.DataFrame({"s": [0.1, -0.0001]}), {"s": score})["s"].tolist()
    ['+0,10', '0,00']
    """
    out = pd.DataFrame(index=df.index)
    for col, fmt in formatters(df, formats).items():
        out[col] = [fmt(v) for v in df[col]]
    return out


def styled(df: pd.DataFrame, formats: Mapping[str, Formatter] | None = None):
    """A pandas ``Styler`` that shows Dutch text but keeps the numbers (so sorting stays numeric).

    >>> styled(pd.DataFrame({"n": [3255]})).data["n"].tolist()
    [3255]
    """
    styler = df.style
    for col, fmt in formatters(df, formats).items():
        styler = styler.format(fmt, subset=[col])
    return styler

