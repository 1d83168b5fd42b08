"""The import settings in ``config.toml``: ``[import]``, ``[lokaal.kolommen]`` and ``[download]``.

Validated when the config is loaded (:func:`wijkprofielen.config.config_from_dict` calls
:func:`import_settings`), with Dutch messages that name the key.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from ..errors import ConfigError
from .lokaal import check_mapping

DOWNLOAD_DEFAULTS = {
    # PDOK WFS of the CBS wijken en buurten; {jaar} is filled in.
    "pdok_wfs": "https://service.pdok.nl/cbs/wijkenbuurten/{jaar}/wfs/v1_0",
    # CBS OData (v3) API; the table id (e.g. 85984NED) is appended.
    "cbs_odata": "https://opendata.cbs.nl/ODataApi/odata",
    # Leefbaarometer 3 buurtscores as CSV (long format over the years).
    "leefbaarometer_csv": "https://www.leefbaarometer.nl/resources/LBM3_buurtscores.csv",
}
DOWNLOAD_ENV = {"pdok_wfs": "WIJKPROFIELEN_PDOK_WFS", "cbs_odata": "WIJKPROFIELEN_CBS_ODATA", "leefbaarometer_csv": "WIJKPROFIELEN_LBM_CSV"}


@dataclass(frozen=True)
class ImportSettings:
    max_mb: float = 50.0
    web_tolerantie_m: float = 10.0
    kolommen: dict[str, dict[str, str]] = field(default_factory=dict)
    download: dict[str, Any] = field(default_factory=dict)

    def url(self, key: str) -> str:
        """A download base URL; the environment variable of :data:`DOWNLOAD_ENV` overrides the config."""
        return os.environ.get(DOWNLOAD_ENV[key]) or self.download[key]


def _num(d: dict, key: str, default: float, where: str, lo: float, hi: float) -> float:
    v = d.get(key, default)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not lo <= v <= hi:
        raise ConfigError(f"Configuratie: {where}.{key} = {v!r} is ongeldig. Geef een getal van {lo:g} tot en met {hi:g}.")
    return float(v)


def _table(raw: dict, key: str) -> dict:
    v = raw.get(key, {})
    if not isinstance(v, dict):
        raise ConfigError(f"Configuratie: [{key}] moet een tabel zijn, niet {v!r}.")
    return v


def import_settings(raw: dict[str, Any]) -> ImportSettings:
    """Validate and return the import settings from a parsed config dict."""
    imp = _table(raw, "import")
    for key in imp:
        if key not in ("max_mb", "web_tolerantie_m"):
            raise ConfigError(f"Configuratie: import.{key} is onbekend. Gebruik max_mb of web_tolerantie_m.")
    lokaal = _table(raw, "lokaal")
    kolommen = lokaal.get("kolommen", {})
    if not isinstance(kolommen, dict):
        raise ConfigError("Configuratie: lokaal.kolommen moet een tabel zijn ('kolom in bestand' = \"indicatorkolom\").")
    dl = _table(raw, "download")
    download = dict(DOWNLOAD_DEFAULTS)
    for key, value in dl.items():
        if key == "timeout_s":
            download[key] = _num(dl, key, 30, "download", 1, 600)
            continue
        if key not in DOWNLOAD_DEFAULTS:
            raise ConfigError(f"Configuratie: download.{key} is onbekend. Gebruik {', '.join(DOWNLOAD_DEFAULTS)} of timeout_s.")
        if not isinstance(value, str) or urlparse(value).scheme not in ("http", "https"):
            raise ConfigError(f"Configuratie: download.{key} = {value!r} is geen http(s)-adres. Geef een volledige URL.")
        download[key] = value.rstrip("/")
    download.setdefault("timeout_s", 30.0)
    return ImportSettings(
        max_mb=_num(imp, "max_mb", 50, "import", 0.001, 2048),
        web_tolerantie_m=_num(imp, "web_tolerantie_m", 10, "import", 0, 1000),
        kolommen=check_mapping(kolommen, "lokaal.kolommen"),
        download=download,
    )
