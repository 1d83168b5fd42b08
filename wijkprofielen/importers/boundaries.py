"""Buurt boundaries: PDOK cbsgebiedsindelingen, PDOK wijkenbuurten (GeoPackage or WFS
GeoJSON) and the legacy wijk- en buurtkaart shapefiles. Everything ends in EPSG:28992.

Kerncijfers attributes that come with the boundaries (wijkenbuurten, shapefiles) are
returned as a second source, resolved through the ``wfs``/``shp`` names of the catalogue.
"""

from __future__ import annotations

import io
import re
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from .. import indicators
from ..dataset import BUURTCODE_PATTERN, CRS, ID_COLUMNS, derive_codes
from ..errors import DataError
from .invoer import Bronwaarden, Invoer, check_not_archive, open_input, sha256, values_frame, year_from_name
from .validate import WEIGEREN, check_range, check_year, dropped, getal, is_count, kort, normalize_codes, parse_numbers

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


# Attribute names of the wijk- en buurtkaart (GeoPackage snake_case, WFS camelCase) that differ
# from the catalogue's ``wfs`` name, as PDOK publishes them (2025 edition); the percentages are
# CBS's own rounded shares of the counts the Kerncijfers table carries.
ATTRIBUTE_ALIASES = {
    "gemiddelde_huishoudsgrootte": "gem_huishoudensgrootte",
    "percentage_personen_65_jaar_en_ouder": "pct_65plus",
    "percentage_personen_0_tot_15_jaar": "pct_0_tot_15",
    "percentage_huishoudens_met_kinderen": "pct_huishoudens_met_kinderen",
}


def _attribute_columns() -> dict[str, str]:
    """Normalised WFS/GeoPackage/shapefile attribute name -> catalogue column."""
    out = {_norm(name): kolom for name, kolom in ATTRIBUTE_ALIASES.items()}
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
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            gdf = _read_layer(source, gemeente if inv.pad is not None else None)
        except Exception as exc:  # a GDAL error: name the file, keep the cause short
            raise DataError(
                f"{inv.naam} kon niet als grenzenbestand worden gelezen ({kort(_cause(exc, caught), 200, quote=False)}). "
                "Controleer of het een geldige GeoJSON, GeoPackage of shapefile is."
            ) from None
    gdf.attrs["waarschuwingen"] = [f"{inv.naam}: GDAL meldt: {kort(w.message, 160, quote=False)}" for w in caught
                                   if issubclass(w.category, RuntimeWarning)]
    return gdf


def _cause(exc: Exception, caught: list) -> str:
    """The GDAL error, with the warnings it printed before (they would otherwise reach stderr)."""
    parts = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)] + [str(exc)]
    return "; ".join(dict.fromkeys(p.strip() for p in parts if p.strip()))


