"""Download the open sources for one gemeente and year, then import them.

* buurt boundaries with Kerncijfers attributes from the PDOK WFS (GeoJSON, paged with
  ``count``/``startIndex``);
* the Kerncijfers table from the CBS OData API (paged with ``odata.nextLink``);
* the Leefbaarometer 3 buurtscores CSV (only the gemeente's rows are kept).

Base URLs come from ``[download]`` in config.toml or the environment (see
:class:`wijkprofielen.config.ImportSettings`), so tests point them at a local server. Every file is written through a
temporary file and renamed, so a time-out or error never leaves a partial file behind.
"""

from __future__ import annotations

import http.client
import json
import socket
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import IO

from ..config import ImportSettings
from ..errors import DataError
from .kerncijfers import YEARS
from .opslag import atomic_write, geodata_dir

PAGE = 1000
USER_AGENT = "wijkprofielen (https://github.com/; open data import)"


class Voortgang:
    """A one-line progress bar on stderr: ``label [#####.....] 50% (1,2 MB)``."""

    def __init__(self, label: str, stream: IO[str] | None = None, width: int = 24):
        self.label, self.stream, self.width = label, stream or sys.stderr, width

    def update(self, done: int, total: int | None, eenheid: str = "bytes") -> None:
        if total:
            frac = min(done / total, 1.0)
            bar = "#" * int(frac * self.width) + "." * (self.width - int(frac * self.width))
            text = f"{self.label} [{bar}] {frac:4.0%}"
        else:
            text = f"{self.label} … {done / 1e6:.1f} MB" if eenheid == "bytes" else f"{self.label} … {done} {eenheid}"
        self.stream.write("\r" + text)
        self.stream.flush()

    def done(self, text: str) -> None:
        self.stream.write(f"\r{self.label} [{'#' * self.width}] 100% {text}\n")
        self.stream.flush()


def fetch(url: str, label: str, timeout: float, progress: Voortgang | None = None, key: str = "") -> bytes:
    """GET ``url`` with a time-out; errors become a Dutch :class:`DataError`."""
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "application/json, text/csv, */*"})
    where = f" of [download] {key} in config.toml" if key else ""
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            total = int(resp.headers.get("Content-Length") or 0) or None
            chunks, done = [], 0
            while True:
                chunk = resp.read(64 * 1024)
                if not chunk:
                    break
                chunks.append(chunk)
                done += len(chunk)
                if progress:
                    progress.update(done, total)
            if total and done < total:
                raise DataError(f"{label}: de verbinding met {url} werd verbroken na {done} van {total} bytes. Probeer het opnieuw.")
            return b"".join(chunks)
    except urllib.error.HTTPError as exc:
        raise DataError(f"{label}: de server antwoordde HTTP {exc.code} ({exc.reason}) op {url}. Controleer gemeente en jaar{where}.") from None
    except (TimeoutError, socket.timeout):
        raise DataError(f"{label}: geen antwoord binnen {timeout:g} s van {url}. Probeer het later opnieuw of verhoog [download] timeout_s.") from None
    except (http.client.HTTPException, ConnectionError) as exc:
        raise DataError(f"{label}: de verbinding met {url} werd verbroken ({type(exc).__name__}). Probeer het opnieuw.") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise DataError(f"{label}: geen antwoord binnen {timeout:g} s van {url}. Probeer het later opnieuw of verhoog [download] timeout_s.") from None
        raise DataError(f"{label}: {url} is niet bereikbaar ({reason}). Controleer de internetverbinding{where}.") from None


def _json(data: bytes, label: str, url: str) -> dict:
    try:
        return json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise DataError(f"{label}: het antwoord van {url} is geen JSON (begint met {data[:40]!r}). Controleer het adres in [download].") from None


def boundaries_url(base: str, gemeente: str, jaar: int, start: int) -> str:
    fes = (
        '<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0"><fes:PropertyIsEqualTo>'
        f"<fes:ValueReference>gemeentecode</fes:ValueReference><fes:Literal>{gemeente}</fes:Literal>"
        "</fes:PropertyIsEqualTo></fes:Filter>"
    )
    params = {"service": "WFS", "version": "2.0.0", "request": "GetFeature", "typeNames": "wijkenbuurten:buurten",
              "outputFormat": "application/json", "srsName": "EPSG:28992", "count": PAGE, "startIndex": start, "filter": fes}
    return f"{base.format(jaar=jaar)}?{urllib.parse.urlencode(params)}"


