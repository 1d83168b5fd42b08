"""Buurt boundaries: PDOK cbsgebiedsindelingen, PDOK wijkenbuurten (GeoPackage or WFS
GeoJSON) and the legacy wijk- en buurtkaart shapefiles. Everything ends in EPSG:28992.

Kerncijfers attributes that come with the boundaries (wijkenbuurten, shapefiles) are
returned as a second source, resolved through the ``wfs``/``shp`` names of the catalogue.
"""

from __future__ import annotations

import io
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from .. import indicators
from ..dataset import BUURTCODE_PATTERN, CRS, ID_COLUMNS, derive_codes, parse_cbs_values
from ..errors import DataError
from .invoer import Bronwaarden, Invoer, check_not_archive, open_input, sha256, values_frame, year_from_name

BRON = "CBS Wijk- en buurtkaart (PDOK)"
LICENTIE = "CC-BY 4.0, CBS / Kadaster"
SUFFIXES = (".geojson", ".json", ".gpkg", ".shp")
# Accepted names per ID column, compared case-insensitively.
ALIASES = {
    "buurtcode": ("buurtcode", "statcode", "bu_code"),
    "buurtnaam": ("buurtnaam", "statnaam", "bu_naam"),
    "wijkcode": ("wijkcode", "wk_code"),
    "wijknaam": ("wijknaam", "wk_naam"),
    "gemeentecode": ("gemeentecode", "gm_code"),
    "gemeentenaam": ("gemeentenaam", "gm_naam"),
}
PREFERRED_LAYERS = ("buurten", "buurt_gegeneraliseerd", "cbs_buurten", "buurt")


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _attribute_columns() -> dict[str, str]:
    """Normalised WFS/GeoPackage/shapefile attribute name -> catalogue column."""
    out = {}
    for i in indicators.catalogue().values():
        for name in (i.wfs, i.shp):
            if name:
                out[_norm(name)] = i.kolom
    return out


def _read_frame(inv: Invoer, gemeente: str | None = None) -> gpd.GeoDataFrame:
    """Read the buurt layer; from a file on disk only the gemeente's rows (fast on national files)."""
    check_not_archive(inv, "GeoJSON-, GeoPackage- of shapefilebestand")
    if not inv.data.strip():
        raise DataError(f"{inv.naam} is leeg. Kies een grenzenbestand (GeoJSON, GeoPackage of shapefile) met buurtvlakken.")
    if inv.suffix not in SUFFIXES:
        raise DataError(f"{inv.naam}: bestandstype '{inv.suffix}' wordt niet ondersteund voor grenzen. Gebruik .geojson, .gpkg of .shp.")
    if inv.suffix == ".shp" and inv.pad is None:
        raise DataError(f"{inv.naam}: een losse .shp mist de bijbehorende .dbf/.shx/.prj. Upload een GeoPackage of GeoJSON, of gebruik de CLI met het pad.")
    source = inv.pad if inv.pad is not None else io.BytesIO(inv.data)
    try:
        layers = [name for name, _ in pyogrio.list_layers(source)]
        if isinstance(source, io.BytesIO):
            source.seek(0)
        # Only name a layer when choosing one matters: from bytes, GDAL names a lone layer after
        # a temporary file that differs on every read.
        layer = next((name for name in PREFERRED_LAYERS if name in layers), None)
        if gemeente and inv.pad is not None:
            fields = list(pyogrio.read_info(source, layer=layer)["fields"])
            code = next((f for f in fields if f.lower() in ALIASES["buurtcode"]), None)
            if code is not None:
                gdf = gpd.read_file(source, layer=layer, where=f"\"{code}\" LIKE 'BU{gemeente[2:]}%'")
                if len(gdf):
                    return gdf
        return gpd.read_file(source, layer=layer)
    except Exception as exc:  # a GDAL error: name the file, keep the cause short
        raise DataError(
            f"{inv.naam} kon niet als grenzenbestand worden gelezen ({str(exc)[:160]}). "
            "Controleer of het een geldige GeoJSON, GeoPackage of shapefile is."
        ) from None


def _rename(gdf: gpd.GeoDataFrame, naam: str) -> gpd.GeoDataFrame:
    lower = {c.lower(): c for c in gdf.columns}
    mapping = {}
    for target, names in ALIASES.items():
        for n in names:
            if n in lower:
                mapping[lower[n]] = target
                break
    if "buurtcode" not in mapping.values():
        raise DataError(
            f"{naam}: geen kolom met buurtcodes (gezocht: statcode, buurtcode, BU_CODE; gevonden: {', '.join(map(str, gdf.columns[:8]))}). "
            "Kies de buurtenlaag van de CBS Wijk- en buurtkaart."
        )
    return gdf.rename(columns=mapping)


