"""The Leefbaarometer 3.0 open data in each published form, as the long buurt CSV the reader takes.

* The zip ``open-data-leefbaarometer-meting-2024.zip``, with
  ``Leefbaarometer 3.0 - Meting 2024 - open data/Leefbaarometer-scores buurten 2002-2024.csv``
  (long: ``bu_code, jaar, lbm, afw, fys, onv, soc, vrz, won``; ``afw`` may be absent).
  Another meting has another folder and file name: any ``…scores buurten….csv`` is taken.
* The CSV itself.
* The WFS ``lbm3:buurtscoreJJ`` as GeoJSON: ``id`` (the buurtcode), ``name``, ``year`` (text),
  ``afw``…``won`` and classes ``kscore``, ``kafw``…; it has **no** ``lbm`` total.

Only the rows of one gemeente are kept when one is named, so the national file reads fast.
"""

from __future__ import annotations

import csv
import io
import json
import re
import os
import zipfile
from pathlib import Path

from ..errors import DataError
from .invoer import Invoer, decode, open_input

EXPECTED = "Leefbaarometer 3.0 - Meting 2024 - open data/Leefbaarometer-scores buurten 2002-2024.csv"
_MEMBER = re.compile(r"scores[ _-]*buurten.*\.csv$", re.IGNORECASE)
SCORES = ("afw", "fys", "onv", "soc", "vrz", "won")
WFS_COLUMNS = ("bu_code", "bu_naam", "jaar", *SCORES)


def is_zip(inv: Invoer) -> bool:
    return inv.data[:4] == b"PK\x03\x04"


def csv_member(names: list[str], naam: str) -> str:
    """The buurt scores CSV inside the zip: the published name, else any ``…scores buurten….csv``."""
    if EXPECTED in names:
        return EXPECTED
    hits = sorted(n for n in names if _MEMBER.search(n.rsplit("/", 1)[-1]))
    if hits:
        return hits[-1]
    shown = ", ".join(n for n in names[:8]) + (" …" if len(names) > 8 else "")
    raise DataError(
        f"{naam}: dit zip-bestand bevat geen CSV met de Leefbaarometer-scores per buurt (verwacht '{EXPECTED}'; "
        f"gevonden: {shown or 'niets'}). Kies de open-data-zip van de Leefbaarometer 3.0, of pak de CSV met de buurtscores uit "
        "en geef die met --leefbaarometer."
    )


def from_zip(inv: Invoer, gemeente: str | None) -> Invoer:
    return _read_member(io.BytesIO(inv.data), inv.naam, gemeente)


def _read_member(source, naam: str, gemeente: str | None) -> Invoer:
    try:
        with zipfile.ZipFile(source) as zf:
            member = csv_member([i.filename for i in zf.infolist() if not i.is_dir()], naam)
            data = zf.read(member)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise DataError(f"{naam}: het zip-bestand is beschadigd of onvolledig ({exc}). Download het opnieuw.") from None
    return only_gemeente(Invoer(member.rsplit("/", 1)[-1], data), gemeente)


def open_source(src: "str | os.PathLike | Invoer", max_mb: float | None, gemeente: str | None) -> Invoer:
    """Open a Leefbaarometer file; a zip on disk is read member by member (the open-data zip is large)."""
    if not isinstance(src, Invoer) and Path(src).is_file() and zipfile.is_zipfile(src):
        return _read_member(Path(src), Path(src).name, gemeente)
    return as_csv(open_input(src, max_mb), gemeente)


def only_gemeente(inv: Invoer, gemeente: str | None) -> Invoer:
    """The header and the rows whose first field is a buurtcode of ``gemeente`` (None: all rows)."""
    if gemeente is None:
        return inv
    text, _ = decode(inv, "Leefbaarometer-bestand")
    lines = text.splitlines()
    if not lines:
        return inv
    prefix = f"BU{gemeente[2:]}"
    header = lines[0].lower()
    sep = ";" if header.count(";") > header.count(",") else ","
    first = [h.strip().strip('"') for h in header.split(sep)]
    col = first.index("bu_code") if "bu_code" in first else 0
    keep = [lines[0]] + [ln for ln in lines[1:]
                         if (fields := ln.split(sep)) and len(fields) > col and fields[col].strip().strip('"').upper().startswith(prefix)]
    return Invoer(inv.naam, ("\n".join(keep) + "\n").encode("utf-8"), inv.pad)


def from_wfs(inv: Invoer, gemeente: str | None) -> Invoer:
    """WFS GeoJSON (one or more pages or layers) as a long CSV without ``lbm``."""
    text, _ = decode(inv, "Leefbaarometer-bestand")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"{inv.naam}: geen geldige JSON (regel {exc.lineno}). Download het WFS-antwoord opnieuw.") from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise DataError(f"{inv.naam}: geen GeoJSON met 'features'. Gebruik een GetFeature-antwoord van lbm3:buurtscoreJJ "
                        "met outputFormat=application/json, of de open-data-zip.")
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(WFS_COLUMNS)
    prefix = f"BU{gemeente[2:]}" if gemeente else "BU"
    for n, f in enumerate(features, 1):
        p = f.get("properties") if isinstance(f, dict) else None
        if not isinstance(p, dict) or "id" not in p or "year" not in p:
            keys = ", ".join(list(p)[:8]) if isinstance(p, dict) else "geen properties"
            raise DataError(f"{inv.naam}: object {n} heeft geen 'id' (buurtcode) en 'year' (wel: {keys}). "
                            "Gebruik de laag lbm3:buurtscoreJJ van de Leefbaarometer-WFS.")
        code = str(p["id"]).strip()
        if code.upper().startswith(prefix):
            w.writerow([code, p.get("name", ""), p["year"], *("" if p.get(s) is None else p[s] for s in SCORES)])
    return Invoer(inv.naam.rsplit(".", 1)[0] + ".csv", out.getvalue().encode("utf-8"), inv.pad)


def as_csv(inv: Invoer, gemeente: str | None) -> Invoer:
    """Whatever form the Leefbaarometer came in, as the long CSV (of ``gemeente`` when named)."""
    if is_zip(inv):
        return from_zip(inv, gemeente)
    if inv.data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return from_wfs(inv, gemeente)
    return inv  # the CSV itself: the reader reports the rows it leaves out


__all__ = ["EXPECTED", "as_csv", "open_source", "csv_member", "from_wfs", "from_zip", "is_zip", "only_gemeente"]
