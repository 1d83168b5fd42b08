"""The snapshot manifest and ``reproduce``: show a year later how a buurt was placed.

The manifest (JSON) records the dataset files with their SHA-256, the dataset's content
hash, the full config and recipe, the thresholds, the app version, a timestamp and every
resulting score. :func:`reproduce` recomputes from the recorded inputs and lists every
difference; an empty list means identical.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from .. import __version__
from ..config import Config, config_from_dict
from ..dataset import Dataset, load_dataset
from ..errors import DataError, WijkprofielenError
from ..domain import EXTERNAL_REFERENCES
from ..reference import KWB_FILES, reference_dir
from ..scoring import ScoreResult, score_table
from ..stability import join_stability
from ..synthetic import voorbeeldstad
from ..workspace import Workspace
from .tables import records

SOORT = "wijkprofielen-snapshot"
VERSIE = 1
MAX_EXAMPLES = 5


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def build_manifest(ds: Dataset, frame: pd.DataFrame, result: ScoreResult, cfg: Config, *, jaar: int | None = None,
                   data_pad: str | Path | None = None, gemaakt: datetime | None = None) -> dict[str, Any]:
    """The manifest of one scored dataset. ``data_pad`` None means the built-in example."""
    if data_pad is None:
        bron: dict[str, Any] = {"ingebouwd": "voorbeeldstad", "seed": _seed(ds), "bestanden": []}
    else:
        p = Path(data_pad).resolve()
        bron = {"bestanden": [{"pad": str(p), "naam": p.name, "bytes": p.stat().st_size, "sha256": sha256_file(p)}]}
    recipe = result.recipe
    return {
        "soort": SOORT,
        "manifest_versie": VERSIE,
        "app_versie": __version__,
        "gemaakt": (gemaakt or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds"),
        "dataset": {"naam": ds.naam, "synthetisch": ds.synthetisch, "hash": ds.fingerprint, **bron,
                    "herkomst": ds.meta.get("herkomst", [])},
        "jaar": jaar,
        "peiljaren": ds.peiljaren(jaar),
        "config_bron": cfg.bron,
        "config": cfg.raw,
        "recept": recipe.to_dict(),
        "recept_hash": recipe.fingerprint(),
        "drempels": {"min_dekking": recipe.min_dekking, "clip": recipe.clip,
                     "grens_draagkracht": recipe.grens_draagkracht, "grens_fysieke_kansen": recipe.grens_fysieke_kansen},
        "ontbrekende_kolommen": list(result.ontbrekende_kolommen),
        # which reference the scores were normalised against
        "referentie": {"naam": recipe.referentie, "bron": getattr(result.referentie, "bron", None) or None,
                       "bestanden": reference_files(cfg)},
        "scores": records(score_table(frame, result)),
    }


def reference_files(cfg: Config) -> list[dict[str, str]]:
    """Name and sha256 of the national extracts an external reference reads (empty for gemeente/dataset)."""
    folder = reference_dir(cfg.referentie)
    if cfg.recipe.referentie not in EXTERNAL_REFERENCES or folder is None:
        return []
    return [{"naam": f, "sha256": sha256_file(folder / f)} for f in KWB_FILES.values() if (folder / f).exists()]


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _seed(ds: Dataset) -> int:
    for b in ds.meta.get("bronnen", []):
        if "seed" in b:
            return int(b["seed"])
    return 9999


def read_manifest(path: str | Path) -> dict[str, Any]:
    """Read and check a manifest; a wrong file raises :class:`DataError` in Dutch."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"Manifest {path} bestaat niet. Geef het pad van een manifest.json uit 'export --format json'.")
    try:
        m = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DataError(f"Manifest {path.name} is geen geldige JSON ({exc}). Gebruik het bestand zoals het is geëxporteerd.") from None
    if not isinstance(m, dict) or m.get("soort") != SOORT:
        raise DataError(f"{path.name} is geen wijkprofielen-manifest (veld 'soort' moet '{SOORT}' zijn).")
    missing = [k for k in ("dataset", "config", "recept", "scores") if k not in m]
    if missing:
        raise DataError(f"Manifest {path.name} mist de velden: {', '.join(missing)}. Exporteer het manifest opnieuw.")
    if not isinstance(m["scores"], list) or not isinstance(m["dataset"], dict) or not isinstance(m["config"], dict):
        raise DataError(f"Manifest {path.name}: 'scores' moet een lijst zijn en 'dataset' en 'config' tabellen.")
    return m


