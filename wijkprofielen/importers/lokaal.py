"""Local spreadsheets (CSV or XLSX) keyed by buurtcode: plancapaciteit, corporatiebezit,
energy labels, renovation or demolition plans, overlast counts.

Column meanings come from a mapping (``[lokaal.kolommen]`` in config.toml, or the upload
form): ``{"kolom in bestand": {"kolom": "plancap_hard_pct", "eenheid": "...", "label": "..."}}``.
A column already named like a catalogue indicator needs no mapping; any other column becomes
an own indicator with its header as label. An optional ``jaar`` column gives values per year.
"""

from __future__ import annotations

import io
import re

import pandas as pd

from .. import indicators
from ..dataset import BUURTCODE_PATTERN, UNKNOWN_YEAR, IndicatorMeta
from ..errors import ConfigError, DataError
from ..options import check_mapping, snake
from .invoer import Bronwaarden, Invoer, check_duplicates, decode, numbers, open_input, read_table, sha256, values_frame

BRON = "Lokale gegevens"
# Sensitive registrations (catalogue ``gevoelig`` or mapping ``gevoelig = true``) in unit
# "aantal": counts from 1 to MIN_AANTAL - 1 are suppressed, so no household can be singled out.
MIN_AANTAL = 5
SUPPRESSED = f"onderdrukt: klein aantal (minder dan {MIN_AANTAL}) in een gevoelige registratie"
LICENTIE = "eigen gegevens"
IGNORED = {"buurtcode", "buurtnaam", "wijkcode", "wijknaam", "gemeentecode", "gemeentenaam", "jaar", "opmerking"}
TEMPLATE_COLUMNS = [
    "plancap_hard_pct", "plancap_zacht_pct", "plancap_potentieel_pct", "pct_corporatiebezit",
    "pct_label_efg", "pct_bouwjaar_1945_1975", "pct_sociale_huur", "overlast_per_1000",
]


def parse_mapping_text(text: str) -> dict[str, dict[str, str]]:
    """The column mapping typed on the upload form, one line per column.

    ``kolom in bestand = indicatorkolom``, optionally followed by ``; eenheid`` and ``; gevoelig``.

    Examples
    --------
    >>> parse_mapping_text("Harde plancapaciteit = plancap_hard_pct; %")
    {'Harde plancapaciteit': {'kolom': 'plancap_hard_pct', 'eenheid': '%'}}
    """
    out = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        src, sep, rest = line.partition("=")
        if not sep or not src.strip() or not rest.strip():
            raise DataError(
                f"Kolomkoppeling, regel {n}: {line.strip()!r} mist '='. Schrijf 'kolom in bestand = indicatorkolom' "
                "of 'kolom in bestand = indicatorkolom; eenheid'."
            )
        kolom, *extra = [part.strip() for part in rest.split(";")]
        spec: dict = {"kolom": kolom}
        if "gevoelig" in extra:
            spec["gevoelig"] = True
            extra.remove("gevoelig")
        if extra and extra[0]:
            spec["eenheid"] = extra[0]
        try:
            out.update(check_mapping({src.strip(): spec}, f"kolomkoppeling regel {n}"))
        except ConfigError as exc:
            raise DataError(str(exc).replace("Configuratie: ", "")) from None
    return out


def _frame(inv: Invoer) -> pd.DataFrame:
    if inv.suffix in (".xlsx", ".xlsm"):
        try:
            df = pd.read_excel(io.BytesIO(inv.data), dtype=str, header=None).fillna("")
        except Exception as exc:
            raise DataError(f"{inv.naam} kon niet als Excel-bestand worden gelezen ({type(exc).__name__}). Sla het op als .xlsx of als CSV (UTF-8).") from None
        if df.empty:
            raise DataError(f"{inv.naam} is leeg (rij 1 ontbreekt). Vul het sjabloon met een kopregel en één rij per buurt.")
        df.columns = [str(c).strip() for c in df.iloc[0]]
        df = df.iloc[1:]
        df.index = pd.RangeIndex(2, 2 + len(df))
        return df
    if inv.suffix in (".xls", ".ods"):
        raise DataError(f"{inv.naam}: het formaat {inv.suffix} wordt niet gelezen. Sla het op als .xlsx of CSV (UTF-8).")
    text, _ = decode(inv, "bestand met lokale gegevens")
    lines = text.splitlines()[:15]
    at = next((i for i, ln in enumerate(lines) if re.match(r'^\W*buurtcode\b', ln.strip(), re.IGNORECASE)), 0)
    if at > 0:
        _extra_header_rows(inv, at + 1)
    return read_table(inv, [], "bestand met lokale gegevens")


def _extra_header_rows(inv: Invoer, row: int) -> None:
    raise DataError(
        f"{inv.naam}: de kopregel staat op rij {row}, niet op rij 1. Verwijder de {row - 1} regel(s) boven de kopregel "
        "(titels, toelichting) zodat 'buurtcode' in rij 1 staat."
    )


