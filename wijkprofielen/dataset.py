"""The dataset: buurt boundaries plus indicator values over years, with their metadata.

One :class:`Dataset` holds

* ``gebieden``: a GeoDataFrame, one row per buurt, with the code and name columns of
  :data:`ID_COLUMNS` and the geometry in EPSG:28992;
* ``waarden``: a float DataFrame indexed by buurtcode with ``(kolom, jaar)`` columns, so
  every indicator can carry several years (Leefbaarometer 2018 … 2024);
* ``indicatoren``: per indicator its label, unit, source, licence and level;
* ``redenen``: why a value is missing, e.g. ``"geheim (CBS -99997)"``;
* ``meta``: name, whether it is synthetic, the sources it was built from, the import rules
  used (``regels``) and the buurten whose boundaries changed per year (``grenswijzigingen``).

Which value a buurt shows at a peiljaar is decided once, in :meth:`Dataset.keuze`: the newest
year, except that a buurt's own figure beats a newer wijk figure when it is at most
``max_leeftijd_buurtcijfer`` years older. :meth:`Dataset.frame` (wide) and
:meth:`Dataset.waarden_lang` (long, with year, source year, level, source, reason and boundary
flag per value) both follow that choice.

On disk it is one GeoParquet file; the value columns are named ``kolom@jaar`` and the
metadata is stored as JSON in the Parquet schema metadata under ``wijkprofielen``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from . import indicators
from .domain import GRENS_DREMPEL, MAX_LEEFTIJD_BUURTCIJFER, MIN_INWONERS_RATE
from .errors import DataError
from .importers.opslag import atomic_write

CRS = "EPSG:28992"
ID_COLUMNS = ["buurtcode", "buurtnaam", "wijkcode", "wijknaam", "gemeentecode", "gemeentenaam"]
META_KEY = b"wijkprofielen"
FORMAT_VERSION = 1
UNKNOWN_YEAR = 0
# Optional second geometry column: coverage-simplified, EPSG:4326, for web maps.
WEB_GEOMETRY = "geometry_web"
WEB_CRS = "EPSG:4326"

# CBS codes for values that are not numbers (Kerncijfers toelichting).
MISSING_CODES: dict[str, str] = {
    "-99997": "geheim (CBS -99997)",
    "-99995": "niet beschikbaar (CBS -99995)",
    "-99991": "ontbreekt (CBS -99991)",
    ".": "ontbreekt (CBS '.')",
    # The legacy wijk- en buurtkaart shapefiles (before 2021) use eight-digit codes.
    "-99999999": "ontbreekt of geheim (CBS -99999999, oude buurtkaart)",
    "-99999997": "ontbreekt (CBS -99999997, oude buurtkaart)",
}

# BU + gemeente (4 digits) + wijk (2) + buurt (2); since 2022 wijk and buurt may hold
# capitals too (Amsterdam: BU0363TA06).
_BUURTCODE = re.compile(r"^BU\d{4}[0-9A-Z]{4}$")
BUURTCODE_PATTERN = _BUURTCODE.pattern
_VALUE_COLUMN = re.compile(r"^(?P<kolom>[A-Za-z_][A-Za-z0-9_]*)@(?P<jaar>\d{4})$")


@dataclass
class IndicatorMeta:
    """Metadata of one indicator in one dataset.

    ``niveau`` is ``"buurt"``, or ``"wijk"`` where a wijk figure was applied to its buurten.
    ``per_jaar`` overrides ``bron``/``niveau``/``licentie`` for single years (keys are the
    year as text), e.g. when 2017 comes from the buurt table and 2020 from a wijk table, and
    holds ``bronjaar`` where the figure describes an earlier year than its table (income in
    the Kerncijfers 2017 is that of 2014).
    """

    kolom: str
    label: str
    eenheid: str
    bron: str
    licentie: str = ""
    niveau: str = "buurt"
    per_jaar: dict[str, dict[str, str]] = field(default_factory=dict)

    def _in(self, attr: str, jaar: int | None) -> str:
        return self.per_jaar.get(str(jaar), {}).get(attr, getattr(self, attr))

    def niveau_in(self, jaar: int | None) -> str:
        """``"buurt"`` or ``"wijk"`` for the value of ``jaar``."""
        return self._in("niveau", jaar)

    def bron_in(self, jaar: int | None) -> str:
        """The source of the value of ``jaar``."""
        return self._in("bron", jaar)

    def bronjaar_in(self, jaar: int | None) -> int | None:
        """The year the value of ``jaar`` describes (its source year); ``jaar`` itself when not known otherwise."""
        raw = self.per_jaar.get(str(jaar), {}).get("bronjaar")
        return int(raw) if raw not in (None, "") else jaar

    @classmethod
    def from_catalogue(cls, kolom: str, **overrides: Any) -> "IndicatorMeta":
        i = indicators.info(kolom)
        return cls(kolom=kolom, label=i.label, eenheid=i.eenheid, bron=i.bron, **overrides)


@dataclass
class Dataset:
    """Buurten with indicator values over years. See the module docstring."""

    gebieden: gpd.GeoDataFrame
    waarden: pd.DataFrame
    indicatoren: dict[str, IndicatorMeta]
    redenen: dict[tuple[str, int], dict[str, str]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        validate(self)

    # -- description ---------------------------------------------------------------
    @property
    def naam(self) -> str:
        return self.meta.get("naam", "dataset")

    @property
    def synthetisch(self) -> bool:
        return bool(self.meta.get("synthetisch", False))

    @property
    def codes(self) -> list[str]:
        return self.gebieden["buurtcode"].tolist()

    @property
    def kolommen(self) -> list[str]:
        """Indicator columns, in order of first appearance."""
        return list(dict.fromkeys(self.waarden.columns.get_level_values(0)))

    def jaren(self, kolom: str | None = None) -> list[int]:
        """Years available for one indicator, or for any indicator."""
        cols = self.waarden.columns
        years = cols.get_level_values(1) if kolom is None else [j for k, j in cols if k == kolom]
        return sorted({int(j) for j in years if j != UNKNOWN_YEAR})

    # -- values ----------------------------------------------------------------------
    def peiljaren(self, jaar: int | None = None) -> dict[str, int]:
        """For each indicator, the latest year at or before ``jaar`` (all years if None)."""
        out = {}
        for kolom in self.kolommen:
            years = [j for k, j in self.waarden.columns if k == kolom]
            usable = [j for j in years if jaar is None or j <= jaar or j == UNKNOWN_YEAR]
            if usable:
                out[kolom] = max(usable)
        return out

    @property
    def regels(self) -> dict[str, float]:
        """The import rules of this dataset: ``max_leeftijd_buurtcijfer``, ``min_inwoners_rate``, ``grens_drempel``."""
        rules = {"max_leeftijd_buurtcijfer": MAX_LEEFTIJD_BUURTCIJFER, "min_inwoners_rate": MIN_INWONERS_RATE,
                 "grens_drempel": GRENS_DREMPEL}
        return {**rules, **(self.meta.get("regels") or {})}

    def grenswijziging(self, jaar: int) -> dict[str, float]:
        """Buurten whose boundaries in ``jaar`` differ from the reference year: code → relative change of area."""
        return {c: float(v) for c, v in (self.meta.get("grenswijzigingen") or {}).get(str(jaar), {}).items()}

    def keuze(self, jaar: int | None = None) -> dict[str, pd.Series]:
        """Per indicator, the year of the value each buurt shows at peiljaar ``jaar``.

        The newest year at or before ``jaar`` (:meth:`peiljaren`), except where that year holds
        a wijk figure: a buurt with its own figure at most ``max_leeftijd_buurtcijfer`` years
        older keeps its own figure.
        """
        peil = self.peiljaren(jaar)
        max_age = self.regels["max_leeftijd_buurtcijfer"]
        out = {}
        for kolom, p in peil.items():
            chosen = pd.Series(p, index=self.waarden.index, dtype="int64")
            meta = self.indicatoren.get(kolom)
            if meta is not None and p != UNKNOWN_YEAR and meta.niveau_in(p) == "wijk":
                own = [j for k, j in self.waarden.columns
                       if k == kolom and j != UNKNOWN_YEAR and j < p and p - j <= max_age and meta.niveau_in(j) == "buurt"]
                for j in sorted(own):  # the newest own figure wins
                    chosen[self.waarden[(kolom, j)].notna().to_numpy()] = j
            out[kolom] = chosen
        return out

    def frame_values(self, kolom: str, years: pd.Series) -> pd.Series:
        """The values of ``kolom`` in the year given per buurt (a series of :meth:`keuze`)."""
        first = int(years.iat[0]) if len(years) else UNKNOWN_YEAR
        if (years == first).all():
            return self.waarden[(kolom, first)]
        values = pd.Series(np.nan, index=self.waarden.index)
        for j in years.unique():
            at = (years == j).to_numpy()
            values[at] = self.waarden[(kolom, int(j))].to_numpy()[at]
        return values

    def frame(self, jaar: int | None = None) -> gpd.GeoDataFrame:
        """One row per buurt with each indicator's value as chosen by :meth:`keuze`.

        Returns a copy; indicators with no year at or before ``jaar`` are absent.
        """
        values = pd.DataFrame(
            {kolom: self.frame_values(kolom, years) for kolom, years in self.keuze(jaar).items()}, index=self.waarden.index
        )
        # The web geometry stays out: one geometry column keeps frames safe to export.
        out = self.gebieden.drop(columns=[WEB_GEOMETRY], errors="ignore").join(values, on="buurtcode")
        return gpd.GeoDataFrame(out, geometry="geometry", crs=self.gebieden.crs)

    @property
    def web_geometry(self) -> gpd.GeoSeries | None:
        """The imported coverage-simplified EPSG:4326 geometry by buurtcode, if any."""
        if WEB_GEOMETRY not in self.gebieden.columns:
            return None
        return gpd.GeoSeries(self.gebieden[WEB_GEOMETRY].to_numpy(), index=self.gebieden["buurtcode"].to_numpy(), crs=WEB_CRS)

    def reeks(self, kolom: str) -> pd.DataFrame:
        """Values of one indicator over the years: buurtcode × jaar."""
        sub = self.waarden.loc[:, [c for c in self.waarden.columns if c[0] == kolom]]
        sub.columns = [j for _, j in sub.columns]
        return sub

    def waarden_lang(self, jaar: int | None = None, codes: list[str] | None = None,
                     kolommen: list[str] | None = None) -> pd.DataFrame:
        """The values a buurt shows at peiljaar ``jaar``, one row per buurt and indicator.

        Columns: ``buurtcode``, ``kolom``, ``jaar`` (the dataset year of the value),
        ``bronjaar`` (the year it describes), ``waarde``, ``niveau`` (``buurt`` or ``wijk``),
        ``bron``, ``reden`` (why it is missing) and ``grenswijziging`` (relative change of the
        buurt's area in that year against the reference year; NaN when the boundaries were not
        found to differ).
        """
        keuze = self.keuze(jaar)
        codes = list(self.waarden.index) if codes is None else list(codes)
        rows = []
        for kolom in kolommen or list(keuze):
            if kolom not in keuze:
                continue
            meta = self.indicatoren[kolom]
            years = keuze[kolom].loc[codes]
            for code, j in years.items():
                j = int(j)
                value = self.waarden.at[code, (kolom, j)]
                rows.append({"buurtcode": code, "kolom": kolom, "jaar": j, "bronjaar": meta.bronjaar_in(j), "waarde": value,
                             "niveau": meta.niveau_in(j), "bron": meta.bron_in(j),
                             "reden": None if pd.notna(value) else self.redenen.get((kolom, j), {}).get(code),
                             "grenswijziging": self.grenswijziging(j).get(code, np.nan)})
        columns = ["buurtcode", "kolom", "jaar", "bronjaar", "waarde", "niveau", "bron", "reden", "grenswijziging"]
        return pd.DataFrame(rows, columns=columns)

    def reden(self, kolom: str, jaar: int, buurtcode: str) -> str | None:
        """Why a value is missing, or None when it is present or the reason is unknown."""
        value = self.waarden.get((kolom, jaar))
        if value is not None and pd.notna(value.get(buurtcode)):
            return None
        return self.redenen.get((kolom, jaar), {}).get(buurtcode)

    # -- identity ----------------------------------------------------------------------
    @cached_property
    def fingerprint(self) -> str:
        """A content hash (geometry, values, reasons), stable across save and load."""
        h = hashlib.sha256()
        g = self.gebieden.sort_values("buurtcode")
        h.update(pd.util.hash_pandas_object(g[ID_COLUMNS].astype(str), index=False).values.tobytes())
        for wkb in g.geometry.to_wkb():
            h.update(wkb if wkb is not None else b"")  # a CSV dataset has no geometry
        w = self.waarden.sort_index().sort_index(axis=1)
        h.update(json.dumps([f"{k}@{j}" for k, j in w.columns]).encode())
        h.update(np.ascontiguousarray(w.to_numpy(dtype="float64")).tobytes())
        h.update(json.dumps(_redenen_to_json(self.redenen), sort_keys=True).encode())
        return h.hexdigest()[:16]

    def subset(self, codes: list[str]) -> "Dataset":
        """A dataset with only the given buurten."""
        keep = self.gebieden["buurtcode"].isin(codes)
        gebieden = self.gebieden[keep].reset_index(drop=True)
        redenen = {k: {c: r for c, r in v.items() if c in set(codes)} for k, v in self.redenen.items()}
        return Dataset(gebieden, self.waarden.loc[gebieden["buurtcode"]], dict(self.indicatoren), redenen, dict(self.meta))


def validate(ds: Dataset) -> None:
    """Check the invariants of a :class:`Dataset`; raise :class:`DataError` otherwise."""
    g = ds.gebieden
    missing = [c for c in ID_COLUMNS if c not in g.columns]
    if missing:
        raise DataError(f"Dataset '{ds.naam}': kolommen {', '.join(missing)} ontbreken. Elke buurt heeft codes en namen nodig.")
    if g.crs is None or g.crs.to_epsg() != 28992:
        raise DataError(f"Dataset '{ds.naam}': geometrie moet in EPSG:28992 (RD New) staan, niet {g.crs}.")
    dup = g["buurtcode"][g["buurtcode"].duplicated()].tolist()
    if dup:
        raise DataError(f"Dataset '{ds.naam}': buurtcode(s) {', '.join(dup[:5])} komen dubbel voor. Elke buurt één rij.")
    if not ds.waarden.index.equals(pd.Index(g["buurtcode"])):
        raise DataError(f"Dataset '{ds.naam}': de waarden horen bij andere buurten dan de grenzen.")
    if not isinstance(ds.waarden.columns, pd.MultiIndex) and len(ds.waarden.columns):
        raise DataError(f"Dataset '{ds.naam}': waardenkolommen moeten (kolom, jaar) zijn.")
    for kolom in ds.kolommen:
        if kolom not in ds.indicatoren:
            ds.indicatoren[kolom] = IndicatorMeta.from_catalogue(kolom)


def empty_values(codes: list[str]) -> pd.DataFrame:
    """A value table with no indicators yet."""
    return pd.DataFrame(index=pd.Index(codes, name="buurtcode"), columns=pd.MultiIndex.from_tuples([], names=["kolom", "jaar"]), dtype="float64")


# --------------------------------------------------------------------------------------
# Missing-value codes
# --------------------------------------------------------------------------------------
def parse_cbs_values(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Turn a raw column into floats, keeping the reason of every CBS missing code.

    Returns ``(numbers, reasons)``: CBS codes (``-99997``, ``-99995``, ``-99991``, ``.``)
    and blanks become NaN; ``reasons`` holds the reason text where a code was given.
    Text that is neither a number nor a code raises :class:`DataError`.

    Examples
    --------
    >>> nums, why = parse_cbs_values(pd.Series(["12,5", "-99997", "."]))
    >>> nums.tolist()[0], why.tolist()[1:]
    (12.5, ['geheim (CBS -99997)', "ontbreekt (CBS '.')"])
    """
    text = values.astype("string").str.strip()
    # CBS CSV exports write codes as "-99997" or "-99997.0"; strip a trailing ".0".
    code_key = text.str.replace(r"\.0+$", "", regex=True)
    reasons = code_key.map(MISSING_CODES)
    is_code = reasons.notna()
    blank = text.isna() | (text == "")
    cleaned = text.where(~(is_code | blank))
    cleaned = cleaned.str.replace(" ", "", regex=False)
    # Dutch decimal comma, only when there is no dot as well.
    comma = cleaned.str.contains(",", regex=False, na=False) & ~cleaned.str.contains(".", regex=False, na=False)
    cleaned = cleaned.where(~comma, cleaned.str.replace(",", ".", regex=False))
    numbers = pd.to_numeric(cleaned, errors="coerce")
    bad = numbers.isna() & cleaned.notna()
    if bad.any():
        first = bad.idxmax()
        raise DataError(
            f"'{values.name}': waarde {values[first]!r} in rij {first} is geen getal en geen CBS-code. "
            "Gebruik cijfers (decimaal met punt of komma) of een CBS-code als -99997."
        )
    return numbers.astype("float64"), reasons.astype("object").where(is_code, None)


