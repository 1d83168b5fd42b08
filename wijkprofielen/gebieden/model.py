"""A gebied: a named set of buurten that a team defines, and its exchange formats.

A gebied has a name, a description and its buurtcodes; a buurt may belong to several
gebieden. Gebieden are read from a CSV or XLSX with the columns ``gebied`` and ``buurtcode``
(optional ``beschrijving`` and ``versie``) or from the JSON export, and written back to both
without loss: :func:`from_json` of :func:`to_json` (and :func:`read_table` of :func:`to_csv`)
gives the same gebieden.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ..errors import DataError

SOORT = "wijkprofielen-gebieden"
FORMAAT_VERSIE = 1
CSV_COLUMNS = ["gebied", "buurtcode", "beschrijving", "versie"]
MAX_NAAM = 200


@dataclass(frozen=True)
class Gebied:
    """A named set of buurten.

    Attributes
    ----------
    naam : str
        Unique among the gebieden of a store or file.
    beschrijving : str
    buurtcodes : tuple of str
        Sorted, without duplicates (order carries no meaning).
    versie : int or None
        The stored version this definition is (None: not stored).
    """

    naam: str
    buurtcodes: tuple[str, ...]
    beschrijving: str = ""
    versie: int | None = None

    def __post_init__(self) -> None:
        naam = " ".join(str(self.naam or "").split())
        if not naam:
            raise DataError("Een gebied heeft een naam nodig. Geef elk gebied een naam (kolom 'gebied').")
        if len(naam) > MAX_NAAM:
            raise DataError(f"Gebied '{naam[:40]}…': de naam is langer dan {MAX_NAAM} tekens. Kies een kortere naam.")
        codes = tuple(sorted({str(c).strip().upper() for c in self.buurtcodes if str(c).strip()}))
        if not codes:
            raise DataError(f"Gebied '{naam}' heeft geen buurten. Geef minstens één buurtcode op.")
        object.__setattr__(self, "naam", naam)
        object.__setattr__(self, "buurtcodes", codes)
        object.__setattr__(self, "beschrijving", str(self.beschrijving or "").strip())

    def with_versie(self, versie: int | None) -> "Gebied":
        return replace(self, versie=versie)

    def to_dict(self) -> dict:
        return {"naam": self.naam, "beschrijving": self.beschrijving, "buurtcodes": list(self.buurtcodes), "versie": self.versie}

    def same_definition(self, other: "Gebied") -> bool:
        """True when name, description and buurten are equal (the version aside)."""
        return (self.naam, self.beschrijving, self.buurtcodes) == (other.naam, other.beschrijving, other.buurtcodes)


def check_names(gebieden: Sequence[Gebied], bron: str = "gebieden") -> None:
    """Raise a Dutch :class:`DataError` when two gebieden share a name."""
    seen: set[str] = set()
    dup = []
    for g in gebieden:
        key = g.naam.casefold()
        if key in seen:
            dup.append(g.naam)
        seen.add(key)
    if dup:
        raise DataError(f"{bron}: de naam {', '.join(repr(d) for d in dict.fromkeys(dup))} komt meer dan eens voor. "
                        "Geef elk gebied een eigen naam.")


def check_codes(gebieden: Iterable[Gebied], codes: Iterable[str]) -> None:
    """Raise a Dutch :class:`DataError` naming every buurtcode that is not in the dataset."""
    known = set(codes)
    unknown = {g.naam: [c for c in g.buurtcodes if c not in known] for g in gebieden}
    unknown = {naam: cs for naam, cs in unknown.items() if cs}
    if unknown:
        parts = [f"{naam}: {', '.join(cs[:10])}{' …' if len(cs) > 10 else ''}" for naam, cs in unknown.items()]
        raise DataError("Deze buurtcodes staan niet in de dataset: " + "; ".join(parts)
                        + ". Controleer de codes (BU + 8 tekens) of kies de dataset van deze gemeente.")


# -- reading ------------------------------------------------------------------------------------

def from_rows(df: pd.DataFrame, bron: str) -> list[Gebied]:
    """Gebieden from a table with the columns ``gebied`` and ``buurtcode`` (one row per buurt)."""
    df = df.rename(columns=lambda c: str(c).strip().lower())
    missing = [c for c in ("gebied", "buurtcode") if c not in df.columns]
    if missing:
        raise DataError(f"{bron}: kolom {' en '.join(repr(m) for m in missing)} ontbreekt (gevonden: "
                        f"{', '.join(map(str, df.columns[:6])) or 'geen'}). Gebruik een kopregel 'gebied,buurtcode'.")
    df = df.fillna("").astype(str)
    df = df[(df["gebied"].str.strip() != "") | (df["buurtcode"].str.strip() != "")]
    if df.empty:
        raise DataError(f"{bron} bevat geen gebieden. Zet per regel een gebiedsnaam en een buurtcode.")
    nameless = df.index[df["gebied"].str.strip() == ""]
    if len(nameless):
        raise DataError(f"{bron}: regel {nameless[0] + 2} heeft een buurtcode maar geen gebiedsnaam. Vul de kolom 'gebied' in.")
    out = []
    for naam, rows in df.groupby(df["gebied"].map(lambda n: " ".join(n.split())), sort=False):
        beschrijving = next((b for b in rows.get("beschrijving", pd.Series(dtype=str)) if b.strip()), "")
        versies = [v for v in rows.get("versie", pd.Series(dtype=str)) if v.strip()]
        out.append(Gebied(naam, tuple(rows["buurtcode"]), beschrijving, _versie(versies[0], bron) if versies else None))
    return out


def _versie(value, bron: str) -> int:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        raise DataError(f"{bron}: versie {value!r} is geen geheel getal.") from None


def from_json(data: str | bytes | dict, bron: str = "JSON") -> list[Gebied]:
    """Gebieden from the JSON export (:func:`to_json`)."""
    if not isinstance(data, dict):
        try:
            data = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise DataError(f"{bron} is geen geldige JSON ({exc}). Gebruik een export van wijkprofielen.") from None
    items = data.get("gebieden") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise DataError(f"{bron}: de lijst 'gebieden' ontbreekt. Gebruik een export van 'wijkprofielen gebieden export'.")
    out = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("buurtcodes"), list):
            raise DataError(f"{bron}: gebied {i} heeft geen lijst 'buurtcodes'.")
        versie = item.get("versie")
        out.append(Gebied(item.get("naam", ""), tuple(item["buurtcodes"]), item.get("beschrijving", ""),
                          None if versie is None else _versie(versie, bron)))
    return out


def read_gebieden(path: str | os.PathLike, codes: Iterable[str] | None = None) -> list[Gebied]:
    """Read gebieden from CSV, XLSX or JSON; with ``codes``, check they lie in the dataset.

    Raises :class:`DataError` (Dutch) for a missing file, a wrong layout, an empty gebied,
    duplicate names or unknown buurtcodes.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(f"Bestand {path} bestaat niet. Geef een CSV, XLSX of JSON met gebieden op.")
    suffix = path.suffix.lower()
    if suffix == ".json":
        gebieden = from_json(path.read_bytes(), path.name)
    elif suffix == ".csv":
        gebieden = from_rows(_read_csv(path), path.name)
    elif suffix in (".xlsx", ".xlsm"):
        try:
            df = pd.read_excel(path, dtype=str)
        except Exception as exc:  # openpyxl's own errors: name the file
            raise DataError(f"{path.name} kon niet worden gelezen als Excel ({type(exc).__name__}).") from exc
        gebieden = from_rows(df, path.name)
    else:
        raise DataError(f"Bestandstype '{suffix}' van {path.name} wordt niet ondersteund. Gebruik .csv, .xlsx of .json.")
    check_names(gebieden, path.name)
    if codes is not None:
        check_codes(gebieden, codes)
    return gebieden


