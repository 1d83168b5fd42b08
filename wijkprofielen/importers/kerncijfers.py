"""CBS Kerncijfers wijken en buurten (StatLine), as CSV or OData JSON.

Column keys carry a numeric suffix that changes every year (``InBezitWoningcorporatie_42``
in 2021 is ``_49`` in 2024), so columns are resolved by their *stem* against the
``cbs_stem`` entries of the indicator catalogue; some stems changed name too
(``GemiddeldeWoningwaarde`` before 2020 is ``GemiddeldeWOZWaardeVanWoningen``). Counts whose
catalogue entry says ``afgeleid`` become shares or rates of the same table's inhabitants or
households. A column from another table joined to a Kerncijfers file (the police's
``GeregistreerdeMisdrijven``) keeps its own source. Income figures describe an earlier year
than their table; where CBS states that year it is kept as the value's source year.
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
from .validate import WEIGEREN, check_range, check_year, dropped, kort, normalize_codes

BRON = "CBS Kerncijfers wijken en buurten"
LICENTIE = "CC-BY 4.0, CBS / Kadaster"
# StatLine table ids of the Kerncijfers wijken en buurten, per year.
TABLES = {
    "83765NED": 2017, "84286NED": 2018, "84583NED": 2019, "84799NED": 2020,
    "85039NED": 2021, "85318NED": 2022, "85618NED": 2023, "85984NED": 2024, "86165NED": 2025,
}
YEARS = {v: k for k, v in TABLES.items()}
ROUNDING = 2.5  # half the step of 5 to which CBS rounds counts
_SUFFIX = re.compile(r"_\d+$")
_TABLE = re.compile(r"(\d{5}NED)", re.IGNORECASE)
# The year the income figures of a table describe (CBS: income of the verslagjaar, published later).
INKOMEN_STEMS = ("GemiddeldInkomenPerInwoner", "HuishoudensMetEenLaagInkomen", "HuishOnderOfRondSociaalMinimum",
                 "k_40HuishoudensMetLaagsteInkomen", "k_20HuishoudensMetHoogsteInkomen")
VERSLAGJAAR_INKOMEN = {2017: 2014}
_DENOMINATORS = {"aandeel van inwoners": ("inwoners", 100.0), "per 1.000 inwoners": ("inwoners", 1000.0),
                 "aandeel van huishoudens": ("huishoudens", 100.0)}


# Column keys of a few tables as CBS publishes them: the evidence that a file holds the year
# it claims. Only keys whose suffix differs between tables tell years apart.
COLUMN_KEYS = {
    2017: ("AantalInwoners_5", "k_0Tot15Jaar_8", "k_25Tot45Jaar_10", "k_65JaarOfOuder_12", "HuishoudensTotaal_28",
           "HuishoudensMetKinderen_31", "GemiddeldeHuishoudensgrootte_32", "Bevolkingsdichtheid_33",
           "GemiddeldInkomenPerInwoner_66", "HuishOnderOfRondSociaalMinimum_73", "MateVanStedelijkheid_104"),
    2021: ("InBezitWoningcorporatie_42",),
    2024: ("AantalInwoners_5", "k_0Tot15Jaar_8", "k_15Tot25Jaar_9", "k_25Tot45Jaar_10", "k_45Tot65Jaar_11",
           "k_65JaarOfOuder_12", "HuishoudensTotaal_29", "HuishoudensMetKinderen_32", "GemiddeldeHuishoudensgrootte_33",
           "Bevolkingsdichtheid_34", "InBezitWoningcorporatie_49", "MateVanStedelijkheid_122"),
}


def stem(key: str) -> str:
    """``InBezitWoningcorporatie_49`` → ``InBezitWoningcorporatie``.

    Examples
    --------
    >>> stem("k_65JaarOfOuder_12"), stem("Codering_3")
    ('k_65JaarOfOuder', 'Codering')
    """
    return _SUFFIX.sub("", key.strip())


def _table_years(text: str) -> list[int]:
    return sorted({TABLES[t.upper()] for t in _TABLE.findall(text) if t.upper() in TABLES})


def table_year(naam: str, text: str = "") -> int | None:
    """The year from a StatLine table id in the file name or its first 2,000 characters."""
    for source in (naam, text[:2000]):
        years = _table_years(source)
        if years:
            return years[0]
    m = re.search(r"kwb[_-]?(\d{4})(?!\d)", naam, re.IGNORECASE)
    return int(m[1]) if m else None


def _label(jaar: int) -> str:
    return f"{jaar} ({YEARS[jaar]})" if jaar in YEARS else str(jaar)


def check_year_evidence(naam: str, text: str, columns, jaar: int | None) -> int:
    """The year of a Kerncijfers file, checked against every piece of evidence it carries.

    Sources: the year given by the user, table ids and ``kwb2024`` in the name, a table id in
    the content (an OData payload names its table), and the column keys (their numeric
    suffixes differ between tables). Any contradiction is refused with both sides named.
    """
    claims: list[tuple[int, str]] = []
    if jaar is not None:
        claims.append((check_year(jaar, naam), "opgegeven"))
    claims += [(y, f"tabelnummer {YEARS[y]} in de bestandsnaam") for y in _table_years(naam)]
    m = re.search(r"kwb[_-]?(\d{4})(?!\d)", naam, re.IGNORECASE)
    if m:
        claims.append((check_year(m[1], naam, "het jaar in de bestandsnaam"), f"'kwb{m[1]}' in de bestandsnaam"))
    claims += [(y, f"tabelnummer {YEARS[y]} in het bestand") for y in _table_years(text[:2000])]
    if not claims:
        raise DataError(
            f"{naam}: het jaar is niet te bepalen (geen CBS-tabelnummer zoals 85984NED in naam of inhoud). "
            f"Geef het jaar mee als {naam}@2024."
        )
    year, why = claims[0]
    for other, other_why in claims[1:]:
        if other != year:
            raise DataError(
                f"{naam}: het jaar is tegenstrijdig: {_label(year)} ({why}) en {_label(other)} ({other_why}). "
                f"Controleer welk jaar de tabel echt is en hernoem het bestand, of geef het juiste jaar mee als {naam}@JAAR."
            )
    keys = {stem(c): str(c).strip() for c in columns}
    wrong = [(keys[stem(k)], k) for k in COLUMN_KEYS.get(year, ()) if stem(k) in keys and keys[stem(k)] != k]
    fits = [y for y, ks in COLUMN_KEYS.items()
            if y != year and any(keys.get(stem(k)) == k and k not in COLUMN_KEYS.get(year, ()) for k in ks)]
    if wrong or (year not in COLUMN_KEYS and fits and _fits_fully(keys, fits[0])):
        hint = f" De kolommen passen bij {_label(fits[0])}." if fits else ""
        detail = f": {wrong[0][0]} heet in {_label(year)} {wrong[0][1]}" if wrong else ""
        raise DataError(
            f"{naam}: de kolommen passen niet bij {_label(year)} ({why}){detail}.{hint} "
            f"Geef het juiste jaar mee als {naam}@{fits[0] if fits else 'JAAR'}, of kies het bestand van {year}."
        )
    return year


def _fits_fully(keys: dict[str, str], year: int) -> bool:
    """Whether every column a known table shares with the file has that table's key (at least two)."""
    shared = [k for k in COLUMN_KEYS[year] if stem(k) in keys]
    distinctive = [k for k in shared if any(stem(k) == stem(o) and k != o for y, ks in COLUMN_KEYS.items() for o in ks)]
    return len(distinctive) >= 2 and all(keys[stem(k)] == k for k in shared)


