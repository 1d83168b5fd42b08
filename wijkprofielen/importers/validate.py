"""The checks every reader passes its values through, so bad input never becomes a wrong number.

- :func:`parse_numbers`: one column of raw cells to floats. CBS missing codes become missing
  with their reason; ``inf``, ``1e400`` and text are refused; thousands separators are decided
  per column from the whole column and its meaning (see :func:`parse_numbers`).
- :func:`check_range`: the ``min``/``max`` of the indicator catalogue; out-of-range values are
  refused, or kept as missing with a reason when the caller chose ``bij_afwijking="ontbrekend"``.
- :func:`check_year` / :func:`parse_years`: one year rule (a whole year from 1990 to 2100).
- :func:`normalize_codes`: upper case, no spaces, before any filtering on ``BU``/``WK``.
- :func:`dropped`: the message for rows a reader leaves out, with the reason.
- :func:`check_no_conflict`: two files for the same source and year must agree.

Messages are Dutch, name the file, the column and the rows, and say how to fix it. Numbers
and raw cells in messages are shortened (:func:`getal`, :func:`kort`).
"""

from __future__ import annotations

import math
import re
from numbers import Real

import numpy as np
import pandas as pd

from .. import indicators
from ..dataset import MISSING_CODES
from ..errors import DataError

YEAR_MIN, YEAR_MAX = 1990, 2100
WEIGEREN, ONTBREKEND = "weigeren", "ontbrekend"
BIJ_AFWIJKING = (WEIGEREN, ONTBREKEND)
# No figure per buurt is this large; beyond it a cell is a typing or export error.
MAX_ABS = 1e12
BUITEN_BEREIK = "buiten bereik"

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_INT = re.compile(r"^[+-]?\d+$")
_GROUPED = {".": re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+$"), ",": re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+$")}
_DECIMAL = {".": re.compile(r"^[+-]?(?:\d+\.\d*|\.\d+)$"), ",": re.compile(r"^[+-]?(?:\d+,\d*|,\d+)$")}
_FULL = {".": re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+\.\d+$"), ",": re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+,\d+$")}  # key: decimal mark
_SCIENTIFIC = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)[eE][+-]?\d+$")
_NONFINITE = re.compile(r"^[+-]?(?:inf|infinity|nan)$", re.IGNORECASE)
_OTHER = {".": ",", ",": "."}
# Token kinds, tested in this order: a grouped token is ambiguous until the column decides.
_KINDS = [("int", _INT), ("grouped.", _GROUPED["."]), ("grouped,", _GROUPED[","]), ("full.", _FULL["."]), ("full,", _FULL[","]),
          ("dec.", _DECIMAL["."]), ("dec,", _DECIMAL[","]), ("sci", _SCIENTIFIC)]


def kort(value, n: int = 24, quote: bool = True) -> str:
    """A raw cell for a message: quoted, at most ``n`` characters."""
    text = str(value)
    text = text if len(text) <= n else text[: n - 1] + "…"
    return repr(text) if quote else text