def read_lokaal(src, gemeente: str, mapping: dict | None = None, jaar: int | None = None, max_mb: float | None = None) -> Bronwaarden:
    """Read a local spreadsheet of ``gemeente`` (one row per buurt, or per buurt and ``jaar``)."""
    inv = open_input(src, max_mb)
    mapping = check_mapping(mapping)
    df = _frame(inv)
    df.columns = [str(c).strip() for c in df.columns]
    lower = {c.lower(): c for c in df.columns}
    if "buurtcode" not in lower:
        for r, row in df.head(15).iterrows():
            if any(str(v).strip().lower() == "buurtcode" for v in row):
                _extra_header_rows(inv, r)
        from .invoer import check_columns

        check_columns(df, ["buurtcode"], inv.naam, "bestand met lokale gegevens")
    df = df.rename(columns={lower["buurtcode"]: "buurtcode", **({lower["jaar"]: "jaar"} if "jaar" in lower else {})})
    df = df[df["buurtcode"].astype(str).str.strip() != ""]
    if df.empty:
        raise DataError(f"{inv.naam}: geen rijen met een buurtcode onder de kopregel. Vul één rij per buurt in.")
    codes = df["buurtcode"].astype(str).str.strip().str.upper()
    bad = ~codes.str.match(BUURTCODE_PATTERN)
    if bad.any():
        r = bad.idxmax()
        raise DataError(f"{inv.naam}: kolom 'buurtcode', rij {r}: {codes[r]!r} is geen buurtcode. Gebruik BU + 8 tekens, bijvoorbeeld BU07960101.")
    other = codes.str[2:6] != gemeente[2:]
    if other.any():
        r = other.idxmax()
        raise DataError(
            f"{inv.naam}: kolom 'buurtcode', rij {r}: {codes[r]} hoort bij gemeente GM{codes[r][2:6]}, niet bij {gemeente}. "
            f"Verwijder die rij(en) of importeer voor GM{codes[r][2:6]}."
        )
    if "jaar" in df.columns:
        years = pd.to_numeric(df["jaar"].astype(str).str.strip(), errors="coerce")
        if years.isna().any():
            r = years.isna().idxmax()
            raise DataError(f"{inv.naam}: kolom 'jaar', rij {r}: {df.at[r, 'jaar']!r} is geen jaartal. Vul een jaar als 2024 in of laat de kolom weg.")
        years = years.astype(int)
    else:
        years = pd.Series(jaar or UNKNOWN_YEAR, index=df.index)
    check_duplicates((codes + (" in " + years.astype(str) if "jaar" in df.columns else "")).rename(None), inv.naam)
    value_cols = [c for c in df.columns if c.lower() not in IGNORED]
    if not value_cols:
        raise DataError(f"{inv.naam}: naast 'buurtcode' staan er geen kolommen met cijfers. Voeg kolommen toe, zoals in het sjabloon.")
    catalogue = indicators.catalogue()
    index = pd.Index(sorted(codes.unique()), name="buurtcode")
    data, redenen, metas, aanwezig = {}, {}, {}, {}
    for col in value_cols:
        spec = mapping.get(col, {})
        kolom = spec.get("kolom") or (col if col in catalogue else snake(col))
        nums, why = numbers(df, col, inv.naam)
        info = indicators.info(kolom)
        if (spec.get("gevoelig") or info.gevoelig) and spec.get("eenheid", info.eenheid) == "aantal":
            small = (nums > 0) & (nums < MIN_AANTAL)
            nums, why = nums.mask(small), why.mask(small, SUPPRESSED)
        if kolom not in catalogue or spec:
            base = indicators.info(kolom)
            metas[kolom] = IndicatorMeta(kolom=kolom, label=spec.get("label") or (base.label if kolom in catalogue else col),
                                         eenheid=spec.get("eenheid", base.eenheid), bron=f"{BRON} ({inv.naam})", licentie=LICENTIE)
        for j in sorted(years.unique()):
            rows = years.index[years == j]
            s = pd.Series(nums.loc[rows].to_numpy(), index=codes.loc[rows].to_numpy())
            data[(kolom, int(j))] = s.reindex(index).to_numpy(dtype="float64")
            w = {c: r for c, r in zip(codes.loc[rows], why.loc[rows]) if r}
            if w:
                redenen[(kolom, int(j))] = w
            aanwezig[int(j)] = codes.loc[rows].tolist()
    return Bronwaarden(bron=BRON, bestand=inv.naam, sha256=sha256(inv), niveau="buurt", waarden=values_frame(data, index),
                       redenen=redenen, aanwezig=aanwezig, licentie=LICENTIE, indicatoren=metas)


def template_csv(buurten: pd.DataFrame | None = None) -> str:
    """A CSV template: ``buurtcode``, ``buurtnaam`` and the usual local indicators.

    With ``buurten`` (``buurtcode``/``buurtnaam`` columns) every buurt gets an empty row.
    """
    cols = ["buurtcode", "buurtnaam", *TEMPLATE_COLUMNS]
    if buurten is None:
        rows = pd.DataFrame([{"buurtcode": "BU07960101", "buurtnaam": "Voorbeeldbuurt"}], columns=cols)
    else:
        rows = pd.DataFrame(buurten[["buurtcode", "buurtnaam"]].to_numpy(), columns=["buurtcode", "buurtnaam"]).reindex(columns=cols)
    return rows.to_csv(index=False)


def template_legend() -> list[dict[str, str]]:
    """What each template column means: column, label, unit."""
    return [{"kolom": c, "betekenis": indicators.info(c).label, "eenheid": indicators.info(c).eenheid} for c in TEMPLATE_COLUMNS]