def _odata_frame(inv: Invoer, text: str) -> pd.DataFrame:
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        where = f" (regel {exc.lineno}, kolom {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise DataError(f"{inv.naam}: geen geldige JSON{where}. Download het OData-bestand opnieuw.") from None
    rows = raw.get("value") if isinstance(raw, dict) else None
    if rows is None and isinstance(raw, dict) and isinstance(raw.get("d"), dict):
        rows = raw["d"].get("results")
    if not isinstance(rows, list) or not rows or not all(isinstance(r, dict) for r in rows):
        raise DataError(f"{inv.naam}: geen OData-rijen gevonden (verwacht een lijst van records onder 'value'). Gebruik de TypedDataSet van de CBS-tabel.")
    if isinstance(raw, dict) and any(k in raw for k in ("odata.nextLink", "@odata.nextLink", "__next")):
        raise DataError(
            f"{inv.naam}: dit is alleen de eerste pagina van de OData-tabel (er staat een verwijzing naar de volgende pagina in). "
            "Download de tabel volledig, bijvoorbeeld met 'wijkprofielen download' of als CSV van StatLine."
        )
    df = pd.DataFrame(rows).astype(object)
    df = df.where(df.notna(), None)
    df.columns = [str(c) for c in df.columns]
    df.index = pd.RangeIndex(1, len(df) + 1)  # OData: the n-th record
    return df


