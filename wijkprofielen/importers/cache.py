"""The folder of fetched source files (``geodata/bronnen/``) and their provenance.

Every file is recorded in ``bronnen.json`` beside it: the URL it came from, when, the
``ETag``/``Last-Modified`` the service sent, size, sha256 and licence. A second run reuses a
recorded file unless asked to renew it; a file on disk whose hash no longer matches its record
is fetched again. The same records go into the dataset's metadata (``meta["herkomst"]``), so
an export names exactly the publication it rests on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import DataError
from .client import Answer, Service
from .opslag import atomic_write, geodata_dir

INDEX = "bronnen.json"


def bronnen_dir() -> Path:
    """``geodata/bronnen/`` (follows ``$WIJKPROFIELEN_GEODATA``)."""
    return geodata_dir() / "bronnen"


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class BronCache:
    """Fetched files in one folder, with ``bronnen.json``."""

    def __init__(self, folder: Path | None = None):
        self.folder = Path(folder) if folder else bronnen_dir()

    @property
    def index_path(self) -> Path:
        return self.folder / INDEX

    def records(self) -> dict[str, dict[str, Any]]:
        """``{file name: record}``; a damaged index counts as empty (the files are fetched again)."""
        try:
            data = json.loads(self.index_path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError, UnicodeDecodeError):
            return {}
        return data.get("bestanden", {}) if isinstance(data, dict) and isinstance(data.get("bestanden"), dict) else {}

    def lookup(self, naam: str) -> dict[str, Any] | None:
        """The record of ``naam`` when the file is there and still has the recorded hash."""
        rec = self.records().get(naam)
        path = self.folder / naam
        if rec is None or not path.is_file() or path.stat().st_size != rec.get("grootte"):
            return None
        return rec if file_sha256(path) == rec.get("sha256") else None

    def fetch(self, naam: str, service: Service, produce: Callable[[Path], Answer], vernieuw: bool = False,
              extra: dict[str, Any] | None = None) -> tuple[Path, dict[str, Any]]:
        """The file ``naam``: from the cache, or made by ``produce(path)`` and recorded.

        ``produce`` writes the file (atomically) and returns the :class:`Answer` of the request
        that identifies the publication (for paged services: the first page).
        """
        self.folder.mkdir(parents=True, exist_ok=True)
        if not vernieuw:
            rec = self.lookup(naam)
            if rec is not None:
                return self.folder / naam, rec | {"uit_cache": True}
        path = self.folder / naam
        answer = produce(path)
        if not path.is_file():
            raise DataError(f"{service.naam}: {naam} is niet geschreven. Probeer het opnieuw.")
        rec = {
            "bestand": naam,
            "bron": service.naam,
            "url": answer.url,
            "opgehaald": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "etag": answer.etag,
            "last_modified": answer.last_modified,
            "grootte": path.stat().st_size,
            "sha256": file_sha256(path),
            "licentie": service.licentie,
            **(extra or {}),
        }
        self._store(naam, rec)
        return path, rec | {"uit_cache": False}

    def _store(self, naam: str, rec: dict[str, Any]) -> None:
        records = self.records()
        records[naam] = rec
        atomic_write(self.index_path, json.dumps({"bestanden": dict(sorted(records.items()))}, ensure_ascii=False, indent=1) + "\n")


__all__ = ["BronCache", "INDEX", "bronnen_dir", "file_sha256"]
