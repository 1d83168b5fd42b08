"""The CBS wijk- en buurtkaart: every buurt of the country with ~150 Kerncijfers attributes.

Published as ``WijkBuurtkaart_{jaar}_v{N}.zip`` (a GeoPackage inside; versions replace each
other) and by PDOK as ``wijkenbuurten_{jaar}.gpkg``. Layers ``buurten``, ``wijken``,
``gemeenten``; snake_case columns (``buurtcode``, ``gemeentecode``, ``water``,
``aantal_inwoners`` …; the first edition of a year may carry only the population columns);
``-99997`` and friends are missing values; codes may contain letters (``BU0363AA01``).

GDAL reads the zip in place (``/vsizip/``) and only the columns the catalogue knows, so the
whole country imports in seconds. Only land buurten are kept (``water`` = ``NEE``).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from ..dataset import BUURTCODE_PATTERN, CRS, ID_COLUMNS, Dataset, derive_codes
from ..errors import DataError
from .boundaries import ALIASES, BRON as GRENZEN_BRON, LICENTIE, PREFERRED_LAYERS, _attribute_columns, _attributes, _norm, check_location
from .cache import file_sha256
from .invoer import Invoer, year_from_name
from .leefbaarometer import read_leefbaarometer
from .pipeline import DEFAULT_TOLERANCE_M, _Builder, check_gemeente
from .validate import WEIGEREN, check_bij_afwijking, check_year, dropped

BRON = "CBS wijk- en buurtkaart"
_VECTOR = (".gpkg", ".shp")


def gdal_path(path: Path) -> tuple[str, str]:
    """The path GDAL opens (``/vsizip/…`` for a zip) and a name for messages."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"Bestand {path} bestaat niet. Geef het pad van de wijk- en buurtkaart (zip of GeoPackage).")
    if path.suffix.lower() in _VECTOR:
        return str(path), path.name
    if not zipfile.is_zipfile(path):
        raise DataError(f"{path.name} is geen zip en geen GeoPackage. Kies WijkBuurtkaart_JJJJ_vN.zip of de GeoPackage erin.")
    with zipfile.ZipFile(path) as zf:
        names = [i.filename for i in zf.infolist() if not i.is_dir()]
    gpkg = sorted(n for n in names if n.lower().endswith(".gpkg"))
    shp = sorted(n for n in names if n.lower().endswith(".shp") and "buurt" in n.lower().rsplit("/", 1)[-1])
    pick = _best(gpkg) or _best(shp)
    if pick is None:
        shown = ", ".join(names[:8]) + (" …" if len(names) > 8 else "")
        raise DataError(
            f"{path.name}: geen GeoPackage of buurten-shapefile in de zip (gevonden: {shown or 'niets'}). "
            "Kies de zip van de CBS wijk- en buurtkaart, of pak de GeoPackage uit en geef die op."
        )
    return f"/vsizip/{path.resolve()}/{pick}", f"{path.name}/{pick}"


def _best(names: list[str]) -> str | None:
    for word in ("wijkenbuurten", "wijkbuurtkaart", "buurt"):
        hits = [n for n in names if word in n.lower().rsplit("/", 1)[-1]]
        if hits:
            return hits[-1]
    return names[-1] if names else None


def _layer(source: str, naam: str) -> str | None:
    layers = [name for name, _ in pyogrio.list_layers(source)]
    if len(layers) == 1:
        return layers[0]
    for name in PREFERRED_LAYERS + ("buurt_2024", "cbs_buurten_2024"):
        if name in layers:
            return name
    hits = [n for n in layers if "buurt" in n.lower()]
    if hits:
        return hits[0]
    raise DataError(f"{naam}: geen buurtenlaag (lagen: {', '.join(layers)}). Kies de wijk- en buurtkaart met de laag 'buurten'.")


