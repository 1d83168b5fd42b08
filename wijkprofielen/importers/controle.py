"""``bronnen controleer``: ask every configured endpoint one small question and check the shape
of the answer (fields, paging, CRS), so a changed service is noticed before an import fails."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..config import ImportSettings
from ..errors import DataError
from .client import SERVICES, Client
from .kerncijfers import YEARS, stem
from .pdok import RD, ogc_items_url, wfs_params
from .download import urls

IN_ORDE, AFWIJKEND, ONBEREIKBAAR = "in orde", "afwijkend", "niet bereikbaar"


@dataclass
class Uitkomst:
    bron: str
    adres: str
    status: str
    toelichting: str

    def to_dict(self) -> dict[str, str]:
        return {"bron": self.bron, "adres": self.adres, "status": self.status, "toelichting": self.toelichting}


class _Shape(Exception):
    """The answer came, but not in the expected shape."""


def _props(page: Any) -> dict:
    if not isinstance(page, dict) or page.get("type") != "FeatureCollection" or not isinstance(page.get("features"), list):
        raise _Shape("geen GeoJSON FeatureCollection met 'features'")
    if not page["features"]:
        raise _Shape("de FeatureCollection is leeg")
    props = page["features"][0].get("properties")
    if not isinstance(props, dict):
        raise _Shape("het eerste object heeft geen 'properties'")
    return props


def _need(props: dict, names, what: str) -> None:
    missing = [n for n in names if n not in props]
    if missing:
        raise _Shape(f"{what} mist {', '.join(missing)} (wel: {', '.join(list(props)[:8])})")


def check_pdok_ogc(client: Client, u: dict, jaar: int) -> tuple[str, str]:
    url = ogc_items_url(u["pdok_ogc"], jaar)
    page, r = client.json(url, SERVICES["pdok_ogc"], {"f": "json", "limit": 2, "crs": RD})
    props = _props(page)
    _need(props, ("buurtcode", "gemeentecode", "water"), "een buurt")
    nxt = [link for link in page.get("links") or [] if isinstance(link, dict) and link.get("rel") == "next"]
    if not nxt:
        raise _Shape("geen link rel=next naar de volgende pagina")
    crs = r.headers.get("Content-Crs", "")
    if crs and "28992" not in crs:
        raise _Shape(f"gevraagd RD New (EPSG:28992), Content-Crs zegt {crs}")
    attrs = [k for k in props if k not in ("buurtcode", "buurtnaam", "wijkcode", "gemeentecode", "gemeentenaam", "water")]
    return r.url, f"{len(props)} velden ({', '.join(attrs[:3])} …), volgende pagina via rel=next, CRS {crs or 'niet vermeld'}"


def check_pdok_wfs(client: Client, u: dict, jaar: int) -> tuple[str, str]:
    url = u["pdok_wfs"].format(jaar=jaar)
    page, r = client.json(url, SERVICES["pdok_wfs"], wfs_params(None, 0, count=2))
    props = _props(page)
    _need(props, ("buurtcode", "gemeentecode"), "een buurt")
    matched = page.get("numberMatched", page.get("totalFeatures"))
    if not isinstance(matched, int) or matched <= len(page["features"]):
        raise _Shape(f"numberMatched ({matched!r}) laat geen volgende pagina zien")
    camel = "aantalInwoners" in props
    return r.url, f"{matched} objecten, pagina's met startIndex/count; {'camelCase (aantalInwoners)' if camel else 'geen aantalInwoners'}"


def check_cbs(client: Client, u: dict, jaar: int) -> tuple[str, str]:
    tabel = YEARS.get(jaar) or YEARS[max(YEARS)]
    base = f"{u['cbs_odata']}/{tabel}"
    props, _ = client.json(f"{base}/DataProperties", SERVICES["cbs_odata"], {"$format": "json"})
    keys = [p.get("Key") for p in (props.get("value") if isinstance(props, dict) else None) or [] if isinstance(p, dict)]
    if not keys:
        raise _Shape("DataProperties zonder 'value'/'Key'")
    inwoners = next((k for k in keys if k and stem(k) == "AantalInwoners"), None)
    if "WijkenEnBuurten" not in keys or inwoners is None:
        raise _Shape(f"DataProperties noemt geen WijkenEnBuurten en AantalInwoners_* (wel: {', '.join(map(str, keys[:6]))})")
    page, r = client.json(f"{base}/TypedDataSet", SERVICES["cbs_odata"],
                          {"$format": "json", "$top": 2, "$select": f"WijkenEnBuurten,{inwoners}"})
    rows = page.get("value") if isinstance(page, dict) else None
    if not isinstance(rows, list) or not rows or "WijkenEnBuurten" not in rows[0]:
        raise _Shape("TypedDataSet zonder rijen met WijkenEnBuurten")
    padded = len(str(rows[0]["WijkenEnBuurten"])) == 10
    return r.url, f"tabel {tabel}: {len(keys)} kolommen, {inwoners}; sleutels {'aangevuld tot 10 tekens' if padded else 'niet aangevuld'}"


def check_lbm_zip(client: Client, u: dict, jaar: int) -> tuple[str, str]:
    url = u["leefbaarometer_zip"]
    r = client.get(url, SERVICES["leefbaarometer_zip"], headers={"Range": "bytes=0-3"}, ok=(200, 206), stream=True)
    head = next(r.iter_content(4), b"")
    r.close()
    if head[:4] != b"PK\x03\x04":
        raise _Shape(f"geen zip (begint met {head[:4]!r}, Content-Type {r.headers.get('Content-Type', '?')})")
    size = r.headers.get("Content-Range", "").rsplit("/", 1)[-1] if r.status_code == 206 else r.headers.get("Content-Length", "?")
    hervat = "hervatten met Range kan" if r.status_code == 206 else "Range wordt genegeerd (geen hervatten)"
    return url, f"zip van {size} bytes; {hervat}"


def check_lbm_wfs(client: Client, u: dict, jaar: int) -> tuple[str, str]:
    params = {"service": "WFS", "version": "2.0.0", "request": "GetFeature", "typeNames": "lbm3:buurtscore24",
              "outputFormat": "application/json", "count": 1}
    page, r = client.json(u["leefbaarometer_wfs"], SERVICES["leefbaarometer_wfs"], params)
    props = _props(page)
    _need(props, ("id", "year", "afw", "fys", "onv", "soc", "vrz", "won"), "een buurtscore")
    return r.url, f"lbm3:buurtscore24: id, year ({type(props['year']).__name__}), afw…won{'; ook lbm' if 'lbm' in props else '; geen lbm-totaal'}"


def check_wijkbuurtkaart(client: Client, u: dict, jaar: int, max_versie: int = 5) -> tuple[str, str]:
    for versie in range(max_versie, 0, -1):
        url = u["wijkbuurtkaart"].format(jaar=jaar, versie=versie)
        if client.exists(url, SERVICES["wijkbuurtkaart"]):
            return url, f"versie {versie} van {jaar} gevonden"
    url = u["pdok_gpkg"].format(jaar=jaar)
    if client.exists(url, SERVICES["pdok_gpkg"]):
        return url, f"geen CBS-zip van {jaar}; wel de PDOK-GeoPackage"
    raise _Shape(f"geen wijk- en buurtkaart van {jaar} (versie {max_versie} tot 1, en de PDOK-GeoPackage)")


CHECKS: dict[str, Callable] = {
    "pdok_ogc": check_pdok_ogc, "pdok_wfs": check_pdok_wfs, "cbs_odata": check_cbs,
    "leefbaarometer_zip": check_lbm_zip, "leefbaarometer_wfs": check_lbm_wfs, "wijkbuurtkaart": check_wijkbuurtkaart,
}


def controleer(settings: ImportSettings, jaar: int = 2024, wfs_jaar: int = 2022) -> list[Uitkomst]:
    """One small question per configured endpoint; never raises for a service that is down."""
    u = urls(settings)
    out = []
    with Client(settings) as client:
        for key, check in CHECKS.items():
            service = SERVICES[key]
            kwargs = {"max_versie": int(settings.download["max_versie"])} if key == "wijkbuurtkaart" else {}
            try:
                adres, detail = check(client, u, wfs_jaar if key == "pdok_wfs" else jaar, **kwargs)
                out.append(Uitkomst(service.naam, adres, IN_ORDE, detail))
            except _Shape as exc:
                out.append(Uitkomst(service.naam, u[key], AFWIJKEND, str(exc)))
            except DataError as exc:
                text = str(exc).split(f"{service.naam}: ", 1)[-1]
                status = AFWIJKEND if "onverwachte vorm" in text else ONBEREIKBAAR
                out.append(Uitkomst(service.naam, u[key], status, text.split(". Probeer het later opnieuw")[0]))
    return out


__all__ = ["AFWIJKEND", "CHECKS", "IN_ORDE", "ONBEREIKBAAR", "Uitkomst", "controleer"]
