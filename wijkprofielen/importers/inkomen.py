"""CBS maatwerk table "Inkomen per gemeente en wijk": ``;``-separated, title lines above the
header, ``.`` for suppressed values, gemeente and **wijk** level only.

The pipeline applies a wijk's figure to each of its buurten, marked as a wijk figure
(``niveau = "wijk"``), so the app and exports can say so.
"""

from __future__ import annotations

import re

import pandas as pd

from ..errors import DataError
from .invoer import Bronwaarden, check_complete, decode, numbers, open_input, sha256, values_frame, year_from_name
from .validate import WEIGEREN, check_range, check_year, dropped, kort, normalize_codes

BRON = "CBS maatwerk: inkomen per gemeente en wijk"
LICENTIE = "CC-BY 4.0, CBS"
_WIJKCODE = re.compile(r"^WK\d{4}[0-9A-Z]{2}$")
# Header words -> catalogue column; the first match wins, so specific phrases go first.
_MEANINGS = [
    ("laagste", "pct_laagste_40_inkomen"),
    ("hoogste", "pct_hoogste_20_inkomen"),
    ("sociaal minimum", "pct_sociaal_minimum"),
    ("laag inkomen", "pct_laag_inkomen"),
    ("per inwoner", "gem_inkomen_per_inwoner"),
]


def read_inkomen(src, gemeente: str, jaar: int | None = None, max_mb: float | None = None,
                 bij_afwijking: str = WEIGEREN) -> Bronwaarden:
    """Read the income table and return the wijk figures of ``gemeente`` (indexed by wijkcode)."""
    inv = open_input(src, max_mb)
    text, _ = decode(inv, "inkomensbestand")
    lines = [ln.split(";") for ln in text.splitlines()]
    if len(lines) > 1 and len(lines[0]) >= 4:
        check_complete(inv.naam, text, ";", volledig=True)
    if max((len(c) for c in lines), default=0) < 4:
        raise DataError(
            f"{inv.naam}: geen puntkomma-gescheiden tabel (rij 1: {text.splitlines()[0][:60]!r}). "
            "Exporteer de CBS-maatwerktabel als CSV met ';' als scheidingsteken."
        )
    head = next((i for i, c in enumerate(lines) if any(x.strip().lower() == "wijkcode" for x in c)), None)
    first_data = next((i for i, c in enumerate(lines) if len(c) > 1 and (_WIJKCODE.match(c[1].strip()) or re.match(r"^GM\d{4}$", c[0].strip()))), None)
    if head is None or first_data is None:
        raise DataError(
            f"{inv.naam}: kopregel met 'Wijkcode' of wijkrijen (WK + 6 tekens in kolom 2) niet gevonden. "
            "Gebruik de CBS-maatwerktabel 'Inkomen per gemeente en wijk' zoals CBS die exporteert."
        )
    width = max(len(c) for c in lines[first_data:first_data + 5])
    header_text = [" ".join(c[k].strip() for c in lines[:first_data] if k < len(c)).lower() for k in range(width)]
    meaning = {}
    for k in range(3, width):
        for word, kolom in _MEANINGS:
            if word in header_text[k] and kolom not in meaning.values():
                meaning[k] = kolom
                break
    if not meaning:
        raise DataError(f"{inv.naam}: de kolommen 4 en verder zijn niet herkend als inkomenscijfers (kopregels boven rij {first_data + 1}). Gebruik de CBS-export zonder bewerkte kopregels.")
    if jaar is None:
        title = " ".join(";".join(c) for c in lines[:head] if "indeling" not in ";".join(c).lower())
        m = re.findall(r"(?<!\d)(19\d\d|20\d\d)(?!\d)", title)
        jaar = int(m[-1]) if m else year_from_name(inv.naam)
    if jaar is None:
        raise DataError(f"{inv.naam}: het jaar staat niet in de titel of de bestandsnaam. Geef het mee als {inv.naam}@2020.")
    jaar = check_year(jaar, inv.naam)
    wijk = normalize_codes(pd.Series([c[1] if len(c) > 1 else "" for c in lines]))
    for i, code in wijk.items():
        if i >= first_data and code.startswith(f"WK{gemeente[2:]}") and not _WIJKCODE.match(code):
            raise DataError(
                f"{inv.naam}: kolom 'Wijkcode', rij {i + 1}: {kort(lines[i][1])} is geen geldige wijkcode. "
                "Een wijkcode is WK + 6 tekens, bijvoorbeeld WK079601: corrigeer of verwijder de rij."
            )
    for c, code in zip(lines, wijk):
        if len(c) > 1:
            c[1] = code
    rows = [(i + 1, c) for i, c in enumerate(lines) if i >= first_data and len(c) > 1 and c[1].startswith(f"WK{gemeente[2:]}")]
    skipped = [i + 1 for i, c in enumerate(lines) if i >= first_data and "".join(c).strip() and not (len(c) > 1 and c[1].startswith(f"WK{gemeente[2:]}"))]
    if not rows:
        raise DataError(f"{inv.naam}: geen wijken van {gemeente} (kolom Wijkcode, WK{gemeente[2:]}..). Kies de tabel met deze gemeente.")
    df = pd.DataFrame({k: [c[k].strip() if k < len(c) else "" for _, c in rows] for k in range(width)}, index=[r for r, _ in rows])
    codes = df[1]
    dup = codes[codes.duplicated()]
    if len(dup):
        raise DataError(f"{inv.naam}: wijkcode {dup.iloc[0]} staat meer dan eens in het bestand (rij {dup.index[0]}). Houd één rij per wijk.")
    index = pd.Index(codes.to_numpy(), name="wijkcode")
    df.columns = [str(c) for c in df.columns]
    data, redenen = {}, {}
    for k, kolom in meaning.items():
        nums, why = numbers(df.rename(columns={str(k): f"kolom {k + 1}"}), f"kolom {k + 1}", inv.naam, kolom=kolom)
        nums, why = check_range(nums, why, kolom, inv.naam, f"kolom {k + 1}", bij_afwijking)
        data[(kolom, jaar)] = nums.to_numpy()
        w = {c: r for c, r in zip(index, why) if r}
        if w:
            redenen[(kolom, jaar)] = w
    namen = dict(zip(index, df["2"]))
    return Bronwaarden(bron=BRON, bestand=inv.naam, sha256=sha256(inv), niveau="wijk", waarden=values_frame(data, index),
                       redenen=redenen, aanwezig={jaar: list(index)}, licentie=LICENTIE, namen=namen,
                       meldingen=[dropped(inv.naam, skipped, f"geen wijk van {gemeente} (andere gemeenten, totalen)")] if skipped else [])
