"""CBS Kerncijfers wijken en buurten (StatLine), as CSV or OData JSON.

Column keys carry a numeric suffix that changes every year (``InBezitWoningcorporatie_42``
in 2021 is ``_49`` in 2024), so columns are resolved by their *stem* against the
``cbs_stem`` entries of the indicator catalogue. Counts whose catalogue entry says
``afgeleid`` become shares or rates of the same table's inhabitants or households.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd

from .. import indicators
from ..dataset import BUURTCODE_PATTERN
from ..errors import DataError
from .invoer import Bronwaarden, Invoer, check_duplicates, decode, numbers, open_input, read_table, sha256, values_frame, year_from_name

BRON = "CBS Kerncijfers wijken en buurten"
LICENTIE = "CC-BY 4.0, CBS / Kadaster"
# StatLine table ids of the Kerncijfers wijken en buurten, per year.
TABLES = {
    "83765NED": 2017, "84286NED": 2018, "84583NED": 2019, "84799NED": 2020,
    "85039NED": 2021, "85318NED": 2022, "85618NED": 2023, "85984NED": 2024,
}
YEARS = {v: k for k, v in TABLES.items()}
_SUFFIX = re.compile(r"_\d+$")
_TABLE = re.compile(r"(\d{5}NED)", re.IGNORECASE)
_DENOMINATORS = {"aandeel van inwoners": ("inwoners", 100.0), "per 1.000 inwoners": ("inwoners", 1000.0),
                 "aandeel van huishoudens": ("huishoudens", 100.0)}


def stem(key: str) -> str:
    """``InBezitWoningcorporatie_49`` → ``InBezitWoningcorporatie``.

    Examples
    --------
    >>> stem("k_65JaarOfOuder_12"), stem("Codering_3")
    ('k_65JaarOfOuder', 'Codering')
    """
    return _SUFFIX.sub("", key.strip())


def table_year(naam: str, text: str = "") -> int | None:
    """The year from a StatLine table id in the file name or its first 2,000 characters."""
    for source in (naam, text[:2000]):
        for tid in _TABLE.findall(source):
            if tid.upper() in TABLES:
                return TABLES[tid.upper()]
    m = re.search(r"kwb[_-]?(\d{4})", naam, re.IGNORECASE)
    return int(m[1]) if m else None


def _odata_frame(inv: Invoer, text: str) -> pd.DataFrame:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"{inv.naam}: geen geldige JSON (regel {exc.lineno}, kolom {exc.colno}). Download het OData-bestand opnieuw.") from None
    rows = raw.get("value") if isinstance(raw, dict) else None
    if rows is None and isinstance(raw, dict) and isinstance(raw.get("d"), dict):
        rows = raw["d"].get("results")
    if not isinstance(rows, list) or not rows:
        raise DataError(f"{inv.naam}: geen OData-rijen gevonden (verwacht een lijst onder 'value'). Gebruik de TypedDataSet van de CBS-tabel.")
    df = pd.DataFrame(rows)
    df = df.astype(object).where(df.notna(), "").astype(str)
    df.index = pd.RangeIndex(1, len(df) + 1)  # OData: the n-th record
    return df


def read_kerncijfers(src, gemeente: str | None, jaar: int | None = None, max_mb: float | None = None) -> Bronwaarden:
    """Read a Kerncijfers table and keep the buurten of ``gemeente``.

    Parameters
    ----------
    src : path or Invoer
        StatLine CSV (``,`` or ``;``) or OData JSON (``{"value": [...]}``).
    gemeente : str or None
        ``GM`` + 4 digits; None keeps the buurten of every gemeente (national reference).
    jaar : int, optional
        The year; default from the table id (``85984NED`` = 2024) or ``kwb2024`` in the name.
    """
    inv = open_input(src, max_mb)
    text, _ = decode(inv, "Kerncijfers-bestand")
    if inv.suffix == ".json" or text.lstrip().startswith("{"):
        df = _odata_frame(inv, text)
        where = "record"
    else:
        df = read_table(inv, [], "Kerncijfers-bestand")
        where = "rij"
    jaar = jaar or table_year(inv.naam, text)
    if jaar is None:
        raise DataError(
            f"{inv.naam}: het jaar is niet te bepalen (geen CBS-tabelnummer zoals 85984NED in naam of inhoud). "
            f"Geef het jaar mee als {inv.naam}@2024."
        )
    by_stem: dict[str, str] = {}
    for c in df.columns:
        by_stem.setdefault(stem(c), c)
    code_col = by_stem.get("Codering") or by_stem.get("WijkenEnBuurten")
    if code_col is None:
        raise DataError(
            f"{inv.naam}: kolom 'WijkenEnBuurten' of 'Codering' ontbreekt (gevonden: {', '.join(df.columns[:6])}). "
            "Gebruik een Kerncijfers-tabel van CBS StatLine met de regiocodes; een ander scheidingsteken dan komma of puntkomma wordt niet herkend."
        )
    codes = df[code_col].str.strip()
    gm = gemeente[2:] if gemeente else r"\d{4}"
    keep = codes.str.match(rf"^BU{gm}[0-9A-Z]{{4}}$")
    if not keep.any():
        others = sorted({c[2:6] for c in codes if re.match(BUURTCODE_PATTERN, c)})
        found = f" (wel van GM{', GM'.join(others[:5])})" if others else ""
        raise DataError(
            f"{inv.naam}: geen buurtrijen van {gemeente} in kolom '{code_col}'{found}. "
            f"Kies het bestand van {gemeente}, of de landelijke tabel, of importeer voor de juiste gemeente."
        )
    df = df[keep]
    codes = codes[keep]
    check_duplicates(codes.rename(None), inv.naam)
    gemeentenaam = None
    if "Gemeentenaam" in by_stem:
        gemeentenaam = df[by_stem["Gemeentenaam"]].str.strip().mode().iat[0] if len(df) else None

    raw: dict[str, tuple[np.ndarray, pd.Series]] = {}
    for info in indicators.catalogue().values():
        col = by_stem.get(info.cbs_stem) if info.cbs_stem else None
        if col is None:
            continue
        nums, why = numbers(df, col, inv.naam)
        if where == "record":
            nums.index, why.index = df.index, df.index
        raw[info.kolom] = (nums.to_numpy(), why)
    if not raw:
        raise DataError(
            f"{inv.naam}: geen bekende Kerncijfers-kolommen gevonden (bijvoorbeeld AantalInwoners_5). "
            "Controleer of dit een Kerncijfers-tabel is; de kolomnamen staan in wijkprofielen/indicatoren.toml (cbs_stem)."
        )
    index = pd.Index(codes.to_numpy(), name="buurtcode")
    data, redenen = {}, {}
    for kolom, (values, why) in raw.items():
        info = indicators.info(kolom)
        reasons = dict(zip(index, why.to_numpy()))
        if info.afgeleid:
            noemer, factor = _DENOMINATORS.get(info.afgeleid, (None, 1.0))
            if noemer not in raw:
                continue  # a count without its denominator cannot become a share
            denom = raw[noemer][0]
            with np.errstate(invalid="ignore", divide="ignore"):
                values = np.where(denom > 0, values / denom * factor, np.nan)
            for code, v, d in zip(index, values, denom):
                if np.isnan(v) and not reasons.get(code):
                    reasons[code] = f"niet te berekenen ({noemer} ontbreekt of is 0)" if not (d > 0) else None
        data[(kolom, jaar)] = values
        why_map = {c: r for c, r in reasons.items() if isinstance(r, str) and r}
        if why_map:
            redenen[(kolom, jaar)] = why_map
    return Bronwaarden(
        bron=BRON, bestand=inv.naam, sha256=sha256(inv), niveau="buurt", waarden=values_frame(data, index),
        redenen=redenen, aanwezig={jaar: list(index)}, licentie=LICENTIE, gemeentenaam=gemeentenaam,
    )


__all__ = ["read_kerncijfers", "stem", "table_year", "TABLES", "YEARS", "year_from_name"]