# --------------------------------------------------------------------------------------
# Reading and writing
# --------------------------------------------------------------------------------------
def _redenen_to_json(redenen: dict[tuple[str, int], dict[str, str]]) -> dict[str, dict[str, str]]:
    return {(k if j == UNKNOWN_YEAR else f"{k}@{j}"): dict(v) for (k, j), v in sorted(redenen.items()) if v}


def _split_value_column(name: str) -> tuple[str, int]:
    m = _VALUE_COLUMN.match(name)
    if m:
        return m["kolom"], int(m["jaar"])
    return name, UNKNOWN_YEAR


def save_dataset(ds: Dataset, path: str | os.PathLike) -> Path:
    """Write ``ds`` as GeoParquet, atomically: a failed write leaves any old file intact."""
    path = Path(path)
    flat = ds.gebieden.copy()
    values = ds.waarden.copy()
    # A value without a known year (UNKNOWN_YEAR) is stored under the plain column name.
    values.columns = [k if j == UNKNOWN_YEAR else f"{k}@{j}" for k, j in values.columns]
    flat = flat.join(values, on="buurtcode")
    meta = {
        "versie": FORMAT_VERSION,
        "meta": ds.meta,
        "indicatoren": {k: vars(m) for k, m in ds.indicatoren.items()},
        "redenen": _redenen_to_json(ds.redenen),
    }
    buf = io.BytesIO()
    gpd.GeoDataFrame(flat, geometry="geometry", crs=ds.gebieden.crs).to_parquet(buf, index=False)
    buf.seek(0)
    table = pq.read_table(buf)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), META_KEY: json.dumps(meta, ensure_ascii=False).encode()})
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(path, lambda tmp: pq.write_table(table, tmp))