def _read_layer(source, gemeente: str | None) -> gpd.GeoDataFrame:
    layers = [name for name, _ in pyogrio.list_layers(source)]
    if isinstance(source, io.BytesIO):
        source.seek(0)
    # Only name a layer when choosing one matters: from bytes, GDAL names a lone layer after
    # a temporary file that differs on every read.
    layer = next((name for name in PREFERRED_LAYERS if name in layers), None)
    if gemeente:
        fields = list(pyogrio.read_info(source, layer=layer)["fields"])
        code = next((f for f in fields if f.lower() in ALIASES["buurtcode"]), None)
        if code is not None:
            # Case-insensitive, so a lower-case statcode is kept for normalising: ILIKE in OGR SQL,
            # LIKE in SQLite (GeoPackage), which has no ILIKE and ignores case already.
            like = "LIKE" if str(source).lower().endswith(".gpkg") else "ILIKE"
            gdf = gpd.read_file(source, layer=layer, where=f"\"{code}\" {like} 'BU{gemeente[2:]}%'")
            if len(gdf):
                return gdf
    return gpd.read_file(source, layer=layer)


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
        if not max(abs(x0), abs(x1)) <= 180 or not max(abs(y0), abs(y1)) <= 90:
            raise DataError(
                f"{naam}: de coördinaten ({getal(float(np.round(x0)))}, {getal(float(np.round(y0)))}) zijn geen lengte- en breedtegraden, terwijl het bestand geen ander CRS noemt. "
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


def read_boundaries(src, gemeente: str, jaar: int | None = None, max_mb: float | None = None,
                    bij_afwijking: str = WEIGEREN) -> tuple[gpd.GeoDataFrame, Bronwaarden | None]:
    """Read buurt boundaries of ``gemeente`` and reproject them to EPSG:28992.

    Returns
    -------
    gebieden : GeoDataFrame
        :data:`~wijkprofielen.dataset.ID_COLUMNS` plus geometry; names default to codes.
        ``attrs["jaar"]`` holds the edition of the boundaries when known, ``attrs["meldingen"]``
        the rows left out and GDAL warnings.
    attributen : Bronwaarden or None
        Kerncijfers carried as attributes (wijkenbuurten, shapefiles), if any.
    """
    inv = open_input(src, max_mb)
    if jaar is not None:
        jaar = check_year(jaar, inv.naam)
    raw = _read_frame(inv, gemeente)
    meldingen = list(raw.attrs.get("waarschuwingen", []))
    try:
        return _boundaries(raw, inv, gemeente, jaar, bij_afwijking, meldingen)
    except DataError as exc:
        if not raw.attrs.get("waarschuwingen"):
            raise
        # What GDAL warned about while reading often explains the problem.
        raise DataError(f"{exc} GDAL meldde bij het lezen: {'; '.join(m.split('GDAL meldt: ', 1)[-1] for m in raw.attrs['waarschuwingen'])}") from None


def _boundaries(raw: gpd.GeoDataFrame, inv: Invoer, gemeente: str, jaar: int | None, bij_afwijking: str,
                meldingen: list[str]) -> tuple[gpd.GeoDataFrame, Bronwaarden | None]:
    gdf = _rename(raw, inv.naam)
    gdf["buurtcode"] = normalize_codes(gdf["buurtcode"])
    is_bu = gdf["buurtcode"].str.startswith("BU")
    if (~is_bu).any():
        meldingen.append(dropped(inv.naam, [i + 1 for i in np.flatnonzero(~is_bu.to_numpy())], "geen buurtcode (wijk, gemeente of leeg)", "object"))
    gdf = gdf[is_bu.to_numpy()]
    bad = ~gdf["buurtcode"].str.match(BUURTCODE_PATTERN)
    if bad.any():
        r = int(np.argmax(bad.to_numpy()))
        raise DataError(f"{inv.naam}: object {r + 1}: buurtcode {kort(gdf['buurtcode'].iloc[r])} heeft niet de vorm BU + 8 tekens (BU07960101). Corrigeer de code.")
    mine = gdf["buurtcode"].str[2:6] == gemeente[2:]
    if not mine.any():
        others = sorted("GM" + gdf["buurtcode"].str[2:6].unique())[:5]
        raise DataError(
            f"{inv.naam}: geen buurten van {gemeente} (wel van {', '.join(others) or 'geen enkele gemeente'}). "
            f"Kies het grenzenbestand van {gemeente} of het landelijke bestand, of importeer met --gemeente {others[0] if others else 'GM….'}."
        )
    if (~mine).any():
        meldingen.append(dropped(inv.naam, [i + 1 for i in np.flatnonzero(~mine.to_numpy())], "buurten van andere gemeenten", "object"))
    gdf = gdf[mine].reset_index(drop=True)
    dup = gdf["buurtcode"][gdf["buurtcode"].duplicated()]
    if len(dup):
        raise DataError(f"{inv.naam}: buurtcode {dup.iloc[0]} komt meer dan eens voor (object {dup.index[0] + 1}). Houd één vlak per buurt (voeg delen samen tot een multipolygoon).")
    _check_geometry(gdf, inv.naam)
    declared = gdf.crs
    gdf = derive_codes(gdf).to_crs(CRS)
    check_location(gdf, declared, inv.naam)
    for col in ID_COLUMNS:
        gdf[col] = gdf[col].astype(str).str.strip()
    gebieden = gpd.GeoDataFrame(gdf[ID_COLUMNS + ["geometry"]], geometry="geometry", crs=CRS)
    gebieden.attrs["jaar"] = jaar or _year(gdf, inv)  # the edition of the boundaries, if known
    gebieden.attrs["meldingen"] = meldingen
    return gebieden, _attributes(gdf, inv, jaar, bij_afwijking)


# RD New bounds of the Netherlands (land and territorial water) with a margin of about 25 km.
NL_RD = (-25_000.0, 275_000.0, 305_000.0, 645_000.0)
# Plausible buurt areas in m²: the median buurt is tens of hectares; the largest rural buurten
# (with water) reach a few hundred km².
MEDIAN_AREA = (1_000.0, 100e6)
MAX_AREA = 2_000e6


def check_location(gdf: gpd.GeoDataFrame, declared, naam: str) -> None:
    """Refuse boundaries that do not lie in the Netherlands or have implausible buurt areas.

    ``gdf`` is in EPSG:28992 already; ``declared`` is the CRS the file named. The message says
    what the coordinates look like and which CRS to declare instead.
    """
    if not len(gdf):
        return
    with np.errstate(all="ignore"):
        x0, y0, x1, y1 = gdf.total_bounds
        areas = gdf.geometry.area.to_numpy()
    inside = np.all(np.isfinite([x0, y0, x1, y1])) and x0 >= NL_RD[0] and y0 >= NL_RD[1] and x1 <= NL_RD[2] and y1 <= NL_RD[3]
    median = float(np.median(areas)) if len(areas) else 0.0
    plausible = MEDIAN_AREA[0] <= median <= MEDIAN_AREA[1] and float(np.max(areas)) <= MAX_AREA
    if inside and plausible:
        return
    epsg = declared.to_epsg() if declared is not None else None
    decl = f"EPSG:{epsg}" if epsg else (declared.name if declared is not None else "geen")
    hint = _crs_hint(gdf.to_crs(declared) if declared is not None else gdf, declared)
    if not inside:
        raise DataError(
            f"{naam}: de buurten liggen na omrekening van {decl} naar RD New niet in Nederland "
            f"(x {getal(x0)} tot {getal(x1)}, y {getal(y0)} tot {getal(y1)}). {hint}"
        )
    raise DataError(
        f"{naam}: de buurtoppervlakten zijn onwaarschijnlijk (mediaan {getal(median)} m², grootste {getal(float(np.max(areas)))} m²; "
        f"verwacht tussen {getal(MEDIAN_AREA[0])} m² en {getal(MEDIAN_AREA[1] / 1e6)} km²). {hint}"
    )


def _crs_hint(original: gpd.GeoDataFrame, declared) -> str:
    """What the coordinates as written look like, and which CRS to declare."""
    with np.errstate(all="ignore"):
        x0, y0, x1, y1 = original.total_bounds
    is_degrees = 3.0 <= x0 <= x1 <= 7.6 and 50.5 <= y0 <= y1 <= 53.8
    swapped = 50.5 <= x0 <= x1 <= 53.8 and 3.0 <= y0 <= y1 <= 7.6
    is_rd = -7_000 <= x0 <= x1 <= 300_000 and 289_000 <= y0 <= y1 <= 629_000
    is_mercator = 330_000 <= x0 <= x1 <= 850_000 and 6_500_000 <= y0 <= y1 <= 7_150_000
    geo = declared is not None and declared.is_geographic
    if is_degrees and not geo:
        return ("De coördinaten zijn lengte- en breedtegraden, maar het bestand noemt een ander stelsel. "
                "Sla het op met EPSG:4326 (WGS 84) als CRS, bijvoorbeeld in QGIS met 'Projectie toewijzen'.")
    if swapped:
        return ("Lengte- en breedtegraad zijn verwisseld (eerst ~51, dan ~5). Zet de coördinaten in de volgorde lengte, breedte "
                "(x, y), bijvoorbeeld met ogr2ogr -s_srs EPSG:4326 -t_srs EPSG:4326 -oo GEOM_POSSIBLE_NAMES of in QGIS met 'Assen omwisselen'.")
    if is_rd and (declared is None or declared.to_epsg() != 28992):
        return "De coördinaten zijn RD New (meters). Sla het bestand op met EPSG:28992 als CRS in plaats van het huidige."
    if is_mercator and (declared is None or declared.to_epsg() != 3857):
        return "De coördinaten lijken Web Mercator (EPSG:3857). Sla het bestand op met EPSG:3857 als CRS."
    return ("Controleer het coördinatenstelsel (CRS) en de eenheden: gebruik de buurtenlaag van de CBS Wijk- en buurtkaart "
            "in EPSG:28992 (RD New) of EPSG:4326.")


def _year(gdf: gpd.GeoDataFrame, inv: Invoer) -> int | None:
    jr = next((c for c in gdf.columns if c.lower() in ("jaarstatcode", "jrstatcode", "jaar")), None)
    if jr is not None and len(gdf) and re.match(r"^\d{4}", str(gdf[jr].iloc[0])):
        return check_year(str(gdf[jr].iloc[0])[:4], inv.naam, f"kolom '{jr}', object 1:")
    return year_from_name(inv.naam)


def _attributes(gdf: gpd.GeoDataFrame, inv: Invoer, jaar: int | None, bij_afwijking: str = WEIGEREN) -> Bronwaarden | None:
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
        raw = gdf[col].astype(object)
        raw.index = pd.RangeIndex(1, len(raw) + 1)
        nums, why = parse_numbers(raw, inv.naam, col, geheel=is_count(kolom), waar="object")
        nums, why = check_range(nums, why, kolom, inv.naam, col, bij_afwijking, "object")
        data[(kolom, jaar)] = nums.to_numpy()
        w = {c: r for c, r in zip(index, why) if isinstance(r, str) and r}
        if w:
            redenen[(kolom, jaar)] = w
    return Bronwaarden(bron="CBS Kerncijfers (uit het grenzenbestand)", bestand=inv.naam, sha256=sha256(inv), niveau="buurt",
                       waarden=values_frame(data, index), redenen=redenen, aanwezig={jaar: list(index)}, licentie=LICENTIE)
