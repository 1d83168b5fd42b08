"""Fetch the open sources of one gemeente, or of the whole country, and import them.

Sources (``bronnen``):

* ``pdok``: buurt boundaries with Kerncijfers attributes (OGC API from 2023, WFS before);
* ``cbs``: the Kerncijfers table of the year from the StatLine OData feed;
* ``lbm``: the Leefbaarometer 3.0 open-data zip (all years; only the gemeente's rows are read);
* ``lbm-wfs``: the Leefbaarometer 3.0 WFS instead of the zip (2020, 2022, 2024; no ``lbm`` total).

The whole country comes from the CBS wijk- en buurtkaart plus the Leefbaarometer zip.
Addresses come from ``[download]`` (each overridden by ``WIJKPROFIELEN_DOWNLOAD_<KEY>``);
files are kept in ``geodata/bronnen/`` with their provenance (:mod:`.cache`) and reused
unless ``vernieuw``. The readers are the same as for files imported by hand.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import DOWNLOAD_URL_KEYS, ImportSettings
from ..dataset import Dataset
from ..errors import DataError
from .cache import BronCache
from .cbs_odata import download_kerncijfers, table_for
from .client import SERVICES, Answer, Client, Progress, shape_error
from .opslag import atomic_write
from .pdok import OGC_FROM, PAGE, download_boundaries, wijkbuurtkaart_url
from .pipeline import Rapport, build_dataset, check_gemeente
from .validate import check_year
from .wijkbuurtkaart import build_from_wijkbuurtkaart

BRONNEN = ("pdok", "cbs", "lbm", "lbm-wfs")
STANDAARD_BRONNEN = ("pdok", "cbs", "lbm")
BRON_NAMEN = {"pdok": "buurtgrenzen en kerncijfers (PDOK)", "cbs": "Kerncijfers (CBS StatLine)",
              "lbm": "Leefbaarometer 3.0 (open-data-zip)", "lbm-wfs": "Leefbaarometer 3.0 (WFS)"}
LBM_WFS_LAYERS = (24, 22, 20)
GEMEENTEN_CSV = Path(__file__).resolve().parent.parent / "gemeenten.csv"
GEMEENTEN_JAREN = (2023, 2024, 2025)  # the indeling the shipped list follows


@dataclass
class Opgehaald:
    """The fetched files by kind (``buurten``, ``kerncijfers``, ``leefbaarometer``, ``wijkbuurtkaart``)
    and their provenance records."""

    bestanden: dict[str, Path] = field(default_factory=dict)
    herkomst: list[dict[str, Any]] = field(default_factory=list)

    def add(self, soort: str, path: Path, rec: dict[str, Any]) -> None:
        self.bestanden[soort] = path
        self.herkomst.append({"soort": soort, **rec})


def check_bronnen(bronnen) -> tuple[str, ...]:
    """Validate ``--bronnen`` (``pdok,cbs,lbm``); the boundaries are always needed."""
    items = tuple(dict.fromkeys(b.strip().lower() for b in (bronnen.split(",") if isinstance(bronnen, str) else bronnen) if b.strip()))
    unknown = [b for b in items if b not in BRONNEN]
    if unknown:
        raise DataError(f"--bronnen: '{unknown[0]}' is onbekend. Kies uit {', '.join(BRONNEN)} (komma's ertussen), bijvoorbeeld pdok,cbs,lbm.")
    if "pdok" not in items:
        raise DataError("--bronnen: 'pdok' is nodig, want zonder buurtgrenzen kan niets worden gekoppeld. Voeg pdok toe.")
    if "lbm" in items and "lbm-wfs" in items:
        raise DataError("--bronnen: kies 'lbm' (de zip, alle jaren) of 'lbm-wfs' (de WFS), niet allebei.")
    return items


def urls(settings: ImportSettings) -> dict[str, str]:
    """Every ``[download]`` address, with the environment overrides applied."""
    return {k: settings.url(k) for k in DOWNLOAD_URL_KEYS}


def _basename(url: str) -> str:
    return url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


def fetch_gemeente(settings: ImportSettings, gemeente: str, jaar: int, bronnen=STANDAARD_BRONNEN, vernieuw: bool = False,
                   folder: Path | None = None, tabel: str | None = None, progress: Progress | None = None) -> Opgehaald:
    """Fetch (or take from the cache) the sources of one gemeente and year."""
    gemeente = check_gemeente(gemeente)
    jaar = check_year(jaar, "--jaar")
    bronnen = check_bronnen(bronnen)
    if "cbs" in bronnen:
        tabel = table_for(jaar, tabel)  # an unknown year fails before anything is fetched
    cache = BronCache(folder)
    u = urls(settings)
    out = Opgehaald()
    with Client(settings, progress) as client:
        key = "pdok_ogc" if jaar >= OGC_FROM else "pdok_wfs"
        path, rec = cache.fetch(f"buurten_{gemeente}_{jaar}.geojson", SERVICES[key],
                                lambda dest: download_boundaries(client, u, gemeente, jaar, dest)[0], vernieuw,
                                {"gemeente": gemeente, "jaar": jaar})
        out.add("buurten", path, rec)
        if "cbs" in bronnen:
            path, rec = cache.fetch(f"kerncijfers_{tabel}_{gemeente}.json", SERVICES["cbs_odata"],
                                    lambda dest: download_kerncijfers(client, u["cbs_odata"], gemeente, jaar, dest, tabel), vernieuw,
                                    {"gemeente": gemeente, "jaar": jaar, "tabel": tabel})
            out.add("kerncijfers", path, rec)
        if "lbm" in bronnen:
            path, rec = fetch_leefbaarometer_zip(client, cache, u, vernieuw)
            out.add("leefbaarometer", path, rec)
        if "lbm-wfs" in bronnen:
            path, rec = cache.fetch(f"leefbaarometer_wfs_{gemeente}.geojson", SERVICES["leefbaarometer_wfs"],
                                    lambda dest: download_lbm_wfs(client, u["leefbaarometer_wfs"], gemeente, dest), vernieuw,
                                    {"gemeente": gemeente, "lagen": [f"lbm3:buurtscore{y}" for y in LBM_WFS_LAYERS]})
            out.add("leefbaarometer", path, rec)
    return out


def fetch_leefbaarometer_zip(client: Client, cache: BronCache, u: dict[str, str], vernieuw: bool):
    url = u["leefbaarometer_zip"]
    return cache.fetch(_basename(url) or "leefbaarometer.zip", SERVICES["leefbaarometer_zip"],
                       lambda dest: client.download(url, dest, SERVICES["leefbaarometer_zip"], "Leefbaarometer (zip)"), vernieuw)


def download_lbm_wfs(client: Client, base: str, gemeente: str, dest: Path) -> Answer:
    """The Leefbaarometer buurt scores of ``gemeente`` from the WFS layers, as one GeoJSON."""
    service = SERVICES["leefbaarometer_wfs"]
    features, first = [], None
    like = ('<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsLike wildCard="*" singleChar="." escapeChar="!">'
            f"<fes:ValueReference>id</fes:ValueReference><fes:Literal>BU{gemeente[2:]}*</fes:Literal></fes:PropertyIsLike></fes:Filter>")
    for yy in LBM_WFS_LAYERS:
        start = 0
        while True:
            params = {"service": "WFS", "version": "2.0.0", "request": "GetFeature", "typeNames": f"lbm3:buurtscore{yy}",
                      "outputFormat": "application/json", "count": PAGE, "startIndex": start, "filter": like,
                      "propertyName": "id,name,gemeente,year,afw,fys,onv,soc,vrz,won"}
            page, r = client.json(base, service, params=params)
            first = first or r
            batch = page.get("features") if isinstance(page, dict) else None
            if not isinstance(batch, list):
                raise shape_error(service, r.url, "verwacht een GeoJSON FeatureCollection met 'features'")
            features += batch
            client.progress("Leefbaarometer (WFS)", len(features), None, "buurten")
            start += len(batch)
            if len(batch) < PAGE:
                break
    if not features:
        raise DataError(f"{service.naam}: geen buurten van {gemeente}. Controleer de gemeentecode, of {service.handmatig}.")
    atomic_write(dest, json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False))
    return Answer(dest, first.url, first.headers.get("ETag"), first.headers.get("Last-Modified"), 0, "")


def download_gemeente(settings: ImportSettings, gemeente: str, jaar: int, bronnen=STANDAARD_BRONNEN, vernieuw: bool = False,
                      folder: Path | None = None, tabel: str | None = None, progress: Progress | None = None,
                      naam: str | None = None) -> tuple[Dataset, Rapport]:
    """Fetch and import one gemeente; the dataset records where every file came from (``meta["herkomst"]``)."""
    got = fetch_gemeente(settings, gemeente, jaar, bronnen, vernieuw, folder, tabel, progress)
    f = got.bestanden
    ds, rapport = build_dataset(
        check_gemeente(gemeente), f["buurten"],
        kerncijfers=[(f["kerncijfers"], jaar)] if "kerncijfers" in f else [],
        leefbaarometer=f.get("leefbaarometer"), naam=naam or check_gemeente(gemeente), max_mb=None,
        tolerance_m=settings.web_tolerantie_m, regels=settings.regels,
    )
    ds.meta["herkomst"] = got.herkomst
    return ds, rapport


def fetch_landelijk(settings: ImportSettings, jaar: int, bronnen=("pdok", "lbm"), vernieuw: bool = False,
                    folder: Path | None = None, progress: Progress | None = None) -> Opgehaald:
    """The wijk- en buurtkaart of ``jaar`` (the newest version) and the Leefbaarometer zip."""
    jaar = check_year(jaar, "--jaar")
    cache = BronCache(folder)
    u = urls(settings)
    out = Opgehaald()
    with Client(settings, progress) as client:
        cached = [n for n in cache.records() if n.startswith((f"WijkBuurtkaart_{jaar}_", f"wijkenbuurten_{jaar}."))]
        rec = next((cache.lookup(n) for n in sorted(cached, reverse=True) if cache.lookup(n)), None) if not vernieuw else None
        if rec is not None:
            out.add("wijkbuurtkaart", cache.folder / rec["bestand"], rec | {"uit_cache": True})
        else:
            url, key = wijkbuurtkaart_url(client, u, jaar, int(settings.download["max_versie"]))
            path, rec = cache.fetch(_basename(url), SERVICES[key],
                                    lambda dest: client.download(url, dest, SERVICES[key], "Wijk- en buurtkaart"), True,
                                    {"jaar": jaar})
            out.add("wijkbuurtkaart", path, rec)
        if "lbm" in bronnen:
            path, rec = fetch_leefbaarometer_zip(client, cache, u, vernieuw)
            out.add("leefbaarometer", path, rec)
    return out


def download_landelijk(settings: ImportSettings, jaar: int, bronnen=("pdok", "lbm"), vernieuw: bool = False,
                       folder: Path | None = None, progress: Progress | None = None, naam: str | None = None):
    """The national dataset: land buurten of the wijk- en buurtkaart plus the Leefbaarometer."""
    got = fetch_landelijk(settings, jaar, bronnen, vernieuw, folder, progress)
    ds, rapport = build_from_wijkbuurtkaart(got.bestanden["wijkbuurtkaart"], None, got.bestanden.get("leefbaarometer"),
                                            naam=naam, tolerance_m=settings.web_tolerantie_m)
    ds.meta["herkomst"] = got.herkomst
    return ds, rapport


def gemeenten() -> list[tuple[str, str]]:
    """``(gemeentecode, gemeentenaam)`` of the shipped list (the indeling of 2023–2025), by name."""
    with open(GEMEENTEN_CSV, encoding="utf-8", newline="") as fh:
        rows = [(r["gemeentecode"], r["gemeentenaam"]) for r in csv.DictReader(fh)]
    return sorted(rows, key=lambda r: r[1].lstrip("'s-").lower())


__all__ = ["BRONNEN", "GEMEENTEN_JAREN", "Opgehaald", "STANDAARD_BRONNEN", "check_bronnen", "download_gemeente",
           "download_landelijk", "fetch_gemeente", "fetch_landelijk", "gemeenten", "urls"]