def load_dataset(path: str | os.PathLike) -> Dataset:
    """Read a dataset file: GeoParquet (own format), GeoPackage, GeoJSON, or a plain CSV.

    A GeoPackage or GeoJSON needs the :data:`ID_COLUMNS` (missing wijk and gemeente codes
    are derived from the buurtcode) and numeric indicator columns, optionally named
    ``kolom@jaar``. A plain CSV has ``buurtcode`` plus indicator columns and no geometry;
    CBS missing codes in it are read as missing values with their reason.
    """
    path = Path(path)
    if not path.exists():
        raise DataError(f"Bestand {path} bestaat niet. Controleer het pad.")
    if path.is_dir():
        raise DataError(f"{path} is een map, geen bestand. Geef een GeoParquet-, GeoPackage-, GeoJSON- of CSV-bestand op.")
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".geoparquet"):
            return _load_parquet(path)
        if suffix in (".gpkg", ".geojson", ".json"):
            return _from_frame(gpd.read_file(path), path)
        if suffix == ".csv":
            return _load_csv(path)
    except DataError:
        raise
    except Exception as exc:  # a reader's own error: name the file, keep the cause short
        raise DataError(f"Bestand {path.name} kon niet worden gelezen ({type(exc).__name__}: {exc}). Is het een geldig {suffix[1:]}-bestand?") from exc
    raise DataError(f"Bestandstype '{suffix}' van {path.name} wordt niet ondersteund. Gebruik .parquet, .gpkg, .geojson of .csv.")