def download_boundaries(s: ImportSettings, gemeente: str, jaar: int, dest: Path, stream=None) -> Path:
    label = "Buurtgrenzen (PDOK WFS)"
    bar = Voortgang(label, stream)
    features, start = [], 0
    while True:
        url = boundaries_url(s.url("pdok_wfs"), gemeente, jaar, start)
        page = _json(fetch(url, label, s.download["timeout_s"], key="pdok_wfs"), label, url)
        batch = page.get("features") or []
        features += batch
        bar.update(len(features), page.get("numberMatched") if isinstance(page.get("numberMatched"), int) else None, "buurten")
        if len(batch) < PAGE:
            break
        start += PAGE
    if not features:
        raise DataError(f"{label}: geen buurten van {gemeente} in {jaar}. Controleer de gemeentecode en of PDOK dat jaar aanbiedt.")
    doc = {"type": "FeatureCollection", "name": "buurten",
           "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::28992"}}, "features": features}
    path = atomic_write(dest / f"buurten_{gemeente}_{jaar}.geojson", json.dumps(doc))
    bar.done(f"{len(features)} buurten")
    return path


def download_kerncijfers(s: ImportSettings, gemeente: str, jaar: int, dest: Path, stream=None) -> Path:
    label = "Kerncijfers (CBS OData)"
    if jaar not in YEARS:
        raise DataError(f"--jaar {jaar}: geen Kerncijfers-tabel bekend. Kies een van {', '.join(map(str, sorted(YEARS)))}.")
    table = YEARS[jaar]
    filt = urllib.parse.quote(f"startswith(WijkenEnBuurten,'BU{gemeente[2:]}')")
    url = f"{s.url('cbs_odata')}/{table}/TypedDataSet?$filter={filt}"
    bar = Voortgang(label, stream)
    rows, meta = [], None
    while url:
        page = _json(fetch(url, label, s.download["timeout_s"], key="cbs_odata"), label, url)
        meta = meta or page.get("odata.metadata")
        rows += page.get("value") or []
        bar.update(len(rows), None, "rijen")
        url = page.get("odata.nextLink")
    if not rows:
        raise DataError(f"{label}: tabel {table} heeft geen rijen voor {gemeente}. Controleer de gemeentecode.")
    path = atomic_write(dest / f"kerncijfers_{table}_{gemeente}.json", json.dumps({"odata.metadata": meta or table, "value": rows}))
    bar.done(f"{len(rows)} rijen uit {table}")
    return path


def download_leefbaarometer(s: ImportSettings, gemeente: str, dest: Path, stream=None) -> Path:
    label = "Leefbaarometer (CSV)"
    url = s.url("leefbaarometer_csv")
    data = fetch(url, label, s.download["timeout_s"], Voortgang(label, stream), key="leefbaarometer_csv")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    lines = text.splitlines()
    if not lines or "bu_code" not in lines[0].lower():
        raise DataError(f"{label}: {url} is geen Leefbaarometer-buurtbestand (kopregel {lines[0][:60] if lines else ''!r}). Controleer [download] leefbaarometer_csv.")
    # Keep only this gemeente's rows (codes may be quoted in the national file).
    keep = [lines[0]] + [ln for ln in lines[1:] if ln.lstrip('"').upper().startswith(f"BU{gemeente[2:]}")]
    path = atomic_write(dest / f"leefbaarometer3_{gemeente}.csv", "\n".join(keep) + "\n")
    Voortgang(label, stream).done(f"{len(keep) - 1} rijen van {gemeente}")
    return path


def download_all(s: ImportSettings, gemeente: str, jaar: int, dest: Path | None = None, stream=None) -> dict[str, Path]:
    """Fetch the three open sources into ``dest`` (default ``geodata/bronnen/<gemeente>-<jaar>``)."""
    dest = dest or geodata_dir() / "bronnen" / f"{gemeente}-{jaar}"
    dest.mkdir(parents=True, exist_ok=True)
    return {
        "buurten": download_boundaries(s, gemeente, jaar, dest, stream),
        "kerncijfers": download_kerncijfers(s, gemeente, jaar, dest, stream),
        "leefbaarometer": download_leefbaarometer(s, gemeente, dest, stream),
    }
