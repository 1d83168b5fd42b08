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
import warnings
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from .. import indicators
from ..dataset import BUURTCODE_PATTERN, UNKNOWN_YEAR, IndicatorMeta
from ..errors import ConfigError, DataError
from ..options import check_mapping, snake
from .invoer import Bronwaarden, Invoer, check_columns, check_duplicates, decode, open_input, read_table, sha256, values_frame
from .validate import WEIGEREN, check_range, check_year, dropped, kort, normalize_codes, parse_numbers, parse_years

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


def split_sheet(src):
    """``"plan.xlsx#Blad 2"`` → ``("plan.xlsx", "Blad 2")``; a path that exists is never split."""
    if isinstance(src, (str, Path)) and "#" in str(src) and not Path(src).exists():
        path, _, blad = str(src).rpartition("#")
        return path, blad
    return src, None


def _frame(inv: Invoer, blad: str | None = None) -> pd.DataFrame:
    if inv.suffix in (".xlsx", ".xlsm"):
        return _excel_frame(inv, blad)
    if inv.suffix in (".xls", ".ods"):
        raise DataError(f"{inv.naam}: het formaat {inv.suffix} wordt niet gelezen. Sla het op als .xlsx of CSV (UTF-8).")
    text, _ = decode(inv, "bestand met lokale gegevens")
    lines = text.splitlines()[:15]
    at = next((i for i, ln in enumerate(lines) if re.match(r'^\W*buurtcode\b', ln.strip(), re.IGNORECASE)), 0)
    if at > 0:
        _extra_header_rows(inv, at + 1)
    return read_table(inv, [], "bestand met lokale gegevens")