def _renamed_column(name: str) -> str:
    kolom, _, rest = name.partition("@")
    new = indicators.RENAMED.get(kolom)
    return name if new is None else new + ("@" + rest if rest else "")


def _renamed(meta: dict) -> dict:
    """Metadata of a dataset saved under former indicator names, with the current names."""
    meta = dict(meta)
    def current(kolom: str, fields: dict) -> dict:
        if kolom not in indicators.RENAMED:
            return fields
        info = indicators.info(indicators.RENAMED[kolom])
        return {**fields, "kolom": info.kolom, "label": info.label, "eenheid": info.eenheid}

    meta["indicatoren"] = {indicators.RENAMED.get(k, k): current(k, v) for k, v in meta.get("indicatoren", {}).items()}
    meta["redenen"] = {_renamed_column(k): v for k, v in meta.get("redenen", {}).items()}
    return meta


def _load_parquet(path: Path) -> Dataset:
    raw_meta = (pq.read_schema(path).metadata or {}).get(META_KEY)
    gdf = gpd.read_parquet(path)
    if raw_meta is None:
        return _from_frame(gdf, path)
    meta = _renamed(json.loads(raw_meta))
    gdf = gdf.rename(columns=lambda c: _renamed_column(str(c)))
    known = set(meta.get("indicatoren", {}))
    value_cols = [c for c in gdf.columns if _VALUE_COLUMN.match(c) or c in known]
    gebieden = gpd.GeoDataFrame(gdf.drop(columns=value_cols), geometry="geometry", crs=gdf.crs)
    if WEB_GEOMETRY in gebieden.columns:
        gebieden[WEB_GEOMETRY] = gpd.GeoSeries(gebieden[WEB_GEOMETRY], crs=WEB_CRS)
    waarden = gdf.set_index("buurtcode")[value_cols].astype("float64")
    waarden.columns = pd.MultiIndex.from_tuples([_split_value_column(c) for c in value_cols], names=["kolom", "jaar"])
    redenen = {_split_value_column(k): v for k, v in meta.get("redenen", {}).items()}
    inds = {k: IndicatorMeta(**v) for k, v in meta.get("indicatoren", {}).items()}
    return Dataset(gebieden, waarden, inds, redenen, meta.get("meta", {}))


