"""Buurt boundaries with their Kerncijfers attributes from PDOK, and the national wijk- en buurtkaart.

* 2023 and later: the OGC API Features ``{pdok_ogc}/collections/buurten/items``: GeoJSON pages
  of at most 1000 items, filtered on ``gemeentecode``, in RD New (``crs=…/EPSG/0/28992``; the
  default is CRS84). The next page is the ``rel=next`` link exactly as given: it may carry an
  opaque cursor rather than an offset.
* Earlier years: the WFS 2.0 ``wijkenbuurten:buurten``, paged with ``startIndex``/``count``
  (at most 1000) and filtered with an FES filter (``CQL_FILTER`` is ignored silently).
* The whole country: the CBS ``WijkBuurtkaart_{jaar}_v{versie}.zip`` (the highest version that
  exists; versions replace each other), else PDOK's ``wijkenbuurten_{jaar}.gpkg``.

The pages are written as one GeoJSON FeatureCollection with its CRS named, which
:func:`~.boundaries.read_boundaries` reads like a file downloaded by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import DataError
from .client import SERVICES, Answer, Client, shape_error
from .opslag import atomic_write

PAGE = 1000
OGC_FROM = 2023  # first year of the OGC API; earlier years come from the WFS
RD = "http://www.opengis.net/def/crs/EPSG/0/28992"
CRS_NAMES = {"rd": "urn:ogc:def:crs:EPSG::28992", "crs84": "urn:ogc:def:crs:OGC:1.3:CRS84"}


def ogc_items_url(base: str, jaar: int, collection: str = "buurten") -> str:
    return f"{base.format(jaar=jaar)}/collections/{collection}/items"


def wfs_params(gemeente: str | None, start: int, count: int = PAGE, typename: str = "wijkenbuurten:buurten") -> dict[str, Any]:
    params = {"service": "WFS", "version": "2.0.0", "request": "GetFeature", "typeNames": typename,
              "outputFormat": "application/json", "srsName": "EPSG:28992", "count": count, "startIndex": start}
    if gemeente:
        params["filter"] = (
            '<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo>'
            f"<fes:ValueReference>gemeentecode</fes:ValueReference><fes:Literal>{gemeente}</fes:Literal>"
            "</fes:PropertyIsEqualTo></fes:Filter>"
        )
    return params


def _features(page: Any, service, url: str) -> list[dict]:
    if not isinstance(page, dict) or page.get("type") != "FeatureCollection" or not isinstance(page.get("features"), list):
        found = f"type {page.get('type')!r}, sleutels {', '.join(list(page)[:6])}" if isinstance(page, dict) else type(page).__name__
        raise shape_error(service, url, f"verwacht een GeoJSON FeatureCollection met 'features', kreeg {found}")
    for f in page["features"][:1]:
        props = f.get("properties") if isinstance(f, dict) else None
        if not isinstance(props, dict) or "buurtcode" not in props:
            keys = ", ".join(list(props)[:8]) if isinstance(props, dict) else "geen properties"
            raise shape_error(service, url, f"de buurten hebben geen eigenschap 'buurtcode' (wel: {keys})")
    return page["features"]


def _next_link(page: dict) -> str | None:
    for link in page.get("links") or []:
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            return link["href"]
    return None


def _crs_of(response, features: list[dict]) -> str:
    """RD when the service says so (``Content-Crs``) or the coordinates are metres; else CRS84."""
    declared = response.headers.get("Content-Crs", "")
    if "28992" in declared:
        return "rd"
    if declared and "CRS84" in declared.upper():
        return "crs84"
    x = _first_x(features)
    return "rd" if x is not None and abs(x) > 180 else "crs84"


def _first_x(features: list[dict]) -> float | None:
    for f in features:
        coords = (f.get("geometry") or {}).get("coordinates")
        while isinstance(coords, list) and coords and isinstance(coords[0], list):
            coords = coords[0]
        if isinstance(coords, list) and coords and isinstance(coords[0], (int, float)):
            return float(coords[0])
    return None


def _write(dest: Path, features: list[dict], crs: str) -> None:
    doc = {"type": "FeatureCollection", "name": "buurten", "crs": {"type": "name", "properties": {"name": CRS_NAMES[crs]}},
           "features": features}
    atomic_write(dest, json.dumps(doc, ensure_ascii=False))


def download_ogc(client: Client, base: str, gemeente: str, jaar: int, dest: Path, label: str = "Buurtgrenzen (PDOK)") -> Answer:
    """All buurten of ``gemeente`` from the OGC API, following ``rel=next``."""
    service = SERVICES["pdok_ogc"]
    url: str | None = ogc_items_url(base, jaar)
    params: dict | None = {"f": "json", "limit": PAGE, "crs": RD, "gemeentecode": gemeente}
    features: list[dict] = []
    first = None
    crs = None
    seen: set[str] = set()
    while url:
        page, r = client.json(url, service, params=params)
        first = first or r
        batch = _features(page, service, r.url)
        crs = crs or _crs_of(r, batch)
        features += batch
        total = page.get("numberMatched") if isinstance(page.get("numberMatched"), int) else None
        client.progress(label, len(features), total, "buurten")
        url, params = _next_link(page), None  # the next link carries every parameter itself
        if url in seen:
            raise shape_error(service, r.url, "de link naar de volgende pagina wijst naar een pagina die al is opgehaald")
        if url:
            seen.add(url)
        if not batch:
            break
    _check_found(features, service, gemeente, jaar)
    _write(dest, features, crs or "rd")
    return Answer(dest, first.url, first.headers.get("ETag"), first.headers.get("Last-Modified"), 0, "")


def download_wfs(client: Client, base: str, gemeente: str, jaar: int, dest: Path, label: str = "Buurtgrenzen (PDOK)") -> Answer:
    """All buurten of ``gemeente`` from the WFS, paged with ``startIndex``."""
    service = SERVICES["pdok_wfs"]
    url = base.format(jaar=jaar)
    features: list[dict] = []
    first = None
    while True:
        page, r = client.json(url, service, params=wfs_params(gemeente, len(features)))
        first = first or r
        batch = _features(page, service, r.url)
        features += batch
        total = page.get("numberMatched") if isinstance(page.get("numberMatched"), int) else None
        client.progress(label, len(features), total, "buurten")
        if len(batch) < PAGE or (total is not None and len(features) >= total):
            break
    _check_found(features, service, gemeente, jaar)
    _write(dest, features, "rd" if (_first_x(features) or 0) > 180 else "crs84")
    return Answer(dest, first.url, first.headers.get("ETag"), first.headers.get("Last-Modified"), 0, "")


def _check_found(features: list[dict], service, gemeente: str, jaar: int) -> None:
    if not features:
        raise DataError(
            f"{service.naam}: geen buurten van {gemeente} in {jaar}. Controleer de gemeentecode (de indeling van dat jaar) "
            f"en of PDOK dat jaar aanbiedt; of {service.handmatig}."
        )
    other = {str((f.get("properties") or {}).get("gemeentecode", gemeente)).strip() for f in features} - {gemeente}
    if other:
        raise shape_error(service, "de buurtenlaag", f"het filter op gemeentecode werd genegeerd: ook buurten van {', '.join(sorted(other)[:3])}")


def download_boundaries(client: Client, urls: dict[str, str], gemeente: str, jaar: int, dest: Path) -> tuple[Answer, str]:
    """Boundaries of one gemeente: the OGC API from 2023, the WFS before. Returns the answer and the service key."""
    if jaar >= OGC_FROM:
        return download_ogc(client, urls["pdok_ogc"], gemeente, jaar, dest), "pdok_ogc"
    return download_wfs(client, urls["pdok_wfs"], gemeente, jaar, dest), "pdok_wfs"


def wijkbuurtkaart_url(client: Client, urls: dict[str, str], jaar: int, max_versie: int) -> tuple[str, str]:
    """The address of the newest national file of ``jaar``: the CBS zip of the highest version that
    exists, else the PDOK GeoPackage. Returns ``(url, service key)``."""
    for versie in range(max_versie, 0, -1):
        url = urls["wijkbuurtkaart"].format(jaar=jaar, versie=versie)
        if client.exists(url, SERVICES["wijkbuurtkaart"]):
            return url, "wijkbuurtkaart"
    url = urls["pdok_gpkg"].format(jaar=jaar)
    if client.exists(url, SERVICES["pdok_gpkg"]):
        return url, "pdok_gpkg"
    s = SERVICES["wijkbuurtkaart"]
    raise DataError(
        f"{s.naam}: voor {jaar} is geen bestand gevonden (versies {max_versie} tot 1 van "
        f"{urls['wijkbuurtkaart'].format(jaar=jaar, versie='N')}, en {url}). CBS publiceert de kaart van een jaar pas in de loop "
        f"van het jaar erna; kies een eerder jaar, of {s.handmatig}."
    )


__all__ = ["download_boundaries", "download_ogc", "download_wfs", "ogc_items_url", "wfs_params", "wijkbuurtkaart_url"]