def _excel_frame(inv: Invoer, blad: str | None) -> pd.DataFrame:
    """The active visible sheet (or ``blad``), cells kept as typed values.

    Refuses formulas without a stored result and merged cells from the header down: both
    would silently become missing values.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            formulas = load_workbook(io.BytesIO(inv.data), data_only=False)
            values = load_workbook(io.BytesIO(inv.data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise DataError(f"{inv.naam} kon niet als Excel-bestand worden gelezen ({type(exc).__name__}). Sla het op als .xlsx of als CSV (UTF-8).") from None
    visible = [ws.title for ws in formulas.worksheets if ws.sheet_state == "visible"]
    if blad is not None:
        if blad not in formulas.sheetnames:
            raise DataError(f"{inv.naam}: blad '{blad}' bestaat niet. Kies een van de bladen: {', '.join(visible or formulas.sheetnames)}.")
        name = blad
    else:
        active = formulas.active
        name = active.title if active is not None and active.sheet_state == "visible" else (visible[0] if visible else None)
        if name is None:
            raise DataError(f"{inv.naam}: het bestand heeft geen zichtbaar blad. Maak het blad met de gegevens zichtbaar, of kies het met {inv.naam}#BLAD.")
    ws_f, ws_v = formulas[name], values[name]
    rows = [list(r) for r in ws_v.iter_rows(values_only=True)]
    rows = [r for r in rows if any(v is not None and str(v).strip() for v in r)] and rows
    if not rows or not any(v is not None and str(v).strip() for r in rows for v in r):
        raise DataError(f"{inv.naam}: blad '{name}' is leeg (rij 1 ontbreekt). Vul het sjabloon met een kopregel en één rij per buurt.")
    header_row = next((i + 1 for i, r in enumerate(rows[:15]) if any(str(v).strip().lower() == "buurtcode" for v in r if v is not None)), 1)
    for rng in sorted(ws_f.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if rng.max_row >= header_row:
            raise DataError(
                f"{inv.naam}: blad '{name}', cellen {rng.coord} zijn samengevoegd. Een samengevoegde cel geeft alleen de eerste cel een waarde; "
                "maak het samenvoegen ongedaan en vul elke rij en kolom zelf in."
            )
    for row in ws_f.iter_rows():
        for cell in row:
            if cell.data_type == "f" and ws_v[cell.coordinate].value is None:
                raise DataError(
                    f"{inv.naam}: blad '{name}', cel {cell.coordinate}: de formule {kort(cell.value, 40)} heeft geen opgeslagen uitkomst. "
                    "Open het bestand in Excel of LibreOffice en sla het opnieuw op (dan worden de uitkomsten bewaard), of plak de kolom als waarden."
                )
    width = max(len(r) for r in rows)
    rows = [r + [None] * (width - len(r)) for r in rows]
    header = ["" if v is None else str(v).strip() for v in rows[0]]
    df = pd.DataFrame(rows[1:], columns=header, dtype=object)
    df = df.where(df.notna(), None)
    df.index = pd.RangeIndex(2, 2 + len(df))
    df.attrs["blad"] = name
    df.attrs["bladen"] = [t for t in visible if t != name]
    return df


def _check_headers(df: pd.DataFrame, naam: str) -> pd.DataFrame:
    """Unnamed columns: dropped when empty, refused when they hold values; names must be unique."""
    unnamed = [c for c in df.columns if not c or c.startswith("Unnamed:")]
    for c in unnamed:
        col = df.loc[:, [c]].iloc[:, 0] if list(df.columns).count(c) == 1 else df.loc[:, c].bfill(axis=1).iloc[:, 0]
        if col.map(lambda v: v is not None and str(v).strip() != "").any():
            pos = list(df.columns).index(c)
            raise DataError(f"{naam}: kolom {pos + 1} heeft geen naam in de kopregel maar bevat wel waarden. Geef de kolom een naam of verwijder hem.")
    df = df.loc[:, [c for c in df.columns if c and not c.startswith("Unnamed:")]]
    dup = df.columns[df.columns.duplicated()]
    if len(dup):
        raise DataError(f"{naam}: kolom '{dup[0]}' staat meer dan eens in de kopregel. Geef elke kolom een eigen naam.")
    return df


def _extra_header_rows(inv: Invoer, row: int) -> None:
    raise DataError(
        f"{inv.naam}: de kopregel staat op rij {row}, niet op rij 1. Verwijder de {row - 1} regel(s) boven de kopregel "
        "(titels, toelichting) zodat 'buurtcode' in rij 1 staat."
    )


def read_lokaal(src, gemeente: str, mapping: dict | None = None, jaar: int | None = None, max_mb: float | None = None,
                bij_afwijking: str = WEIGEREN, blad: str | None = None) -> Bronwaarden:
    """Read a local spreadsheet of ``gemeente`` (one row per buurt, or per buurt and ``jaar``).

    An Excel file is read from its active visible sheet; ``blad`` (or ``bestand.xlsx#Blad``)
    chooses another. Values outside the catalogue range are refused, or kept as missing with
    ``bij_afwijking="ontbrekend"``.
    """
    src, blad_in_naam = split_sheet(src)
    inv = open_input(src, max_mb)
    mapping = check_mapping(mapping)
    if jaar is not None:
        jaar = check_year(jaar, inv.naam)
    df = _frame(inv, blad or blad_in_naam)
    df.columns = [str(c).strip() for c in df.columns]
    lower = {c.lower(): c for c in df.columns}
    if "buurtcode" not in lower:
        for r, row in df.head(15).iterrows():
            if any(str(v).strip().lower() == "buurtcode" for v in row if v is not None):
                _extra_header_rows(inv, r)
        if df.attrs.get("bladen"):
            raise DataError(
                f"{inv.naam}: blad '{df.attrs['blad']}' heeft geen kolom 'buurtcode' in rij 1. Andere bladen: "
                f"{', '.join(df.attrs['bladen'])}. Kies het blad met de gegevens als {inv.naam}#BLAD (CLI) of maak het actief en sla op."
            )
        check_columns(df, ["buurtcode"], inv.naam, "bestand met lokale gegevens")
    df = _check_headers(df, inv.naam)
    lower = {c.lower(): c for c in df.columns}
    df = df.rename(columns={lower["buurtcode"]: "buurtcode", **({lower["jaar"]: "jaar"} if "jaar" in lower else {})})
    codes = normalize_codes(df["buurtcode"])
    empty = codes == ""
    meldingen = [dropped(inv.naam, df.index[empty.to_numpy()], "geen buurtcode")] if empty.any() and (~empty).any() else []
    df, codes = df[~empty.to_numpy()], codes[~empty.to_numpy()]
    if df.empty:
        raise DataError(f"{inv.naam}: geen rijen met een buurtcode onder de kopregel. Vul één rij per buurt in.")
    bad = ~codes.str.match(BUURTCODE_PATTERN)
    if bad.any():
        r = bad.idxmax()
        raise DataError(f"{inv.naam}: kolom 'buurtcode', rij {r}: {kort(codes[r])} is geen buurtcode. Gebruik BU + 8 tekens, bijvoorbeeld BU07960101.")
    other = codes.str[2:6] != gemeente[2:]
    if other.any():
        r = other.idxmax()
        raise DataError(
            f"{inv.naam}: kolom 'buurtcode', rij {r}: {codes[r]} hoort bij gemeente GM{codes[r][2:6]}, niet bij {gemeente}. "
            f"Verwijder die rij(en) of importeer voor GM{codes[r][2:6]}."
        )
    if "jaar" in df.columns:
        years = parse_years(df["jaar"], inv.naam)
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
        info = indicators.info(kolom)
        eenheid = spec.get("eenheid", info.eenheid)
        nums, why = parse_numbers(df[col], inv.naam, col, geheel=eenheid == "aantal")
        if kolom in catalogue and eenheid == info.eenheid:
            nums, why = check_range(nums, why, kolom, inv.naam, col, bij_afwijking)
        if (spec.get("gevoelig") or info.gevoelig) and eenheid == "aantal":
            small = (nums > 0) & (nums < MIN_AANTAL)
            nums, why = nums.mask(small), why.mask(small, SUPPRESSED)
        if kolom not in catalogue or spec:
            base = indicators.info(kolom)
            metas[kolom] = IndicatorMeta(kolom=kolom, label=spec.get("label") or (base.label if kolom in catalogue else col),
                                         eenheid=eenheid, bron=f"{BRON} ({inv.naam})", licentie=LICENTIE)
        for j in sorted(years.unique()):
            rows = years.index[years == j]
            s = pd.Series(nums.loc[rows].to_numpy(), index=codes.loc[rows].to_numpy())
            data[(kolom, int(j))] = s.reindex(index).to_numpy(dtype="float64")
            w = {c: r for c, r in zip(codes.loc[rows], why.loc[rows]) if isinstance(r, str) and r}
            if w:
                redenen[(kolom, int(j))] = w
            aanwezig[int(j)] = codes.loc[rows].tolist()
    return Bronwaarden(bron=BRON, bestand=inv.naam, sha256=sha256(inv), niveau="buurt", waarden=values_frame(data, index),
                       redenen=redenen, aanwezig=aanwezig, licentie=LICENTIE, indicatoren=metas, meldingen=meldingen)


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
