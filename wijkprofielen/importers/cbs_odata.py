"""CBS Kerncijfers wijken en buurten from the StatLine OData feed (v3).

``{cbs_odata}/{tabel}/DataProperties`` lists the table's column keys, whose numeric suffix
changes every year (``InBezitWoningcorporatie_42`` in 2021, ``_49`` in 2024): they are
resolved here by stem against the indicator catalogue, and only those columns are asked for
(``$select``). ``TypedDataSet`` then answers in pages that end with ``odata.nextLink``; the
``ODataFeed`` has no cap on the number of cells (the ``ODataApi`` stops at 10,000). Keys of
``WijkenEnBuurten`` are padded with spaces to 10 characters.

``cbsodata`` is not used: it fixes the host and replaces the ``WijkenEnBuurten`` codes by names.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import indicators
from ..errors import DataError
from .client import SERVICES, Answer, Client, shape_error
from .kerncijfers import YEARS, stem
from .opslag import atomic_write

# Columns besides the catalogue's: the region key, its code, the gemeente name and the kind of region.
ID_STEMS = ("Gemeentenaam", "SoortRegio", "Codering")
REGION_KEY = "WijkenEnBuurten"


def table_for(jaar: int, tabel: str | None = None) -> str:
    """The StatLine table of ``jaar``; ``tabel`` names a newer one the package does not know yet."""
    if tabel:
        tabel = tabel.strip().upper()
        if not (len(tabel) == 8 and tabel[:5].isdigit() and tabel.endswith("NED")):
            raise DataError(f"--tabel {tabel}: een StatLine-tabelnummer is vijf cijfers en NED, bijvoorbeeld 86165NED.")
        return tabel
    if jaar not in YEARS:
        known = ", ".join(f"{j} ({t})" for j, t in sorted(YEARS.items()))
        raise DataError(
            f"--jaar {jaar}: geen Kerncijfers-tabel bekend voor dat jaar. Bekend zijn {known}. "
            f"Is er een nieuwere tabel, noem die dan met --tabel, bijvoorbeeld --jaar {jaar} --tabel 86xxxNED "
            "(het nummer staat op StatLine bij 'Kerncijfers wijken en buurten')."
        )
    return YEARS[jaar]


def _pages(client: Client, url: str, params: dict | None, label: str | None = None):
    """Every record of an OData feed, following ``odata.nextLink`` exactly as given."""
    service = SERVICES["cbs_odata"]
    rows: list[dict] = []
    first = None
    while url:
        page, r = client.json(url, service, params=params)
        first = first or r
        if not isinstance(page, dict) or not isinstance(page.get("value"), list):
            found = ", ".join(list(page)[:6]) if isinstance(page, dict) else type(page).__name__
            raise shape_error(service, r.url, f"verwacht een OData-antwoord met 'value', kreeg {found}")
        rows += page["value"]
        if label:
            client.progress(label, len(rows), None, "rijen")
        url = page.get("odata.nextLink") or page.get("@odata.nextLink")
        params = None
    return rows, first


def resolve_columns(properties: list[dict], tabel: str, url: str) -> list[str]:
    """The keys to ``$select``: the region key, the ID columns and every catalogue stem present."""
    keys = [str(p.get("Key", "")).strip() for p in properties if isinstance(p, dict) and p.get("Key")]
    if not keys:
        raise shape_error(SERVICES["cbs_odata"], url, f"DataProperties van {tabel} noemt geen kolommen ('Key')")
    by_stem: dict[str, str] = {}
    for k in keys:
        by_stem.setdefault(stem(k), k)
    if REGION_KEY not in by_stem:
        raise shape_error(SERVICES["cbs_odata"], url, f"tabel {tabel} heeft geen dimensie {REGION_KEY}: is het een Kerncijfers-tabel?")
    wanted = list(ID_STEMS) + [i.cbs_stem for i in indicators.catalogue().values() if i.cbs_stem]
    found = [by_stem[s] for s in dict.fromkeys(wanted) if s in by_stem]
    if "AantalInwoners" not in by_stem:
        raise shape_error(SERVICES["cbs_odata"], url, f"DataProperties van {tabel} noemt geen AantalInwoners_* "
                                                      f"(wel: {', '.join(keys[:6])}); is het een Kerncijfers-tabel?")
    return [by_stem[REGION_KEY], *found]


def download_kerncijfers(client: Client, base: str, gemeente: str | None, jaar: int, dest: Path,
                         tabel: str | None = None, label: str = "Kerncijfers (CBS)") -> Answer:
    """The Kerncijfers of the buurten of ``gemeente`` (None: all buurten) as one OData JSON file."""
    tabel = table_for(jaar, tabel)
    props, _ = _pages(client, f"{base}/{tabel}/DataProperties", {"$format": "json"})
    select = resolve_columns(props, tabel, f"{base}/{tabel}/DataProperties")
    prefix = f"BU{gemeente[2:]}" if gemeente else "BU"
    params = {"$format": "json", "$filter": f"startswith({REGION_KEY},'{prefix}')", "$select": ",".join(select)}
    rows, first = _pages(client, f"{base}/{tabel}/TypedDataSet", params, label)
    if not rows:
        raise DataError(
            f"{SERVICES['cbs_odata'].naam}: tabel {tabel} heeft geen buurten van {gemeente or 'Nederland'}. "
            f"Controleer de gemeentecode (de indeling van {jaar}), of {SERVICES['cbs_odata'].handmatig}."
        )
    if not any(str(r.get(select[0], "")).strip().startswith(prefix) for r in rows[:5]):
        raise shape_error(SERVICES["cbs_odata"], first.url, f"de rijen hebben geen buurtcode in {select[0]}")
    doc = {"odata.metadata": f"{base}/{tabel}/$metadata#Cbs.OData.WebAPI.TypedDataSet", "tabel": tabel, "value": rows}
    atomic_write(dest, json.dumps(doc, ensure_ascii=False))
    return Answer(dest, first.url, first.headers.get("ETag"), first.headers.get("Last-Modified"), 0, "")


__all__ = ["download_kerncijfers", "resolve_columns", "table_for"]