def derive_codes(df: pd.DataFrame) -> pd.DataFrame:
    """Fill ``wijkcode``/``gemeentecode`` from the buurtcode where absent, names from codes."""
    df = df.copy()
    code = df["buurtcode"].astype(str)
    if "wijkcode" not in df:
        df["wijkcode"] = "WK" + code.str[2:8]
    if "gemeentecode" not in df:
        df["gemeentecode"] = "GM" + code.str[2:6]
    for naam, code_col in (("buurtnaam", "buurtcode"), ("wijknaam", "wijkcode"), ("gemeentenaam", "gemeentecode")):
        if naam not in df:
            df[naam] = df[code_col]
    return df


def _check_codes(codes: pd.Series, source: str) -> None:
    bad = codes[~codes.astype(str).str.match(_BUURTCODE)]
    if len(bad):
        raise DataError(
            f"{source}: buurtcode {bad.iloc[0]!r} (rij {bad.index[0] + 2}) heeft niet de vorm BU + 8 cijfers, bijvoorbeeld BU07960101."
        )


def _values_from_columns(df: pd.DataFrame, source: str) -> tuple[pd.DataFrame, dict]:
    value_cols = [c for c in df.columns if c not in ID_COLUMNS and c != "geometry"]
    codes = df["buurtcode"].astype(str).tolist()
    data, redenen = {}, {}
    for c in value_cols:
        kolom, jaar = _split_value_column(str(c))
        numbers, reasons = parse_cbs_values(df[c].rename(f"{source}: kolom {c}"))
        data[(kolom, jaar)] = numbers.to_numpy()
        why = {code: r for code, r in zip(codes, reasons) if r}
        if why:
            redenen[(kolom, jaar)] = why
    waarden = pd.DataFrame(data, index=pd.Index(codes, name="buurtcode"))
    if not data:
        waarden = empty_values(codes)
    waarden.columns = pd.MultiIndex.from_tuples(list(data), names=["kolom", "jaar"]) if data else waarden.columns
    return waarden, redenen