def _read_csv(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(f"{path.name} is leeg. Een gebiedenbestand heeft een kopregel 'gebied,buurtcode'.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding=encoding, sep=None, engine="python")
        except UnicodeDecodeError:
            continue
    raise DataError(f"{path.name} is geen tekstbestand in UTF-8. Sla het op als CSV (UTF-8).")


# -- writing ------------------------------------------------------------------------------------

def to_json(gebieden: Sequence[Gebied]) -> str:
    """The JSON export: every field of every gebied."""
    return json.dumps({"soort": SOORT, "formaat_versie": FORMAAT_VERSIE, "gebieden": [g.to_dict() for g in gebieden]},
                      ensure_ascii=False, indent=2)


def to_frame(gebieden: Sequence[Gebied]) -> pd.DataFrame:
    """One row per gebied and buurt: ``gebied, buurtcode, beschrijving, versie``."""
    rows = [{"gebied": g.naam, "buurtcode": c, "beschrijving": g.beschrijving, "versie": "" if g.versie is None else g.versie}
            for g in gebieden for c in g.buurtcodes]
    return pd.DataFrame(rows, columns=CSV_COLUMNS)


def to_csv(gebieden: Sequence[Gebied]) -> bytes:
    """The CSV export (UTF-8 with BOM for Excel), read back by :func:`read_gebieden`."""
    return to_frame(gebieden).to_csv(index=False).encode("utf-8-sig")
