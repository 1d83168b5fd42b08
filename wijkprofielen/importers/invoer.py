"""Reading input files the same way from a path (CLI) and from an upload (Data page).

Every reader takes an :class:`Invoer` (or a path). The checks that all text tables share
live here: size limit, empty files, ZIP archives, encodings (UTF-8 with or without BOM,
cp1252), the delimiter, and row numbers as the user sees them in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import DataError
from .validate import check_year, is_count, parse_numbers

DEFAULT_MAX_MB = 50.0
_YEAR_SUFFIX = re.compile(r"^(?P<pad>.+)@(?P<jaar>[-+]?(?:\d[\d.,eE+-]*|inf))$", re.IGNORECASE)


@dataclass(frozen=True)
class Invoer:
    """One input file: its name, its bytes, and its path when it came from disk."""

    naam: str
    data: bytes
    pad: Path | None = None

    @property
    def suffix(self) -> str:
        return Path(self.naam).suffix.lower()


def split_year(arg: str) -> tuple[str, int | None]:
    """Split ``"bestand.csv@2024"`` into ``("bestand.csv", 2024)``; no suffix gives None."""
    m = _YEAR_SUFFIX.match(arg)
    return (m["pad"], check_year(m["jaar"], m["pad"], "het jaar achter @")) if m else (arg, None)


def open_input(src: "str | os.PathLike | Invoer", max_mb: float | None = DEFAULT_MAX_MB) -> Invoer:
    """Read a file into an :class:`Invoer`, checking existence and the size limit."""
    if isinstance(src, Invoer):
        check_size(src.naam, len(src.data), max_mb)
        return src
    path = Path(src)
    if not path.exists():
        raise DataError(f"Bestand {path} bestaat niet. Controleer het pad.")
    if path.is_dir():
        raise DataError(f"{path} is een map, geen bestand. Geef het bestand zelf op.")
    check_size(path.name, path.stat().st_size, max_mb)
    return Invoer(path.name, path.read_bytes(), path)


def check_size(naam: str, size: int, max_mb: float | None) -> None:
    if max_mb is not None and size > max_mb * 1024 * 1024:
        raise DataError(
            f"{naam} is {size / 1024 / 1024:.1f} MB, groter dan de grens van {max_mb:g} MB. "
            "Knip het bestand op tot de eigen gemeente, of verhoog [import] max_mb in config.toml."
        )


def check_not_archive(inv: Invoer, wat: str) -> None:
    if inv.data[:4] == b"PK\x03\x04" and inv.suffix != ".xlsx":
        raise DataError(
            f"{inv.naam} is een ZIP-archief. Pak het eerst uit en kies het {wat} dat erin zit."
        )


def decode(inv: Invoer, wat: str = "CSV-bestand") -> tuple[str, str]:
    """Decode text: UTF-8 (with or without BOM), else cp1252. Returns ``(text, encoding)``."""
    check_not_archive(inv, wat)
    if not inv.data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise DataError(f"{inv.naam} is leeg (rij 1 ontbreekt). Kies het volledige {wat} met een kopregel en gegevens.")
    if b"\x00" in inv.data[:4096]:
        raise DataError(
            f"{inv.naam}: de tekstcodering wordt niet herkend (bevat nul-bytes, bijvoorbeeld UTF-16 of een binair bestand). "
            f"Sla het {wat} op als 'CSV UTF-8' of Windows-1252 (cp1252)."
        )
    try:
        return inv.data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return inv.data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise DataError(
            f"{inv.naam}: byte {exc.start} is geen UTF-8 en geen Windows-1252 (cp1252). Sla het {wat} op als 'CSV UTF-8'."
        ) from None


def sniff_delimiter(header: str) -> str:
    """The most frequent of ``,``, ``;`` and tab in the header line (``,`` if none)."""
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_table(inv: Invoer, required: list[str], wat: str, header_line: int = 0, sep: str | None = None,
               volledig: bool = False) -> pd.DataFrame:
    """A text table as strings, with the columns in ``required`` checked.

    The index holds the line numbers as a spreadsheet shows them (header = line 1). Every row
    must have as many fields as the header (a shorter row is a cut-off or damaged file); with
    ``volledig`` the file must also end with a line break, as published files do.
    """
    text, _ = decode(inv, wat)
    lines = text.splitlines()
    header = lines[header_line] if header_line < len(lines) else ""
    sep = sep or sniff_delimiter(header)
    check_complete(inv.naam, text, sep, header_line, volledig)
    try:
        with warnings.catch_warnings():
            # pandas warns when it drops fields ("loss of data"): that is a damaged row here.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skiprows=header_line,
                             skip_blank_lines=True, quoting=csv.QUOTE_MINIMAL, index_col=False)
    except (pd.errors.ParserError, pd.errors.ParserWarning) as exc:
        m = re.search(r"line (\d+)", str(exc))
        regel = f" in regel {int(m[1]) + header_line}" if m else ""
        raise DataError(
            f"{inv.naam}: de tabel is onregelmatig{regel} (een ander aantal kolommen dan de kopregel). "
            f"Controleer het scheidingsteken ('{sep}') en aanhalingstekens op die regel."
        ) from None
    except pd.errors.EmptyDataError:
        raise DataError(f"{inv.naam} is leeg (rij 1 ontbreekt). Kies het volledige {wat}.") from None
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    df.index = _line_numbers(text, sep, header_line, len(df))
    check_columns(df, required, inv.naam, wat)
    return df


def _records(text: str, sep: str, header_line: int) -> list[tuple[int, list[str]]]:
    """``(line number, fields)`` per record after the header lines, skipping blank lines."""
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    out = []
    try:
        for fields in reader:
            if reader.line_num <= header_line:
                continue
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            out.append((reader.line_num, fields))
    except csv.Error:
        return out  # pandas names the damaged line
    return out


def _line_numbers(text: str, sep: str, header_line: int, n: int) -> pd.Index:
    lines = [line for line, _ in _records(text, sep, header_line)][1:]
    return pd.Index(lines) if len(lines) == n else pd.RangeIndex(header_line + 2, header_line + 2 + n)


def check_complete(naam: str, text: str, sep: str, header_line: int = 0, volledig: bool = False) -> None:
    """Refuse rows with another number of fields than the header, and (``volledig``) a missing last line break."""
    records = _records(text, sep, header_line)
    if not records:
        return
    width = len(records[0][1])
    short = [(line, len(f)) for line, f in records[1:] if len(f) != width and any(x.strip() for x in f)]
    if short:
        lines = [line for line, _ in short]
        from .validate import rijen

        raise DataError(
            f"{naam}: {rijen(lines)} {'heeft' if len(lines) == 1 else 'hebben'} {short[0][1]} velden, de kopregel {width}. "
            "Het bestand lijkt afgekapt of beschadigd: download of exporteer het opnieuw, en controleer het scheidingsteken "
            f"('{sep}') en aanhalingstekens op die regel(s)."
        )
    if volledig and text and not text.endswith(("\n", "\r")):
        raise DataError(
            f"{naam}: de laatste regel ({records[-1][0]}) eindigt zonder regeleinde: het bestand lijkt halverwege afgekapt. "
            "Download het bestand opnieuw; een volledig CBS-bestand eindigt met een regeleinde."
        )


def check_columns(df: pd.DataFrame, required: list[str], naam: str, wat: str) -> None:
    """Raise a message that names the missing column and hints at a wrong delimiter."""
    missing = [c for c in required if c not in df.columns]
    if not missing:
        return
    found = ", ".join(map(str, df.columns[:8]))
    hint = ""
    if len(df.columns) == 1 and any(ch in str(df.columns[0]) for ch in "|:\t,;"):
        hint = " De kopregel is één kolom: het scheidingsteken is niet herkend. Gebruik komma of puntkomma."
    raise DataError(
        f"{naam}: kolom '{missing[0]}' ontbreekt in rij 1 (gevonden: {found}).{hint} "
        f"Een {wat} heeft de kolommen {', '.join(required)}."
    )


def check_duplicates(codes: pd.Series, naam: str, what: str = "buurtcode") -> None:
    dup = codes[codes.duplicated()]
    if len(dup):
        raise DataError(
            f"{naam}: {what} {dup.iloc[0]} staat meer dan eens in het bestand (rij {dup.index[0]}). "
            "Houd één rij per code en verwijder de dubbele rij."
        )


def numbers(df: pd.DataFrame, column: str, naam: str, kolom: str | None = None, waar: str = "rij") -> tuple[pd.Series, pd.Series]:
    """Parse a raw column with :func:`.validate.parse_numbers`; ``kolom`` (the catalogue column) says whether it holds counts."""
    return parse_numbers(df[column], naam, column, geheel=bool(kolom) and is_count(kolom), waar=waar)


@dataclass
class Bronwaarden:
    """What one source file contributes: values per code and year, with reasons and names.

    ``waarden`` is indexed by buurtcode (or wijkcode when ``niveau == "wijk"``) with
    ``(kolom, jaar)`` columns; ``aanwezig`` lists per year the codes that have a row.
    """

    bron: str
    bestand: str
    sha256: str
    niveau: str
    waarden: pd.DataFrame
    redenen: dict
    aanwezig: dict
    licentie: str
    namen: dict = None  # code -> name as the source spells it
    gemeentenaam: str | None = None
    indicatoren: dict = None  # kolom -> IndicatorMeta for columns outside the catalogue
    meldingen: list = field(default_factory=list)  # rows left out and warnings, for the coverage report
    bronnen: dict = field(default_factory=dict)  # kolom -> source, where a column comes from another table
    bronjaren: dict = field(default_factory=dict)  # (kolom, jaar) -> the year the figure describes, where earlier

    @property
    def jaren(self) -> list[int]:
        return sorted(self.aanwezig)


def sha256(inv: Invoer) -> str:
    import hashlib

    return hashlib.sha256(inv.data).hexdigest()


def values_frame(data: dict, index) -> pd.DataFrame:
    """``{(kolom, jaar): array}`` as a float frame with ``(kolom, jaar)`` columns."""
    out = pd.DataFrame(data, index=index, dtype="float64")
    out.columns = pd.MultiIndex.from_tuples(list(data), names=["kolom", "jaar"]) if data else pd.MultiIndex.from_tuples([], names=["kolom", "jaar"])
    return out


def year_from_name(naam: str) -> int | None:
    """A year in a file name such as ``kwb2024_…`` or ``…_2022_…`` (1990–2099)."""
    m = re.search(r"(?<!\d)(19[9]\d|20\d\d)(?!\d)", naam)
    return int(m[1]) if m else None