def _from_frame(gdf: gpd.GeoDataFrame, path: Path) -> Dataset:
    if "buurtcode" not in gdf.columns:
        raise DataError(f"{path.name}: kolom 'buurtcode' ontbreekt. Gebruik het importcommando voor CBS-bestanden (statcode, BU_CODE).")
    _check_codes(gdf["buurtcode"], path.name)
    if gdf.crs is None:
        raise DataError(f"{path.name}: het bestand heeft geen coördinatenstelsel (CRS). Sla het op met EPSG:28992 of EPSG:4326.")
    gdf = derive_codes(gdf).to_crs(CRS)
    attrs = [c for c in gdf.columns if c in ID_COLUMNS]
    other = gdf.drop(columns=attrs + ["geometry"])
    numeric = other.select_dtypes(include="number").columns.tolist() + [c for c in other.columns if _VALUE_COLUMN.match(str(c))]
    values_df = gdf[["buurtcode"] + list(dict.fromkeys(numeric))]
    waarden, redenen = _values_from_columns(values_df, path.name)
    gebieden = gpd.GeoDataFrame(gdf[ID_COLUMNS + ["geometry"]].reset_index(drop=True), geometry="geometry", crs=CRS)
    return Dataset(gebieden, waarden, {}, redenen, {"naam": path.stem, "synthetisch": False, "bronnen": [{"bestand": path.name}]})