def _check_geometry(gdf: gpd.GeoDataFrame, naam: str) -> None:
    if gdf.crs is None:
        raise DataError(
            f"{naam}: het bestand heeft geen coördinatenstelsel (CRS; bij een shapefile ontbreekt de .prj). "
            "Sla het op met EPSG:28992 (RD New) of EPSG:4326, bijvoorbeeld in QGIS via 'Exporteren' met een CRS."
        )
    if gdf.crs.is_geographic and len(gdf):
        x0, y0, x1, y1 = gdf.total_bounds
        if max(abs(x0), abs(x1)) > 180 or max(abs(y0), abs(y1)) > 90:
            raise DataError(
                f"{naam}: de coördinaten ({x0:.0f}, {y0:.0f}) zijn geen lengte- en breedtegraden, terwijl het bestand geen ander CRS noemt. "
                "Waarschijnlijk is het RD New zonder CRS-opgave: sla het op met EPSG:28992 vermeld."
            )
    geoms = gdf.geometry
    empty = geoms.isna() | geoms.is_empty
    if empty.any():
        r = int(np.argmax(empty.to_numpy()))
        raise DataError(f"{naam}: object {r + 1} ({gdf['buurtcode'].iloc[r]}) heeft geen geometrie. Verwijder het of vul het buurtvlak aan.")
    kinds = geoms.geom_type
    bad = ~kinds.isin(["Polygon", "MultiPolygon"])
    if bad.any():
        r = int(np.argmax(bad.to_numpy()))
        raise DataError(
            f"{naam}: object {r + 1} ({gdf['buurtcode'].iloc[r]}) is een {kinds.iloc[r]}, geen vlak. "
            "Buurtgrenzen moeten (multi)polygonen zijn: kies de vlakkenlaag, niet punten of lijnen."
        )
    invalid = ~geoms.is_valid
    if invalid.any():
        r = int(np.argmax(invalid.to_numpy()))
        reason = shapely.is_valid_reason(geoms.iloc[r])
        raise DataError(
            f"{naam}: object {r + 1} ({gdf['buurtcode'].iloc[r]}) is een ongeldig vlak ({reason}). "
            "Repareer de geometrie, bijvoorbeeld met QGIS 'Geometrieën repareren' of ogr2ogr -makevalid."
        )


def read_boundaries(src, gemeente: str, jaar: int | None = None, max_mb: float | None = None) -> tuple[gpd.GeoDataFrame, Bronwaarden | None]:
    """Read buurt boundaries of ``gemeente`` and reproject them to EPSG:28992.

    Returns
    -------
    gebieden : GeoDataFrame
        :data:`~wijkprofielen.dataset.ID_COLUMNS` plus geometry; names default to codes.
        ``attrs["jaar"]`` holds the edition of the boundaries when known.
    attributen : Bronwaarden or None
        Kerncijfers carried as attributes (wijkenbuurten, shapefiles), if any.
    """
    inv = open_input(src, max_mb)
    gdf = _rename(_read_frame(inv, gemeente), inv.naam)
    gdf["buurtcode"] = gdf["buurtcode"].astype(str).str.strip()
    gdf = gdf[gdf["buurtcode"].str.startswith("BU")]
    bad = ~gdf["buurtcode"].str.match(BUURTCODE_PATTERN)
    if bad.any():
        r = int(np.argmax(bad.to_numpy()))
        raise DataError(f"{inv.naam}: object {r + 1}: buurtcode {gdf['buurtcode'].iloc[r]!r} heeft niet de vorm BU + 8 tekens (BU07960101). Corrigeer de code.")
    mine = gdf["buurtcode"].str[2:6] == gemeente[2:]
    if not mine.any():
        others = sorted("GM" + gdf["buurtcode"].str[2:6].unique())[:5]
        raise DataError(
            f"{inv.naam}: geen buurten van {gemeente} (wel van {', '.join(others) or 'geen enkele gemeente'}). "
            f"Kies het grenzenbestand van {gemeente} of het landelijke bestand, of importeer met --gemeente {others[0] if others else 'GM….'}."
        )
    gdf = gdf[mine].reset_index(drop=True)
    dup = gdf["buurtcode"][gdf["buurtcode"].duplicated()]
    if len(dup):
        raise DataError(f"{inv.naam}: buurtcode {dup.iloc[0]} komt meer dan eens voor (object {dup.index[0] + 1}). Houd één vlak per buurt (voeg delen samen tot een multipolygoon).")
    _check_geometry(gdf, inv.naam)
    gdf = derive_codes(gdf).to_crs(CRS)
    for col in ID_COLUMNS:
        gdf[col] = gdf[col].astype(str).str.strip()
    gebieden = gpd.GeoDataFrame(gdf[ID_COLUMNS + ["geometry"]], geometry="geometry", crs=CRS)
    gebieden.attrs["jaar"] = jaar or _year(gdf, inv)  # the edition of the boundaries, if known
    return gebieden, _attributes(gdf, inv, jaar)


def _year(gdf: gpd.GeoDataFrame, inv: Invoer) -> int | None:
    jr = next((c for c in gdf.columns if c.lower() in ("jaarstatcode", "jrstatcode", "jaar")), None)
    if jr is not None and str(gdf[jr].iloc[0])[:4].isdigit():
        return int(str(gdf[jr].iloc[0])[:4])
    return year_from_name(inv.naam)


def _attributes(gdf: gpd.GeoDataFrame, inv: Invoer, jaar: int | None) -> Bronwaarden | None:
    known = _attribute_columns()
    cols = {c: known[_norm(c)] for c in gdf.columns if c not in ID_COLUMNS and c != "geometry" and _norm(c) in known}
    if not cols:
        return None
    jaar = jaar or _year(gdf, inv)
    if jaar is None:
        raise DataError(f"{inv.naam}: het jaar van de kerncijfers in dit grenzenbestand is onbekend. Geef het mee als {inv.naam}@2024.")
    index = pd.Index(gdf["buurtcode"].to_numpy(), name="buurtcode")
    data, redenen = {}, {}
    for col, kolom in cols.items():
        raw = gdf[col].astype("string")
        nums, why = parse_cbs_values(raw.rename(f"{inv.naam}: kolom {col}"))
        data[(kolom, jaar)] = nums.to_numpy()
        w = {c: r for c, r in zip(index, why) if r}
        if w:
            redenen[(kolom, jaar)] = w
    return Bronwaarden(bron="CBS Kerncijfers (uit het grenzenbestand)", bestand=inv.naam, sha256=sha256(inv), niveau="buurt",
                       waarden=values_frame(data, index), redenen=redenen, aanwezig={jaar: list(index)}, licentie=LICENTIE)
