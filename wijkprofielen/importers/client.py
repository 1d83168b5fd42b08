"""HTTP for the open sources: one ``requests`` session with urllib3 retries, resumable downloads.

* 429 and 5xx answers and refused or cut connections are retried with a growing wait
  (``[download] pogingen``, ``wachttijd_s``); a ``Retry-After`` header wins.
* Every request has a time-out (``[download] timeout_s``).
* A large file that is cut off halfway is resumed with a ``Range`` request from the byte it
  reached (``If-Range`` with its ETag, so a changed file starts over); a server that ignores
  ``Range`` sends the whole file again.
* Files are written to a temporary file beside the target and renamed when complete: a failed
  download never leaves a partial file.

Every failure is a Dutch :class:`~wijkprofielen.errors.DataError` that names the service, what
came back, and how to import a file downloaded by hand instead (:class:`Service`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from ..config import ImportSettings
from ..errors import DataError
from .opslag import atomic_path

USER_AGENT = "wijkprofielen (open data import; https://github.com/)"
RETRY_STATUS = (429, 500, 502, 503, 504)
CHUNK = 64 * 1024
# progress(label, done, total or None, unit)
Progress = Callable[[str, int, "int | None", str], None]


@dataclass(frozen=True)
class Service:
    """An open source as the user knows it: its name, its ``[download]`` key, licence, and the
    way to import it by hand when the service cannot be used."""

    naam: str
    key: str
    licentie: str
    handmatig: str


SERVICES = {
    "pdok_ogc": Service("PDOK OGC API wijken en buurten", "pdok_ogc", "CC-BY 4.0, CBS / Kadaster",
                        "download de buurtgrenzen zelf (GeoPackage van PDOK of de CBS wijk- en buurtkaart) en importeer ze met "
                        "'python -m wijkprofielen import --buurten BESTAND'"),
    "pdok_wfs": Service("PDOK WFS wijken en buurten", "pdok_wfs", "CC-BY 4.0, CBS / Kadaster",
                        "download de buurtgrenzen zelf (de CBS wijk- en buurtkaart van dat jaar) en importeer ze met "
                        "'python -m wijkprofielen import --buurten BESTAND'"),
    "cbs_odata": Service("CBS StatLine OData-feed", "cbs_odata", "CC-BY 4.0, CBS",
                         "download de tabel als CSV van StatLine (opendata.cbs.nl) en importeer die met "
                         "'python -m wijkprofielen import --kerncijfers BESTAND'"),
    "leefbaarometer_zip": Service("Leefbaarometer 3.0 open data (zip)", "leefbaarometer_zip", "CC0 1.0, Ministerie van BZK",
                                  "download de open-data-zip van leefbaarometer.nl en importeer de zip of de CSV erin met "
                                  "'python -m wijkprofielen import --leefbaarometer BESTAND'"),
    "leefbaarometer_wfs": Service("Leefbaarometer 3.0 WFS", "leefbaarometer_wfs", "CC0 1.0, Ministerie van BZK",
                                  "gebruik de open-data-zip van leefbaarometer.nl ('--bronnen lbm') of importeer die zip met "
                                  "'python -m wijkprofielen import --leefbaarometer BESTAND'"),
    "wijkbuurtkaart": Service("CBS wijk- en buurtkaart", "wijkbuurtkaart", "CC-BY 4.0, CBS / Kadaster",
                              "download de zip van de wijk- en buurtkaart van cbs.nl (of de GeoPackage van PDOK) en importeer die met "
                              "'python -m wijkprofielen import --wijkbuurtkaart BESTAND --landelijk'"),
    "pdok_gpkg": Service("PDOK-download wijk- en buurtkaart (GeoPackage)", "pdok_gpkg", "CC-BY 4.0, CBS / Kadaster",
                         "download de GeoPackage zelf en importeer die met "
                         "'python -m wijkprofielen import --wijkbuurtkaart BESTAND --landelijk'"),
}


def service_error(service: Service, wat: str) -> DataError:
    """``{service}: {what came back}. Probeer het later opnieuw, of {import by hand}.``"""
    return DataError(f"{service.naam}: {wat}. Probeer het later opnieuw, of {service.handmatig}.")


def shape_error(service: Service, url: str, wat: str) -> DataError:
    """The answer had an unexpected shape: the service may have changed."""
    return DataError(
        f"{service.naam}: het antwoord van {url} heeft een onverwachte vorm ({wat}). De dienst is mogelijk veranderd: "
        f"controleer dat met 'python -m wijkprofielen bronnen controleer', of {service.handmatig}."
    )


def _glimpse(data: bytes, n: int = 60) -> str:
    text = data[:n].decode("utf-8", "replace").replace("\n", " ").strip()
    return repr(text + ("…" if len(data) > n else ""))


@dataclass
class Answer:
    """What a download brought: where it is, and the headers that identify the publication."""

    path: Path
    url: str
    etag: str | None
    last_modified: str | None
    grootte: int
    sha256: str


class Client:
    """One HTTP session for all sources of a run.

    Parameters
    ----------
    settings : ImportSettings
        ``[download]``: ``timeout_s``, ``pogingen``, ``wachttijd_s``.
    progress : callable, optional
        ``progress(label, done, total, unit)``; the CLI draws it with tqdm, the Data page with
        ``st.progress``.
    """

    def __init__(self, settings: ImportSettings, progress: Progress | None = None):
        d = settings.download
        self.timeout = float(d["timeout_s"])
        self.pogingen = int(d["pogingen"])
        self.progress = progress or (lambda *a: None)
        retry = Retry(total=self.pogingen, connect=self.pogingen, read=self.pogingen, status=self.pogingen, other=0,
                      backoff_factor=float(d["wachttijd_s"]), backoff_max=60, status_forcelist=RETRY_STATUS,
                      allowed_methods=frozenset({"GET", "HEAD"}), respect_retry_after_header=True, raise_on_status=False)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- requests ------------------------------------------------------------------------------

    def get(self, url: str, service: Service, params: dict | None = None, headers: dict | None = None,
            stream: bool = False, ok: tuple[int, ...] = (200,)) -> requests.Response:
        """GET with retries; any other status than ``ok`` after the last attempt is a DataError."""
        try:
            r = self.session.get(url, params=params, headers=headers, timeout=self.timeout, stream=stream)
        except requests.exceptions.Timeout:
            raise service_error(service, f"geen antwoord binnen {self.timeout:g} s van {url} "
                                         "(verhoog zo nodig [download] timeout_s)") from None
        except requests.exceptions.RetryError as exc:
            raise service_error(service, f"{url} bleef na {self.pogingen + 1} pogingen een fout geven ({_reason(exc)})") from None
        except requests.exceptions.ConnectionError as exc:
            raise service_error(service, f"{url} is niet bereikbaar na {self.pogingen + 1} pogingen ({_reason(exc)}); "
                                         "controleer de internetverbinding en het adres in [download]") from None
        except requests.exceptions.RequestException as exc:
            raise service_error(service, f"de aanvraag naar {url} mislukte ({_reason(exc)})") from None
        if r.status_code not in ok:
            body = r.content[:200] if not stream else b""
            r.close()
            extra = f", antwoord {_glimpse(body)}" if body else ""
            tries = f" na {self.pogingen + 1} pogingen" if r.status_code in RETRY_STATUS else ""
            raise service_error(service, f"{r.request.url} antwoordde HTTP {r.status_code} ({r.reason}){tries}{extra}")
        return r

    def exists(self, url: str, service: Service) -> bool:
        """Whether ``url`` answers 200 to a HEAD request (404/410 mean no; other failures raise)."""
        try:
            r = self.session.head(url, timeout=self.timeout, allow_redirects=True)
        except requests.exceptions.RequestException as exc:
            raise service_error(service, f"{url} is niet bereikbaar ({_reason(exc)})") from None
        if r.status_code in (404, 410, 403):
            return False
        if r.status_code != 200:
            raise service_error(service, f"{url} antwoordde HTTP {r.status_code} ({r.reason}) op een HEAD-aanvraag")
        return True

    def json(self, url: str, service: Service, params: dict | None = None) -> tuple[Any, requests.Response]:
        """GET a JSON document; an answer that is no JSON names what came back."""
        r = self.get(url, service, params=params, headers={"Accept": "application/json, application/geo+json"})
        try:
            return r.json(), r
        except ValueError:
            ctype = r.headers.get("Content-Type", "onbekend")
            raise shape_error(service, r.url, f"geen JSON maar {ctype}, beginnend met {_glimpse(r.content)}") from None

    def download(self, url: str, dest: Path, service: Service, label: str) -> Answer:
        """Stream ``url`` to ``dest`` atomically, resuming a cut connection with ``Range``."""
        h = hashlib.sha256()
        with atomic_path(dest) as tmp, open(tmp, "wb") as fh:
            r = self.get(url, service, stream=True)
            etag, modified = r.headers.get("ETag"), r.headers.get("Last-Modified")
            total = _length(r)
            done, resumes = 0, 0
            while True:
                try:
                    for chunk in r.iter_content(CHUNK):
                        fh.write(chunk)
                        h.update(chunk)
                        done += len(chunk)
                        self.progress(label, done, total, "B")
                    r.close()
                    if total is not None and done < total:
                        raise requests.exceptions.ChunkedEncodingError("te weinig bytes")
                    break
                except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ConnectionError,
                        requests.exceptions.Timeout) as exc:
                    r.close()
                    resumes += 1
                    if resumes > self.pogingen:
                        raise service_error(service, f"de verbinding met {url} werd {resumes} keer verbroken, laatst na "
                                                     f"{done} van {total or '?'} bytes ({_reason(exc)})") from None
                    headers = {"Range": f"bytes={done}-"}
                    if etag or modified:
                        headers["If-Range"] = etag or modified
                    r = self.get(url, service, stream=True, headers=headers, ok=(200, 206))
                    if r.status_code == 200 or not r.headers.get("Content-Range", "").startswith(f"bytes {done}-"):
                        # No resume: the server sends the whole file (again).
                        fh.seek(0)
                        fh.truncate()
                        h, done = hashlib.sha256(), 0
                        etag, modified, total = r.headers.get("ETag"), r.headers.get("Last-Modified"), _length(r)
            fh.flush()
        return Answer(Path(dest), url, etag, modified, done, h.hexdigest())


def _length(r: requests.Response) -> int | None:
    rng = r.headers.get("Content-Range", "")
    if rng.startswith("bytes ") and "/" in rng and not rng.endswith("/*"):
        return int(rng.rsplit("/", 1)[1])
    length = r.headers.get("Content-Length")
    return int(length) if length and length.isdigit() and "gzip" not in r.headers.get("Content-Encoding", "") else None


def _reason(exc: Exception) -> str:
    """The innermost cause of a requests/urllib3 error, short."""
    cause: BaseException = exc
    while True:
        inner = getattr(cause, "reason", None) or cause.__context__ or (cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else None)
        if not isinstance(inner, BaseException) or inner is cause:
            break
        cause = inner
    text = str(cause) or type(cause).__name__
    return text if len(text) <= 160 else text[:157] + "…"


__all__ = ["Answer", "Client", "Progress", "SERVICES", "Service", "service_error", "shape_error"]
