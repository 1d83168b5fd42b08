"""Leefbaarometer 3.x buurtscores: long CSV ``bu_code, bu_naam, jaar, lbm, afw, fys, onv, soc, vrz, won``.

Dimensions exist only for 2014 and 2018 onwards; empty cells are missing values. Names are
spelled differently from CBS, so only the code is used for the join.
"""

from __future__ import annotations


import pandas as pd

from .. import indicators
from ..errors import DataError
from .invoer import Bronwaarden, check_columns, check_duplicates, numbers, open_input, read_table, sha256, values_frame

BRON = "Leefbaarometer 3.0 (BZK)"
LICENTIE = "open data, Ministerie van BZK"
REQUIRED = ["bu_code", "jaar", "lbm", "afw"]
# Leefbaarometer column -> catalogue column
COLUMNS = {i.lbm: i.kolom for i in indicators.catalogue().values() if i.lbm}


def read_leefbaarometer(src, gemeente: str, max_mb: float | None = None) -> Bronwaarden:
    """Read Leefbaarometer buurt scores over the years for the buurten of ``gemeente``."""
    inv = open_input(src, max_mb)
    df = read_table(inv, [], "Leefbaarometer-bestand")
    df.columns = [c.lower() for c in df.columns]
    check_columns(df, REQUIRED, inv.naam, "Leefbaarometer-bestand")
    df["bu_code"] = df["bu_code"].str.strip().str.upper()
    df = df[df["bu_code"].str.startswith(f"BU{gemeente[2:]}")]
    if df.empty:
        raise DataError(
            f"{inv.naam}: geen buurten van {gemeente} in kolom 'bu_code'. Kies het Leefbaarometer-bestand met de buurtscores van deze gemeente (of het landelijke bestand)."
        )
    jaar = pd.to_numeric(df["jaar"].str.strip(), errors="coerce")
    bad = jaar.isna() | (jaar < 1990) | (jaar > 2100)
    if bad.any():
        r = bad.idxmax()
        raise DataError(f"{inv.naam}: kolom 'jaar', rij {r}: {df.at[r, 'jaar']!r} is geen jaartal. Vul een jaar als 2024 in.")
    df["jaar"] = jaar.astype(int)
    check_duplicates((df["bu_code"] + " in " + df["jaar"].astype(str)).rename(None), inv.naam, "buurtcode")
    index = pd.Index(sorted(df["bu_code"].unique()), name="buurtcode")
    data, redenen, aanwezig = {}, {}, {}
    parsed = {c: numbers(df, c, inv.naam) for c in COLUMNS if c in df.columns}
    for j, rows in df.groupby("jaar").groups.items():
        aanwezig[int(j)] = df.loc[rows, "bu_code"].tolist()
        for lbm_col, (nums, _) in parsed.items():
            s = pd.Series(nums.loc[rows].to_numpy(), index=df.loc[rows, "bu_code"].to_numpy())
            if s.isna().all():
                continue  # dimensions are not published for every year
            data[(COLUMNS[lbm_col], int(j))] = s.reindex(index).to_numpy(dtype="float64")
    namen = dict(zip(df["bu_code"], df["bu_naam"])) if "bu_naam" in df.columns else {}
    return Bronwaarden(bron=BRON, bestand=inv.naam, sha256=sha256(inv), niveau="buurt", waarden=values_frame(data, index),
                       redenen=redenen, aanwezig=aanwezig, licentie=LICENTIE, namen=namen)