def getal(x: float) -> str:
    """A number for a message: short, Dutch decimal comma, never hundreds of digits.

    Examples
    --------
    >>> getal(6.96), getal(250.0), getal(1e300), getal(-0.5)
    ('6,96', '250', '1e+300', '-0,5')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "leeg"
    if isinstance(x, float) and math.isinf(x):
        return "oneindig" if x > 0 else "min oneindig"
    return f"{x:.6g}".replace(".", ",")


def rijen(labels, waar: str = "rij", n: int = 5) -> str:
    """``rij 4`` or ``rijen 4, 7 en 9`` or ``rijen 4, 7, 9, 12, 15 (en 3 andere)``."""
    labels = list(labels)
    if len(labels) == 1:
        return f"{waar} {labels[0]}"
    meer = {"rij": "rijen", "object": "objecten", "record": "records", "cel": "cellen"}.get(waar, waar)
    shown = ", ".join(map(str, labels[:n]))
    if len(labels) <= n:
        shown = ", ".join(map(str, labels[: len(labels) - 1])) + f" en {labels[-1]}"
        return f"{meer} {shown}"
    return f"{meer} {shown} (en {len(labels) - n} andere)"


def check_bij_afwijking(value: str) -> str:
    if value not in BIJ_AFWIJKING:
        raise DataError(f"bij_afwijking = {kort(value)} is ongeldig. Kies 'weigeren' (standaard) of 'ontbrekend'.")
    return value


# -- codes ------------------------------------------------------------------------------
def normalize_codes(codes: pd.Series) -> pd.Series:
    """Region codes as CBS writes them: upper case, without any spaces (``bu0796 0608`` → ``BU07960608``)."""
    text = codes.astype(object).where(codes.notna(), "").astype(str)
    return text.str.replace(_SPACES, "", regex=True).str.upper()


def dropped(bestand: str, labels, reden: str, waar: str = "rij") -> str:
    """The report line for rows a reader leaves out."""
    labels = list(labels)
    n = len(labels)
    return f"{bestand}: {n} {'rij' if n == 1 else 'rijen'} overgeslagen: {reden} ({rijen(labels, waar)})"


# -- years ------------------------------------------------------------------------------
def _year_or_none(value) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Real):
        x = float(value)
    else:
        text = _SPACES.sub("", str(value)).replace(",", ".")
        if not re.fullmatch(r"[+-]?\d+(?:\.0*)?", text):
            return None
        x = float(text)
    if not math.isfinite(x) or x != int(x) or not YEAR_MIN <= x <= YEAR_MAX:
        return None
    return int(x)


def check_year(value, bestand: str, waar: str = "het jaar") -> int:
    """A whole year from 1990 to 2100, or a Dutch message (``inf``, ``2024.7`` and ``99999`` are refused)."""
    year = _year_or_none(value)
    if year is None:
        raise DataError(
            f"{bestand}: {waar} {kort(value)} is geen geldig jaartal. "
            f"Gebruik een heel jaar van {YEAR_MIN} tot en met {YEAR_MAX}, bijvoorbeeld 2024."
        )
    return year


def parse_years(values: pd.Series, bestand: str, kolom: str = "jaar", waar: str = "rij") -> pd.Series:
    """A year column as ints; the first bad cell is named with its row."""
    years = values.map(_year_or_none)
    bad = years.isna()
    if bad.any():
        labels = list(values.index[bad.to_numpy()])
        raise DataError(
            f"{bestand}: kolom '{kolom}', {rijen(labels, waar)}: {kort(values[labels[0]])} is geen geldig jaartal. "
            f"Vul een heel jaar van {YEAR_MIN} tot en met {YEAR_MAX} in, bijvoorbeeld 2024."
        )
    return years.astype(int)


# -- numbers ----------------------------------------------------------------------------
def is_count(kolom: str) -> bool:
    """Whether the raw cells of a catalogue column are counts (whole numbers)."""
    info = indicators.info(kolom)
    return info.eenheid == "aantal" or bool(info.afgeleid)


def parse_numbers(values: pd.Series, bestand: str, kolom: str, geheel: bool = False, waar: str = "rij") -> tuple[pd.Series, pd.Series]:
    """Turn one column of raw cells into floats, keeping the reason of every CBS missing code.

    Cells may be text (CSV) or numbers (Excel, JSON, GIS attributes). Text is read with a
    decimal point or comma; a separator in groups of three (``6.960``, ``6,960``) is decided
    for the whole column:

    - the column shows the mark as decimal elsewhere (``12.5``, ``0.1274``), or the other mark
      as thousands separator (``1,234.5``): decimal;
    - the column shows it as thousands separator (``1.234,5``) or the other mark as decimal
      (``12,5``): thousands separator;
    - otherwise a count column (``geheel``; CBS StatLine writes no thousands separators, so the
      file was re-saved with grouping) reads it as thousands separator;
    - otherwise it is ambiguous and refused, naming the column and the rows.

    A count column refuses values that are not whole numbers. ``inf``, ``nan``, values that
    overflow (``1e400``) and values beyond ±10^12 are refused with their row.
    """
    where = f"{bestand}: kolom '{kolom}'"
    fast = _plain_column(values)
    if fast is not None:
        nums, reasons = fast
    else:
        nums, reasons = _parse_cells(values, where, geheel, waar)
    return _checked(values, nums, reasons, where, geheel, waar)


_PLAIN = re.compile(r"^-?(?:\d+|\d*\.\d+)$")


def _plain_column(values: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """The same result as the cell-by-cell parse, vectorised, for the columns that leave no choice:
    a numeric column, or text of plain numbers with a decimal point (and, where a value such as
    ``6.960`` could be grouped, another value showing the point as decimal). Else None."""
    if values.dtype.kind in "iuf":
        nums = values.to_numpy(dtype="float64", copy=True)
    elif values.dtype == object or isinstance(values.dtype, pd.StringDtype):
        present = values.notna().to_numpy()
        cells = values[present]
        if not all(isinstance(v, str) for v in cells.to_numpy(dtype=object)):
            return None
        text = cells.str.replace(_SPACES.pattern, "", regex=True)
        filled = (text != "").to_numpy()
        text = text[filled]
        if not text.str.fullmatch(_PLAIN.pattern).all():
            return None
        grouped = text.str.fullmatch(_GROUPED["."].pattern)
        if grouped.any() and not (text.str.contains(".", regex=False) & ~grouped).any():
            return None  # only '6.960'-like values: the decision needs the cell-by-cell parse
        nums = np.full(len(values), np.nan)
        idx = np.flatnonzero(present)[filled]
        nums[idx] = text.astype("float64").to_numpy()
        stripped = text.str.replace(r"\.0+$", "", regex=True)
        codes = stripped.map(MISSING_CODES).to_numpy(dtype=object)
        reasons = np.full(len(values), None, dtype=object)
        hit = pd.notna(codes)
        reasons[idx[hit]] = codes[hit]
        nums[idx[hit]] = np.nan
        return nums, reasons
    else:
        return None
    reasons = np.full(len(values), None, dtype=object)
    whole = np.isfinite(nums) & (nums == np.round(nums))
    for code, why in MISSING_CODES.items():
        if re.fullmatch(r"-?\d+", code):
            hit = whole & (nums == float(code))
            reasons[hit] = why
            nums[hit] = np.nan
    return nums, reasons


def _parse_cells(values: pd.Series, where: str, geheel: bool, waar: str) -> tuple[np.ndarray, np.ndarray]:
    nums = np.full(len(values), np.nan)
    reasons = np.full(len(values), None, dtype=object)
    tokens: dict[int, str] = {}
    for i, v in enumerate(values.to_numpy(dtype=object)):
        if v is None or v is pd.NA or v is pd.NaT:
            continue
        if isinstance(v, (bool, np.bool_)):
            _refuse(where, values.index[i], waar, v, "is geen getal (waar/onwaar)")
        if isinstance(v, Real):
            x = float(v)
            if math.isnan(x):
                continue  # an empty cell in a typed column
            code = MISSING_CODES.get(str(int(x))) if math.isfinite(x) and x == int(x) else None
            if code:
                reasons[i] = code
            else:
                nums[i] = x
            continue
        text = _SPACES.sub("", str(v))
        if not text:
            continue
        code = MISSING_CODES.get(re.sub(r"\.0+$", "", text))
        if code:
            reasons[i] = code
            continue
        tokens[i] = text
    if tokens:
        _parse_tokens(tokens, nums, values, where, geheel, waar)
    return nums, reasons


def _checked(values: pd.Series, nums: np.ndarray, reasons: np.ndarray, where: str, geheel: bool,
             waar: str) -> tuple[pd.Series, pd.Series]:
    bad = ~np.isfinite(nums) & ~np.isnan(nums)
    if bad.any():
        i = int(np.argmax(bad))
        labels = list(values.index[bad])
        raise DataError(
            f"{where}, {rijen(labels, waar)}: {kort(values.iloc[i])} is geen eindig getal (oneindig of te groot). "
            "Vul een gewoon getal in, laat de cel leeg, of gebruik een CBS-code als -99997 voor een ontbrekende waarde."
        )
    huge = np.abs(np.nan_to_num(nums)) > MAX_ABS
    if huge.any():
        labels = list(values.index[huge])
        raise DataError(
            f"{where}, {rijen(labels, waar)}: {getal(nums[huge][0])} is te groot voor een cijfer per buurt (grens ±{getal(MAX_ABS)}). "
            "Controleer de cel (een exportfout of een tikfout) en corrigeer die."
        )
    if geheel:
        frac = np.isfinite(nums) & (np.round(nums) != nums)
        if frac.any():
            labels = list(values.index[frac])
            raise DataError(
                f"{where} bevat aantallen, maar {rijen(labels, waar)} {'heeft' if len(labels) == 1 else 'hebben'} een gebroken getal "
                f"({kort(values.iloc[int(np.argmax(frac))])}). Controleer het scheidingsteken: CBS schrijft aantallen als hele getallen "
                "zonder scheidingsteken voor duizendtallen."
            )
    return pd.Series(nums, index=values.index, dtype="float64"), pd.Series(reasons, index=values.index, dtype=object)


def _refuse(where: str, label, waar: str, value, what: str) -> None:
    raise DataError(
        f"{where}, {waar} {label}: {kort(value)} {what}. "
        "Gebruik cijfers (decimaal met punt of komma), laat de cel leeg, of gebruik een CBS-code als -99997."
    )


def _parse_tokens(tokens: dict[int, str], nums: np.ndarray, values: pd.Series, where: str, geheel: bool, waar: str) -> None:
    kinds: dict[int, str] = {}
    for i, t in tokens.items():
        kind = next((k for k, pattern in _KINDS if pattern.match(t)), None)
        if kind is not None:
            kinds[i] = kind
        elif _NONFINITE.match(t):
            _refuse_nonfinite(where, values.index[i], waar, values.iloc[i])
        else:
            _refuse(where, values.index[i], waar, values.iloc[i], "is geen getal en geen CBS-code")
    # Evidence per mark: used as decimal mark, or as thousands separator.
    decimal = {m: [i for i, k in kinds.items() if k == f"dec{m}" or k == f"full{m}" or (k == "sci" and m in tokens[i])] for m in ".,"}
    thousands = {m: [i for i, k in kinds.items() if k == f"full{_OTHER[m]}"] for m in ".,"}
    for m in ".,":
        grouped = [i for i, k in kinds.items() if k == f"grouped{m}"]
        if not grouped:
            continue
        as_decimal = decimal[m] or thousands[_OTHER[m]]
        as_thousands = thousands[m] or decimal[_OTHER[m]]
        if as_decimal and as_thousands:
            mode = None
        elif as_decimal:
            mode = "decimal"
        elif as_thousands or geheel:
            mode = "thousands"
        else:
            mode = None
        if mode is None:
            labels = [values.index[i] for i in grouped]
            raise DataError(
                f"{where}: '{m}' is niet eenduidig in {rijen(labels, waar)} ({kort(values.iloc[grouped[0]])}): "
                f"het kan een scheidingsteken voor duizendtallen zijn of een decimaalteken. "
                "Sla het bestand op zonder scheidingstekens voor duizendtallen (CBS StatLine schrijft ze niet), "
                "met één decimaalteken voor de hele kolom."
            )
        for i in grouped:
            kinds[i] = "int" if mode == "thousands" else f"dec{m}"
            tokens[i] = tokens[i].replace(m, "") if mode == "thousands" else tokens[i]
    for i, k in kinds.items():
        t = tokens[i]
        if k.startswith("full"):
            mark = k[-1]
            t = t.replace(_OTHER[mark], "")
        t = t.replace(",", ".")
        with np.errstate(over="ignore"):
            nums[i] = float(t)


def _refuse_nonfinite(where: str, label, waar: str, value) -> None:
    raise DataError(
        f"{where}, {waar} {label}: {kort(value)} is geen eindig getal. "
        "Vul een gewoon getal in, laat de cel leeg, of gebruik een CBS-code als -99997 voor een ontbrekende waarde."
    )


# -- ranges -----------------------------------------------------------------------------
def check_range(nums: pd.Series, reasons: pd.Series, kolom: str, bestand: str, bronkolom: str,
                bij_afwijking: str = WEIGEREN, waar: str = "rij", toets: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """Apply the catalogue range of ``kolom``; return ``(nums, reasons)``.

    ``toets`` (default ``nums``) are the values tested: a share derived from rounded counts
    is tested at its most favourable rounding.
    """
    info = indicators.info(kolom)
    lo = -math.inf if info.min is None else info.min
    hi = math.inf if info.max is None else info.max
    values = nums.to_numpy(dtype="float64")
    tested = values if toets is None else toets.to_numpy(dtype="float64")
    out = (tested < lo) | (tested > hi)
    if not out.any():
        return nums, reasons
    bereik = _bereik(info)
    if check_bij_afwijking(bij_afwijking) == WEIGEREN:
        shown = list(nums.index[out])
        first = values[out][0]
        raise DataError(
            f"{bestand}: kolom '{bronkolom}' ({info.label}), {rijen(shown, waar)}: {getal(first)} ligt buiten het bereik {bereik}. "
            "Corrigeer de waarde(n) of laat de cel leeg. Wilt u toch importeren, kies dan 'afwijkende waarden als ontbrekend' "
            "(CLI: --bij-afwijking ontbrekend): de waarden worden dan ontbrekend, met de reden in het dekkingsrapport."
        )
    why = [f"{BUITEN_BEREIK} ({getal(v)}; {bereik})" for v in values[out]]
    reasons = reasons.copy().astype(object)
    reasons[out] = why
    return nums.mask(out), reasons


def _bereik(info) -> str:
    unit = f" {info.eenheid}" if info.eenheid in ("%", "aantal") else ""
    if info.min is not None and info.max is not None:
        return f"{getal(info.min)} tot en met {getal(info.max)}{unit}"
    if info.min is not None:
        return f"minstens {getal(info.min)}{unit}"
    return f"hoogstens {getal(info.max)}{unit}"


# -- two files of one source ------------------------------------------------------------
def check_no_conflict(kolom: str, jaar: int, old: pd.Series, new: pd.Series, old_file: str, new_file: str) -> None:
    """Refuse two files that give different values for the same indicator, year and buurt."""
    both = old.notna() & new.notna()
    differ = both & ~np.isclose(old.where(both, 0).to_numpy(float), new.where(both, 0).to_numpy(float), rtol=1e-9, atol=1e-9)
    if not differ.any():
        return
    codes = list(old.index[differ.to_numpy()])
    c = codes[0]
    more = f" (en {len(codes) - 1} andere buurten)" if len(codes) > 1 else ""
    raise DataError(
        f"{old_file} en {new_file} geven voor {jaar} verschillende waarden: {kolom} van {c} is {getal(old[c])} in {old_file} "
        f"en {getal(new[c])} in {new_file}{more}. Importeer één bestand per jaar; als een van beide een ander jaar is, "
        "geef dat jaar mee als BESTAND@JAAR."
    )


__all__ = [
    "BIJ_AFWIJKING", "BUITEN_BEREIK", "ONTBREKEND", "WEIGEREN", "YEAR_MAX", "YEAR_MIN", "check_bij_afwijking",
    "check_no_conflict", "check_range", "check_year", "dropped", "getal", "is_count", "kort", "normalize_codes",
    "parse_numbers", "parse_years", "rijen",
]
