"""Leefbaarometer 3.x buurtscores: long CSV ``bu_code, bu_naam, jaar, lbm, afw, fys, onv, soc, vrz, won``.

Dimensions exist only for 2014 and 2018 onwards; empty cells are missing values. Names are
spelled differently from CBS, so only the code is used for the join. The open-data zip and
the WFS GeoJSON are read through :mod:`.lbm_open` (the WFS has no ``lbm`` total).
"""

from __future__ import annotations

import pandas as pd

from .. import indicators
from ..dataset import BUURTCODE_PATTERN
from ..errors import DataError
from .invoer import Bronwaarden, check_columns, check_duplicates, numbers, read_table, sha256, values_frame
from .lbm_open import open_source
from .validate import WEIGEREN, check_range, dropped, kort, normalize_codes, parse_years

BRON = "Leefbaarometer 3.0 (BZK)"
LICENTIE = "open data, Ministerie van BZK"
REQUIRED = ["bu_code", "jaar"]
# Leefbaarometer column -> catalogue column
COLUMNS = {i.lbm: i.kolom for i in indicators.catalogue().values() if i.lbm}


def read_leefbaarometer(src, gemeente: str | None, max_mb: float | None = None, bij_afwijking: str = WEIGEREN) -> Bronwaarden:
    """Read Leefbaarometer buurt scores over the years for the buurten of ``gemeente`` (None: all).

    ``src`` is the long CSV, the open-data zip that holds it, or a WFS GeoJSON answer.
    """
    inv = open_source(src, max_mb, gemeente)
    df = read_table(inv, [], "Leefbaarometer-bestand", volledig=True)
    df.columns = [c.lower() for c in df.columns]
    check_columns(df, REQUIRED + [next((c for c in COLUMNS if c in df.columns), "lbm")], inv.naam, "Leefbaarometer-bestand")
    df["bu_code"] = normalize_codes(df["bu_code"])
    valid = df["bu_code"].str.match(BUURTCODE_PATTERN)
    suspect = df["bu_code"].str.startswith(f"BU{gemeente[2:]}" if gemeente else "BU") & ~valid
    if suspect.any():
        r = df.index[suspect.to_numpy()][0]
        raise DataError(
            f"{inv.naam}: kolom 'bu_code', rij {r}: {kort(df.at[r, 'bu_code'])} is geen geldige buurtcode. "
            "Een buurtcode is BU + 8 tekens, bijvoorbeeld BU07960101: corrigeer of verwijder de rij."
        )
    mine = valid & (df["bu_code"].str[2:6] == gemeente[2:]) if gemeente else valid
    meldingen = [dropped(inv.naam, df.index[~mine.to_numpy()], "geen buurt van " + (gemeente or "Nederland"))] if (~mine).any() else []
    df = df[mine.to_numpy()]
    if df.empty:
        raise DataError(
            f"{inv.naam}: geen buurten van {gemeente} in kolom 'bu_code'. Kies het Leefbaarometer-bestand met de buurtscores van deze gemeente (of het landelijke bestand)."
        )
    df["jaar"] = parse_years(df["jaar"], inv.naam)
    check_duplicates((df["bu_code"] + " in " + df["jaar"].astype(str)).rename(None), inv.naam, "buurtcode")
    index = pd.Index(sorted(df["bu_code"].unique()), name="buurtcode")
    data, redenen, aanwezig = {}, {}, {}
    parsed = {}
    for c, kolom in COLUMNS.items():
        if c in df.columns:
            nums, why = numbers(df, c, inv.naam, kolom=kolom)
            parsed[c] = check_range(nums, why, kolom, inv.naam, c, bij_afwijking)
    for j, rows in df.groupby("jaar").groups.items():
        aanwezig[int(j)] = df.loc[rows, "bu_code"].tolist()
        for lbm_col, (nums, why) in parsed.items():
            s = pd.Series(nums.loc[rows].to_numpy(), index=df.loc[rows, "bu_code"].to_numpy())
            if s.isna().all() and why.loc[rows].isna().all():
                continue  # dimensions are not published for every year
            data[(COLUMNS[lbm_col], int(j))] = s.reindex(index).to_numpy(dtype="float64")
            w = {c: r for c, r in zip(df.loc[rows, "bu_code"], why.loc[rows]) if isinstance(r, str) and r}
            if w:
                redenen[(COLUMNS[lbm_col], int(j))] = w
    namen = dict(zip(df["bu_code"], df["bu_naam"])) if "bu_naam" in df.columns else {}
    return Bronwaarden(bron=BRON, bestand=inv.naam, sha256=sha256(inv), niveau="buurt", waarden=values_frame(data, index),
                       redenen=redenen, aanwezig=aanwezig, licentie=LICENTIE, namen=namen, meldingen=meldingen)