def _diff(a: Any, b: Any, where: str = "") -> list[str]:
    """Paths where two JSON-like values differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            out += _diff(a.get(k), b.get(k), f"{where}.{k}" if where else str(k))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in _diff(x, y, f"{where}[{i + 1}]")]
    return [] if _same(a, b) else [f"{where}: {a!r} → {b!r}"]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def _locate(entry: dict[str, Any], manifest_dir: Path, override: Path | None) -> Path | None:
    for cand in (override, Path(entry.get("pad", "")), manifest_dir / entry.get("naam", "")):
        if cand is not None and str(cand) not in ("", ".") and cand.is_file():
            return cand
    return None


def reproduce(manifest_path: str | Path, data: str | Path | None = None) -> tuple[list[str], list[str]]:
    """Recompute a snapshot; return ``(differences, notes)``. No differences: identical.

    Parameters
    ----------
    manifest_path : path
    data : path, optional
        Use this dataset file instead of the recorded path (it must still have the same hash).
    """
    manifest_path = Path(manifest_path)
    m = read_manifest(manifest_path)
    diffs: list[str] = []
    notes: list[str] = []
    dsm = m["dataset"]
    if m.get("app_versie") != __version__:
        notes.append(f"appversie verschilt: manifest {m.get('app_versie')}, nu {__version__}")

    files = dsm.get("bestanden") or []
    if files:
        entry = files[0]
        path = _locate(entry, manifest_path.parent, Path(data) if data else None)
        if path is None:
            raise DataError(f"Databestand {entry.get('pad') or entry.get('naam')} niet gevonden. Geef het op met --data.")
        digest = sha256_file(path)
        if digest != entry.get("sha256"):
            diffs.append(f"databestand {path.name} is gewijzigd: sha256 {str(entry.get('sha256'))[:12]}… → {digest[:12]}…")
        ds = load_dataset(path)
    elif dsm.get("ingebouwd") == "voorbeeldstad":
        ds = voorbeeldstad(int(dsm.get("seed", 9999)))
    else:
        raise DataError("Manifest noemt geen databestand en geen ingebouwde dataset. Exporteer het manifest opnieuw.")
    if ds.fingerprint != dsm.get("hash"):
        diffs.append(f"datasetinhoud verschilt: hash {dsm.get('hash')} → {ds.fingerprint}")

    try:
        cfg = config_from_dict(m["config"], bron="manifest")
    except WijkprofielenError as exc:
        raise DataError(f"De configuratie in het manifest is ongeldig: {exc}") from None
    recipe = cfg.recipe
    for d in _diff(m["recept"], recipe.to_dict()):
        diffs.append(f"recept in manifest wijkt af van de config in manifest: {d}")

    ws = Workspace(cfg)
    frame, result = ws.scored(ds, m.get("jaar"))  # as the export did: against the recipe's reference
    mref = m.get("referentie")
    if isinstance(mref, dict) and mref.get("naam") != recipe.referentie:
        diffs.append(f"referentie verschilt: {mref.get('naam')} → {recipe.referentie}")
    elif isinstance(mref, dict):
        was = {f.get("naam"): f.get("sha256") for f in mref.get("bestanden") or [] if isinstance(f, dict)}
        now = {f["naam"]: f["sha256"] for f in reference_files(cfg)}
        for naam in sorted(set(was) | set(now)):
            if was.get(naam) != now.get(naam):
                diffs.append(f"referentiebestand {naam} is gewijzigd: sha256 {str(was.get(naam))[:12]}… → {str(now.get(naam))[:12]}…")
    old = {r.get("buurtcode"): r for r in m["scores"] if isinstance(r, dict)}
    if any("stabiliteit" in r for r in old.values()):  # exported with stability; it is seeded, so it reproduces
        result = join_stability(result, ws.stability(frame, result))
    new = {r["buurtcode"]: r for r in records(score_table(frame, result))}
    gone, added = sorted(set(old) - set(new), key=str), sorted(set(new) - set(old), key=str)
    if gone:
        diffs.append(f"{len(gone)} buurt(en) niet meer in de uitkomst: {', '.join(map(str, gone[:MAX_EXAMPLES]))}")
    if added:
        diffs.append(f"{len(added)} buurt(en) nieuw in de uitkomst: {', '.join(added[:MAX_EXAMPLES])}")
    changed = []
    for code in sorted(set(old) & set(new)):
        for d in _diff(old[code], new[code]):
            changed.append(f"{code} {d}")
    if changed:
        diffs.append(f"{len(changed)} score(s) verschillen, bijvoorbeeld: " + "; ".join(changed[:MAX_EXAMPLES]))
    return diffs, notes
