"""Writing tables from CLI commands."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd

from ..errors import WijkprofielenError
from ..export.tables import records
from ..importers.opslag import atomic_write


def write_table(table: pd.DataFrame, out: str | None, fmt: str | None = None) -> None:
    """Write CSV or JSON to ``out`` (by extension or ``fmt``), or CSV to stdout."""
    fmt = fmt or (Path(out).suffix.lower().lstrip(".") if out else "csv")
    if fmt not in ("csv", "json"):
        raise WijkprofielenError(f"Uitvoerformaat '{fmt}' wordt niet ondersteund. Gebruik een .csv- of .json-bestand.")
    text = json.dumps(records(table), ensure_ascii=False, indent=1) + "\n" if fmt == "json" else table.to_csv(index=False)
    if not out:
        sys.stdout.write(text)
        return
    write_bytes(out, text.encode("utf-8"))


def write_bytes(out: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``out`` atomically: a failed write leaves any old file intact."""
    path = Path(out)
    if not path.parent.exists():
        raise WijkprofielenError(f"Map {path.parent} bestaat niet. Maak die eerst aan of kies een ander --out.")
    if path.is_dir():
        raise WijkprofielenError(f"--out {path} is een map. Geef een bestandsnaam op.")
    return atomic_write(path, data)


def write_text(text: str, out: str | Path | None) -> None:
    """Write ``text`` (plus a final newline) to ``out`` atomically, or to stdout without ``out``."""
    text = text if text.endswith("\n") else text + "\n"
    if not out:
        sys.stdout.write(text)
    else:
        write_bytes(out, text.encode("utf-8"))