def _load_csv(path: Path) -> Dataset:
    if not path.read_bytes().strip():
        raise DataError(f"{path.name} is leeg. Een CSV heeft een kopregel met 'buurtcode' en indicatorkolommen.")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=None, engine="python")
    except UnicodeDecodeError:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="cp1252", sep=None, engine="python")
    except pd.errors.EmptyDataError:
        raise DataError(f"{path.name} is leeg. Een CSV heeft een kopregel met 'buurtcode' en indicatorkolommen.") from None
    df.columns = [c.strip() for c in df.columns]
    if "buurtcode" not in df.columns:
        raise DataError(
            f"{path.name}: kolom 'buurtcode' ontbreekt (gevonden: {', '.join(df.columns[:6])}). "
            "Zet de buurtcodes in een kolom met de naam 'buurtcode'."
        )
    df["buurtcode"] = df["buurtcode"].str.strip()
    _check_codes(df["buurtcode"], path.name)
    dup = df["buurtcode"][df["buurtcode"].duplicated()]
    if len(dup):
        raise DataError(f"{path.name}: buurtcode {dup.iloc[0]} komt meer dan eens voor (rij {dup.index[0] + 2}). Eén rij per buurt.")
    df = derive_codes(df)
    waarden, redenen = _values_from_columns(df.drop(columns=[c for c in ID_COLUMNS if c != "buurtcode"]), path.name)
    gebieden = gpd.GeoDataFrame(df[ID_COLUMNS].reset_index(drop=True), geometry=gpd.GeoSeries([None] * len(df)), crs=CRS)
    return Dataset(gebieden, waarden, {}, redenen, {"naam": path.stem, "synthetisch": False, "zonder_geometrie": True, "bronnen": [{"bestand": path.name}]})