def read_wijkbuurtkaart(path, gemeente: str | None = None, jaar: int | None = None,
                        bij_afwijking: str = WEIGEREN):
    """Land buurten of the country (or of ``gemeente``) with their Kerncijfers attributes.

    Returns ``(gebieden, attributen, meldingen, jaar)`` as :func:`~.boundaries.read_boundaries` does.
    """
    source, naam = gdal_path(Path(path))
    try:
        layer = _layer(source, naam)
        fields = list(pyogrio.read_info(source, layer=layer)["fields"])
    except pyogrio.errors.DataSourceError as exc:
        raise DataError(f"{naam} kon niet worden gelezen ({str(exc)[:160]}). Download de wijk- en buurtkaart opnieuw.") from None
    lower = {f.lower(): f for f in fields}
    rename = {}
    for target, names in ALIASES.items():
        hit = next((lower[n] for n in names if n in lower), None)
        if hit is not None:
            rename[hit] = target
    if "buurtcode" not in rename.values():
        raise DataError(f"{naam}: laag '{layer}' heeft geen kolom buurtcode (wel: {', '.join(fields[:8])}). "
                        "Kies de buurtenlaag van de CBS wijk- en buurtkaart.")
    known = _attribute_columns()
    attrs = [f for f in fields if _norm(f) in known and f not in rename]
    extra = [lower[c] for c in ("water", "jrstatcode", "jaarstatcode", "jaar") if c in lower]
    code = next(k for k, v in rename.items() if v == "buurtcode")
    where = None
    if gemeente:
        gemeente = check_gemeente(gemeente)
        where = f"\"{code}\" LIKE 'BU{gemeente[2:]}%'"
    try:
        gdf = pyogrio.read_dataframe(source, layer=layer, columns=list(rename) + extra + attrs, where=where, use_arrow=True)
    except Exception as exc:  # a GDAL error: name the file, keep the cause short
        raise DataError(f"{naam} kon niet worden gelezen ({str(exc)[:160]}). Download de wijk- en buurtkaart opnieuw.") from None
    gdf = gdf.rename(columns=rename)
    meldingen: list[str] = []
    if gdf.crs is None:
        raise DataError(f"{naam}: de laag heeft geen coördinatenstelsel. Gebruik de wijk- en buurtkaart zoals CBS die publiceert (EPSG:28992).")
    gdf["buurtcode"] = gdf["buurtcode"].astype(str).str.strip().str.upper()
    if "water" in gdf.columns:
        water = gdf["water"].astype(str).str.strip().str.upper() == "JA"
        if water.any():
            meldingen.append(f"{naam}: {int(water.sum())} waterbuurten (water = JA) weggelaten; alleen landbuurten tellen mee.")
        gdf = gdf[~water.to_numpy()]
    else:
        meldingen.append(f"{naam}: geen kolom 'water'; alle buurten zijn meegenomen.")
    bad = ~gdf["buurtcode"].str.match(BUURTCODE_PATTERN)
    if bad.any():
        meldingen.append(dropped(naam, [i + 1 for i in np.flatnonzero(bad.to_numpy())], "geen geldige buurtcode", "object"))
        gdf = gdf[~bad.to_numpy()]
    if gdf.empty:
        raise DataError(f"{naam}: geen landbuurten{f' van {gemeente}' if gemeente else ''}. Controleer de gemeentecode en het bestand.")
    dup = gdf["buurtcode"].duplicated()
    if dup.any():
        raise DataError(f"{naam}: buurtcode {gdf['buurtcode'][dup].iloc[0]} komt meer dan eens voor. Download de wijk- en buurtkaart opnieuw.")
    gdf = gdf.reset_index(drop=True)
    geoms = gdf.geometry.to_numpy()
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.any():
        meldingen.append(dropped(naam, list(gdf["buurtcode"][empty])[:50], "zonder geometrie", "buurt"))
        gdf = gdf[~empty].reset_index(drop=True)
        geoms = gdf.geometry.to_numpy()
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        # A national file should not be refused for one damaged polygon: repair and say so.
        fixed = shapely.make_valid(geoms[invalid])
        fixed = np.array([_polygonal(g) for g in fixed], dtype=object)
        geoms = geoms.copy()
        geoms[invalid] = fixed
        gdf = gdf.set_geometry(gpd.GeoSeries(geoms, crs=gdf.crs, index=gdf.index))
        meldingen.append(f"{naam}: {int(invalid.sum())} ongeldige vlakken gerepareerd (make_valid), bijvoorbeeld {gdf['buurtcode'][invalid].iloc[0]}.")
    declared = gdf.crs
    gdf = derive_codes(gdf).to_crs(CRS)
    check_location(gdf, declared, naam)
    for col in ID_COLUMNS:
        gdf[col] = gdf[col].astype(str).str.strip()
    if jaar is None:
        jaar = _year(gdf, naam)
    gebieden = gpd.GeoDataFrame(gdf[ID_COLUMNS + ["geometry"]], geometry="geometry", crs=CRS)
    attributen = _attributes(gdf, Invoer(naam, b"", Path(path)), jaar, bij_afwijking) if attrs else None
    if attributen is not None:
        attributen.sha256 = file_sha256(Path(path))
        attributen.bron = "CBS Kerncijfers (uit de wijk- en buurtkaart)"
    return gebieden, attributen, meldingen, jaar


def _polygonal(geom):
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else geom


def _year(gdf: gpd.GeoDataFrame, naam: str) -> int | None:
    for col in ("jrstatcode", "jaarstatcode", "jaar"):
        if col in gdf.columns and len(gdf) and re.match(r"^\d{4}", str(gdf[col].iloc[0])):
            return check_year(str(gdf[col].iloc[0])[:4], naam, f"kolom '{col}':")
    return year_from_name(naam)


def build_from_wijkbuurtkaart(path, gemeente: str | None = None, leefbaarometer=None, naam: str | None = None,
                              jaar: int | None = None, tolerance_m: float = DEFAULT_TOLERANCE_M,
                              bij_afwijking: str = WEIGEREN) -> tuple[Dataset, object]:
    """A dataset of the whole country (``gemeente`` None) or of one gemeente from the wijk- en
    buurtkaart, with the Leefbaarometer (the open-data zip, its CSV or a WFS answer) when given."""
    check_bij_afwijking(bij_afwijking)
    gebieden, attributen, meldingen, jaar = read_wijkbuurtkaart(path, gemeente, jaar, bij_afwijking)
    label = gemeente or "Nederland"
    builder = _Builder(label, gebieden, jaar)
    builder.rapport.meldingen += meldingen
    if attributen is not None:
        builder.add(attributen)
    if leefbaarometer is not None:
        builder.add(read_leefbaarometer(leefbaarometer, gemeente, max_mb=None, bij_afwijking=bij_afwijking))
    _, bestand = gdal_path(Path(path))
    grens = {"bron": GRENZEN_BRON if Path(path).suffix.lower() == ".gpkg" else BRON, "bestand": bestand,
             "sha256": attributen.sha256 if attributen is not None else file_sha256(Path(path)),
             "licentie": LICENTIE, "jaren": [jaar] if jaar else [], "niveau": "buurt"}
    namen = gebieden.drop_duplicates("gemeentecode").set_index("gemeentecode")["gemeentenaam"].to_dict()
    return builder.dataset(tolerance_m, grens, naam=naam or gemeente or f"Nederland-{jaar or ''}".rstrip("-"),
                           gemeente=gemeente or "NL", landelijk=gemeente is None, gemeenten=namen)


__all__ = ["build_from_wijkbuurtkaart", "gdal_path", "read_wijkbuurtkaart"]
