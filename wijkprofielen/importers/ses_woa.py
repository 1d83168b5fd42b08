"""CBS SES-WOA income per wijk en buurt from the StatLine OData feed, for years whose
Kerncijfers leave the income columns empty.

Tables ``86092NED`` (regio-indeling 2024) and ``85900NED`` (2023) list the buurten, wijken
and gemeenten of one indeling under ``WijkenEnBuurten`` (or ``RegioS``), keys padded with
spaces to 10 characters. Column suffixes are resolved by stem from ``DataProperties``, as for
the Kerncijfers. Buurt rows give buurt figures; an indicator without any buurt figure is taken
from the wijk rows and marked as a wijk figure (``niveau = "wijk"``), as the income table
per wijk is (:mod:`.inkomen`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import DataError
from .cbs_odata import _pages
from .client import SERVICES, Answer, Client, shape_error
from .invoer import Bronwaarden, open_input, sha256, values_frame
from .kerncijfers import stem
from .opslag import atomic_write
from .validate import WEIGEREN, check_range, check_year

TABLES = {2023: "85900NED", 2024: "86092NED"}
LICENTIE = "CC-BY 4.0, CBS"
REGION_KEYS = ("WijkenEnBuurten", "RegioS")
PERIOD_KEY = "Perioden"
MARGIN_KEY, VALUE_MARGIN = "Marges", "MW00000"
# Catalogue column -> StatLine stems, most specific first (the wording differs between tables).
STEMS = {
    "gem_gestandaardiseerd_inkomen": ("GemiddeldGestandaardiseerdInkomenVanHuishoudens", "GemiddeldGestandaardiseerdInkomen"),
    "pct_laag_inkomen": ("HuishoudensMetEenLaagInkomen", "HuishoudensMetLaagInkomen"),
    "pct_laagste_40_inkomen": ("k_40HuishoudensMetLaagsteInkomen", "HuishoudensMetLaagsteInkomens", "HuishoudensInLaagste40Inkomen"),
    "pct_hoogste_20_inkomen": ("k_20HuishoudensMetHoogsteInkomen", "HuishoudensMetHoogsteInkomens", "HuishoudensInHoogste20Inkomen"),
}


def bron(tabel: str) -> str:
    return f"CBS SES-WOA (tabel {tabel})"


def ses_table_for(jaar: int, tabel: str | None = None, strict: bool = True) -> str | None:
    """The SES-WOA table of the indeling ``jaar``; ``tabel`` names one the package does not know.

    Without a known table: a Dutch message when ``strict``, else None (the automatic fallback)."""
    if tabel:
        tabel = tabel.strip().upper()
        if not re.fullmatch(r"\d{5}NED", tabel):
            raise DataError(f"--ses-tabel {tabel}: een StatLine-tabelnummer is vijf cijfers en NED, bijvoorbeeld 86092NED.")
        return tabel
    if jaar in TABLES:
        return TABLES[jaar]
    if not strict:
        return None
    known = ", ".join(f"{j} ({t})" for j, t in sorted(TABLES.items()))
    raise DataError(
        f"--jaar {jaar}: geen SES-WOA-tabel (inkomen per wijk en buurt) bekend voor de indeling van dat jaar. Bekend zijn {known}. "
        f"Is er een nieuwere tabel, noem die dan met --ses-tabel (naast --tabel voor de Kerncijfers), bijvoorbeeld "
        f"--jaar {jaar} --ses-tabel 86xxxNED (het nummer staat op StatLine bij 'Sociaal-economische status; wijken en buurten')."
    )


def _by_stem(keys: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for k in keys:
        out.setdefault(stem(k), k)
    return out


def resolve_ses_columns(properties: list[dict], tabel: str, url: str) -> tuple[str, dict[str, str], list[str]]:
    """``(region key, {kolom: key}, other dimension keys)`` from ``DataProperties``."""
    keys = [str(p.get("Key", "")).strip() for p in properties if isinstance(p, dict) and p.get("Key")]
    by_stem = _by_stem(keys)
    region = next((by_stem[k] for k in REGION_KEYS if k in by_stem), None)
    if region is None:
        raise shape_error(SERVICES["cbs_odata"], url, f"tabel {tabel} heeft geen dimensie WijkenEnBuurten of RegioS "
                                                      f"(wel: {', '.join(keys[:6])}); is het een tabel per wijk en buurt?")
    columns = {}
    for kolom, stems in STEMS.items():
        hit = next((by_stem[s] for s in stems if s in by_stem), None)
        if hit:
            columns[kolom] = hit
    if not columns:
        raise shape_error(SERVICES["cbs_odata"], url, f"DataProperties van {tabel} noemt geen inkomenskolom "
                                                      f"(gezocht: {', '.join(s[0] for s in STEMS.values())}; wel: {', '.join(keys[:8])})")
    dims = [by_stem[k] for k in (PERIOD_KEY, MARGIN_KEY) if k in by_stem]
    return region, columns, dims


def download_ses(client: Client, base: str, gemeente: str, jaar: int, dest: Path, tabel: str | None = None,
                 label: str = "Inkomen SES-WOA (CBS)") -> Answer:
    """The wijken and buurten of ``gemeente`` from the SES-WOA table, as one OData JSON file."""
    tabel = ses_table_for(jaar, tabel)
    url = f"{base}/{tabel}/DataProperties"
    props, _ = _pages(client, url, {"$format": "json"})
    region, columns, dims = resolve_ses_columns(props, tabel, url)
    nr = gemeente[2:]
    flt = f"(startswith({region},'BU{nr}') or startswith({region},'WK{nr}'))"
    if MARGIN_KEY in dims:
        flt += f" and {MARGIN_KEY} eq '{VALUE_MARGIN}'"
    params = {"$format": "json", "$filter": flt, "$select": ",".join([region, *dims, *columns.values()])}
    rows, first = _pages(client, f"{base}/{tabel}/TypedDataSet", params, label)
    if not rows:
        raise DataError(f"{SERVICES['cbs_odata'].naam}: tabel {tabel} heeft geen wijken of buurten van {gemeente}. "
                        f"Controleer de gemeentecode (de indeling van {jaar}), of importeer het inkomen met --inkomen.")
    doc = {"odata.metadata": f"{base}/{tabel}/$metadata#Cbs.OData.WebAPI.TypedDataSet", "tabel": tabel,
           "regio": region, "kolommen": columns, "value": rows}
    atomic_write(dest, json.dumps(doc, ensure_ascii=False))
    return Answer(dest, first.url, first.headers.get("ETag"), first.headers.get("Last-Modified"), 0, "")


def read_ses(src, gemeente: str, jaar: int, bij_afwijking: str = WEIGEREN) -> list[Bronwaarden]:
    """The buurt figures and, for indicators without any, the wijk figures of ``gemeente`` (recorded under ``jaar``)."""
    inv = open_input(src, None)
    jaar = check_year(jaar, inv.naam)
    try:
        doc = json.loads(inv.data)
        rows, tabel, region, columns = doc["value"], doc["tabel"], doc["regio"], doc["kolommen"]
    except (ValueError, KeyError, TypeError):
        raise DataError(f"{inv.naam}: geen SES-WOA-bestand van download (JSON met 'value', 'tabel', 'regio', 'kolommen'). "
                        "Haal het opnieuw op met download --bronnen pdok,ses --vernieuw.") from None
    df = pd.DataFrame(rows)
    df["_code"] = df[region].astype(str).str.strip().str.upper()
    if MARGIN_KEY in df.columns:
        df = df[df[MARGIN_KEY].astype(str).str.strip() == VALUE_MARGIN]
    bronjaar = None
    if PERIOD_KEY in df.columns:  # several periods: the newest
        period = df[PERIOD_KEY].astype(str).str.strip()
        newest = period.max()
        df = df[period == newest]
        bronjaar = int(newest[:4]) if newest[:4].isdigit() else None
    out = []
    have: set[str] = set()
    for prefix, niveau in (("BU", "buurt"), ("WK", "wijk")):
        part = df[df["_code"].str.startswith(f"{prefix}{gemeente[2:]}")].drop_duplicates("_code")
        todo = {k: c for k, c in columns.items() if k not in have and c in part.columns and part[c].notna().any()}
        if part.empty or not todo:
            continue
        index = pd.Index(part["_code"].to_numpy(), name=f"{niveau}code")
        data, redenen = {}, {}
        for kolom, col in todo.items():
            raw = pd.to_numeric(part[col], errors="coerce")
            why = pd.Series(np.where(raw.isna(), "onderdrukt of onbekend bij CBS", ""), index=part.index)
            nums, why = check_range(raw, why, kolom, inv.naam, col, bij_afwijking)
            data[(kolom, jaar)] = nums.to_numpy(float)
            w = {c: r for c, r in zip(index, why) if r}
            if w:
                redenen[(kolom, jaar)] = w
        have |= set(todo)
        out.append(Bronwaarden(bron=bron(tabel), bestand=inv.naam, sha256=sha256(inv), niveau=niveau,
                               waarden=values_frame(data, index), redenen=redenen, aanwezig={jaar: list(index)},
                               licentie=LICENTIE,
                               bronjaren={(k, jaar): bronjaar for k in todo} if bronjaar and bronjaar != jaar else {}))
    if not out:
        raise DataError(f"{inv.naam}: geen inkomenscijfers van buurten of wijken van {gemeente} in tabel {tabel}. "
                        "Controleer de gemeentecode en de indeling van het jaar.")
    return out


__all__ = ["STEMS", "TABLES", "download_ses", "read_ses", "resolve_ses_columns", "ses_table_for"]
