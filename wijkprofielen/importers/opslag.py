"""Where named datasets live (``geodata/``) and atomic writes.

A dataset is named by its file stem: ``geodata/GM0796.parquet`` is dataset ``GM0796``.
Writes go to a temporary file in the same folder and are renamed into place, so a failed
import or download never leaves a damaged or partial file behind.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import DataError

PACKAGE_ROOT = Path(__file__).resolve().parent.parent.parent
DATASET_SUFFIX = ".parquet"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def geodata_dir() -> Path:
    """The folder with named datasets: ``$WIJKPROFIELEN_GEODATA`` or ``geodata/`` in the repository."""
    env = os.environ.get("WIJKPROFIELEN_GEODATA")
    return Path(env) if env else PACKAGE_ROOT / "geodata"


def check_name(naam: str) -> str:
    """Validate a dataset name (letters, digits, ``-``, ``_``, ``.``; at most 64)."""
    naam = (naam or "").strip()
    if not _NAME.match(naam) or naam.endswith(DATASET_SUFFIX):
        raise DataError(
            f"Datasetnaam {naam!r} is ongeldig. Gebruik letters, cijfers, '-', '_' of '.', "
            "begin met een letter of cijfer en gebruik hoogstens 64 tekens, bijvoorbeeld GM0796 of GM0796-2024."
        )
    return naam


def list_datasets(folder: Path | None = None) -> dict[str, Path]:
    """Named datasets in ``folder`` (default :func:`geodata_dir`), sorted by name."""
    folder = folder or geodata_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob(f"*{DATASET_SUFFIX}")) if _NAME.match(p.stem) and not p.name.startswith(".")}


def dataset_path(naam: str, folder: Path | None = None) -> Path:
    """The file of dataset ``naam`` (it need not exist yet)."""
    return (folder or geodata_dir()) / f"{check_name(naam)}{DATASET_SUFFIX}"


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; on success it replaces ``path`` in one step.

    On an exception the temporary file is removed and ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def atomic_write(path: str | os.PathLike, data: bytes | str | Callable[[Path], None]) -> Path:
    """Write bytes, text (UTF-8) or, via a callable that writes to a path, atomically."""
    with atomic_path(path) as tmp:
        if callable(data):
            data(tmp)
        elif isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)
    return Path(path)


def keep_newest(folder: Path, pattern: str, keep: int) -> None:
    """Remove all but the ``keep`` most recently written files matching ``pattern`` in ``folder`` (a cache's bound)."""
    files = sorted(Path(folder).glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
    for stale in files[keep:]:
        stale.unlink(missing_ok=True)