def read_kerncijfers(src, gemeente: str | None, jaar: int | None = None, max_mb: float | None = None,
                     bij_afwijking: str = WEIGEREN) -> Bronwaarden:
    """Read a Kerncijfers table and keep the buurten of ``gemeente``.

    Parameters
    ----------
    src : path or Invoer
        StatLine CSV (``,`` or ``;``) or OData JSON (``{"value": [...]}``).
    gemeente : str or None
        ``GM`` + 4 digits; None keeps the buurten of every gemeente (national reference).
    jaar : int, optional
        The year; default from the table id (``85984NED`` = 2024) or ``kwb2024`` in the name.
        It must agree with the table id in the content and with the column keys.
    bij_afwijking : {"weigeren", "ontbrekend"}
        Values outside the catalogue range: refuse the file, or keep them as missing.
    """
    inv = open_input(src, max_mb)
    text, _ = decode(inv, "Kerncijfers-bestand")
    if inv.suffix == ".json" or text.lstrip().startswith(("{", "[")):
        df = _odata_frame(inv, text)
        where = "record"
    else:
        df = read_table(inv, [], "Kerncijfers-bestand", volledig=True)
        where = "rij"
    jaar = check_year_evidence(inv.naam, text, df.columns, jaar)
    by_stem: dict[str, str] = {}
    for c in df.columns:
        by_stem.setdefault(stem(c), c)
    code_col = by_stem.get("Codering") or by_stem.get("WijkenEnBuurten")
    if code_col is None:
        raise DataError(
            f"{inv.naam}: kolom 'WijkenEnBuurten' of 'Codering' ontbreekt (gevonden: {', '.join(map(str, df.columns[:6]))}). "
            "Gebruik een Kerncijfers-tabel van CBS StatLine met de regiocodes; een ander scheidingsteken dan komma of puntkomma wordt niet herkend."
        )
    codes = normalize_codes(df[code_col])
    gm = gemeente[2:] if gemeente else None
    valid = codes.str.match(BUURTCODE_PATTERN)
    suspect = codes.str.startswith(f"BU{gm}" if gm else "BU") & ~valid
    if suspect.any():
        r = codes.index[suspect.to_numpy()][0]
        raise DataError(
            f"{inv.naam}: kolom '{code_col}', {where} {r}: {kort(df.at[r, code_col])} is geen geldige buurtcode. "
            "Een buurtcode is BU + 8 tekens, bijvoorbeeld BU07960101: corrigeer of verwijder de rij."
        )
    keep = valid & (codes.str[2:6] == gm) if gm else valid
    meldingen = []
    not_buurt = ~codes.str.startswith("BU")
    if not_buurt.any():
        meldingen.append(dropped(inv.naam, codes.index[not_buurt.to_numpy()], "geen buurt (wijk, gemeente, land of zonder code)", where))
    other = valid & ~keep
    if other.any():
        meldingen.append(dropped(inv.naam, codes.index[other.to_numpy()], "buurten van andere gemeenten", where))
    if not keep.any():
        others = sorted({c[2:6] for c in codes[valid]})
        found = f" (wel van GM{', GM'.join(others[:5])})" if others else ""
        raise DataError(
            f"{inv.naam}: geen buurtrijen van {gemeente} in kolom '{code_col}'{found}. "
            f"Kies het bestand van {gemeente}, of de landelijke tabel, of importeer voor de juiste gemeente."
        )
    df = df[keep.to_numpy()]
    codes = codes[keep.to_numpy()]
    check_duplicates(codes.rename(None), inv.naam)
    gemeentenaam = None
    if "Gemeentenaam" in by_stem and len(df):
        names = df[by_stem["Gemeentenaam"]].astype(str).str.strip()
        gemeentenaam = names.mode().iat[0] if len(names.mode()) else None

    raw: dict[str, tuple[pd.Series, pd.Series, str]] = {}
    for info in indicators.catalogue().values():
        col = next((by_stem[s] for s in info.cbs_stemmen if s in by_stem), None)
        if col is None:
            continue
        nums, why = numbers(df, col, inv.naam, kolom=info.kolom, waar=where)
        raw[info.kolom] = (nums, why, col)
    if not raw:
        raise DataError(
            f"{inv.naam}: geen bekende Kerncijfers-kolommen gevonden (bijvoorbeeld AantalInwoners_5). "
            "Controleer of dit een Kerncijfers-tabel is; de kolomnamen staan in wijkprofielen/indicatoren.toml (cbs_stem)."
        )
    index = pd.Index(codes.to_numpy(), name="buurtcode")
    data, redenen, bronnen, bronjaren = {}, {}, {}, {}
    for kolom, (nums, why, col) in raw.items():
        if indicators.info(kolom).bron != BRON:
            bronnen[kolom] = indicators.info(kolom).bron
        if stem(col) in INKOMEN_STEMS and jaar in VERSLAGJAAR_INKOMEN:
            bronjaren[(kolom, jaar)] = VERSLAGJAAR_INKOMEN[jaar]
        info = indicators.info(kolom)
        bronkolom = col
        if info.afgeleid:
            noemer, factor = _DENOMINATORS.get(info.afgeleid, (None, 1.0))
            if noemer not in raw:
                continue  # a count without its denominator cannot become a share
            denom, denom_why, denom_col = raw[noemer]
            count = nums
            with np.errstate(invalid="ignore", divide="ignore"):
                nums = pd.Series(np.where(denom > 0, count / denom * factor, np.nan), index=nums.index)
                # CBS rounds counts to multiples of 5: 10 households with children of 5 households is
                # possible; the range is tested at the most favourable rounding.
                low = (count - ROUNDING).clip(lower=0) / (denom + ROUNDING) * factor
                high = (count + ROUNDING) / (denom.where(denom > ROUNDING) - ROUNDING) * factor
            toets = nums.where(~(nums > (info.max if info.max is not None else np.inf)), low)
            toets = toets.where(~(nums < (info.min if info.min is not None else -np.inf)), high)
            why = why.copy()
            gap = nums.isna() & why.isna()
            why[gap & ~(denom > 0)] = f"niet te berekenen ({noemer} ontbreekt of is 0)"
            bronkolom = f"{col} / {denom_col}"
        else:
            toets = None
        nums, why = check_range(nums, why, kolom, inv.naam, bronkolom, bij_afwijking, where, toets)
        data[(kolom, jaar)] = nums.to_numpy()
        why_map = {c: r for c, r in zip(index, why.to_numpy()) if isinstance(r, str) and r}
        if why_map:
            redenen[(kolom, jaar)] = why_map
    return Bronwaarden(
        bron=BRON, bestand=inv.naam, sha256=sha256(inv), niveau="buurt", waarden=values_frame(data, index),
        redenen=redenen, aanwezig={jaar: list(index)}, licentie=LICENTIE, gemeentenaam=gemeentenaam, meldingen=meldingen,
        bronnen=bronnen, bronjaren=bronjaren,
    )


__all__ = ["read_kerncijfers", "stem", "table_year", "check_year_evidence", "TABLES", "YEARS", "year_from_name"]
