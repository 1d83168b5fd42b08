"""Afspraken: a measure agreed for a buurt (or a wijk), validated, with where it came from.

The exchange format is JSON::

    {"afspraken": [{"id": str, "buurtcode": "BU…" | "WK…", "titel": str,
                    "interventie": menukaart id | "", "trekker": "gemeente" | "corporatie" | …,
                    "organisatie": str, "partners": [str], "start_jaar": int, "eind_jaar": int,
                    "woningen": {segment: aantal}, "budget": number | null,
                    "indicatoren": [{"kolom": str, "richting": "omhoog" | "omlaag"}],
                    "status": "gepland" | "in uitvoering" | "gereed" | "vervallen",
                    "toelichting": str,
                    "herkomst": {"soort": "hand" | "workshop" | "scenario", "bron": str, "detail": str}}]}

Only ``id``, ``buurtcode``, ``titel``, ``trekker``, ``start_jaar``, ``eind_jaar`` and
``status`` are required; the rest has an empty default. Every problem is a
:class:`~wijkprofielen.errors.DataError` naming the afspraak, the field and the fix.
"""

from __future__ import annotations

import json
import math
import re
import secrets
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import DataError
from ..menukaart import TREKKERS
from ..scenario.model import REMOVALS, SEGMENT_LABELS, SEGMENTS, soort_van
from ..workshop.text import clean_text

STATUSSEN = ("gepland", "in uitvoering", "gereed", "vervallen")
RICHTINGEN = ("omhoog", "omlaag")
HERKOMSTEN = ("hand", "workshop", "scenario")
HERKOMST_LABELS = {"hand": "ingevoerd", "workshop": "workshop", "scenario": "scenario"}
PARTIJ_LABELS = {"gemeente": "Gemeente", "corporatie": "Corporatie", "huurders": "Huurdersorganisatie",
                 "zorg/welzijn": "Zorg en welzijn", "politie": "Politie"}
JAAR_MIN, JAAR_MAX = 2000, 2100
MAX_TITEL, MAX_TEKST, MAX_NAAM = 200, 4000, 120
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,59}$")
_GEBIED = re.compile(r"^(BU\d{4}[0-9A-Z]{4}|WK\d{4}[0-9A-Z]{2})$")
FIELDS = ("id", "buurtcode", "titel", "interventie", "trekker", "organisatie", "partners", "start_jaar", "eind_jaar",
          "woningen", "budget", "indicatoren", "status", "toelichting", "herkomst")
# Written by an export next to each afspraak; read back without complaint.
META_FIELDS = ("versie", "gewijzigd_door", "gewijzigd_op")


@dataclass(frozen=True)
class Doelindicator:
    """An indicator the afspraak aims to move, and in which direction."""

    kolom: str
    richting: str


@dataclass(frozen=True)
class Herkomst:
    """Where an afspraak came from: by hand, a workshop (its code) or a scenario (id and version)."""

    soort: str = "hand"
    bron: str = ""
    detail: str = ""

    def label(self) -> str:
        """``'workshop K7QW-3MZP (3 van 4 deelnemers)'``: short, for tables."""
        text = HERKOMST_LABELS.get(self.soort, self.soort)
        text += f" {self.bron}" if self.bron else ""
        return text + (f" ({self.detail})" if self.detail else "")


@dataclass(frozen=True)
class Afspraak:
    """One afspraak. See the module docstring for the fields."""

    id: str
    buurtcode: str
    titel: str
    trekker: str
    start_jaar: int
    eind_jaar: int
    status: str = "gepland"
    interventie: str = ""
    organisatie: str = ""
    partners: tuple[str, ...] = ()
    woningen: tuple[tuple[str, int], ...] = ()
    budget: float | None = None
    indicatoren: tuple[Doelindicator, ...] = ()
    toelichting: str = ""
    herkomst: Herkomst = field(default_factory=Herkomst)

    @property
    def is_wijk(self) -> bool:
        return self.buurtcode.startswith("WK")

    @property
    def partij(self) -> str:
        """The lead party as shown in the agenda: ``'Corporatie Zayaz'``, ``'Gemeente'``."""
        label = PARTIJ_LABELS.get(self.trekker, self.trekker)
        return f"{label} {self.organisatie}" if self.organisatie else label

    def loopt_in(self, jaar: int) -> bool:
        """True when ``jaar`` lies in the afspraak's period and it has not lapsed."""
        return self.status != "vervallen" and self.start_jaar <= jaar <= self.eind_jaar

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "buurtcode": self.buurtcode, "titel": self.titel, "interventie": self.interventie,
            "trekker": self.trekker, "organisatie": self.organisatie, "partners": list(self.partners),
            "start_jaar": self.start_jaar, "eind_jaar": self.eind_jaar, "woningen": dict(self.woningen),
            "budget": self.budget, "indicatoren": [{"kolom": i.kolom, "richting": i.richting} for i in self.indicatoren],
            "status": self.status, "toelichting": self.toelichting,
            "herkomst": {"soort": self.herkomst.soort, "bron": self.herkomst.bron, "detail": self.herkomst.detail},
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    def with_status(self, status: str) -> "Afspraak":
        if status not in STATUSSEN:
            raise DataError(f"Status {status!r} is onbekend. Kies uit: {', '.join(STATUSSEN)}.")
        return replace(self, status=status)


def new_id(prefix: str = "A") -> str:
    """A fresh afspraak id, e.g. ``'A-3F9K2Q7M'``."""
    return f"{prefix}-" + "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))


def woningen_text(a: Afspraak) -> str:
    """``'40 sociale huur, 20 middenhuur/midden koop'``; empty without homes."""
    return ", ".join(f"{n} {SEGMENT_LABELS.get(s, s)}" for s, n in a.woningen)


def _text(value: Any, where: str, limit: int, required: bool = False) -> str:
    if value is not None and not isinstance(value, str):
        raise DataError(f"{where}: moet tekst zijn, niet {type(value).__name__}.")
    return clean_text(value, where[:1].lower() + where[1:], limit, required)


def _year(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not value.is_integer()):
        raise DataError(f"{where}: {value!r} is geen jaartal. Geef een jaar als 2026.")
    if not JAAR_MIN <= int(value) <= JAAR_MAX:
        raise DataError(f"{where}: {int(value)} ligt buiten {JAAR_MIN}–{JAAR_MAX}. Controleer het jaar.")
    return int(value)


def parse_afspraak(raw: Any, n: int = 1, *, gebieden: Collection[str] | None = None,
                   kolommen: Collection[str] | None = None, interventies: Collection[str] | None = None) -> Afspraak:
    """Validate one afspraak (parsed JSON).

    Parameters
    ----------
    raw : dict
    n : int
        Its number in the file, for messages.
    gebieden : collection of str, optional
        Buurt- and wijkcodes of the dataset; other codes are refused.
    kolommen : collection of str, optional
        Indicator columns that may be aimed at (the recipe's); others are refused.
    interventies : collection of str, optional
        Allowed menukaart ids (an empty ``interventie`` is always allowed: own text).

    Examples
    --------
    >>> a = parse_afspraak({"id": "A1", "buurtcode": "BU07960101", "titel": "Huismeester", "trekker": "corporatie",
    ...                     "start_jaar": 2025, "eind_jaar": 2027, "status": "gepland",
    ...                     "indicatoren": [{"kolom": "lbm_onv", "richting": "omhoog"}]})
    >>> a.indicatoren[0].richting, a.herkomst.soort
    ('omhoog', 'hand')
    """
    if not isinstance(raw, dict):
        raise DataError(f"Afspraak {n}: moet een object zijn met id, buurtcode, titel, trekker, start_jaar, eind_jaar en status.")
    ident = raw.get("id")
    label = f"Afspraak {n}" + (f" ({ident})" if isinstance(ident, str) and ident else "")

    def where(veld: str) -> str:
        return f"Het veld '{veld}' van {label[0].lower()}{label[1:]}"

    unknown = set(raw) - set(FIELDS) - set(META_FIELDS)
    if unknown:
        raise DataError(f"{label}: onbekend veld {', '.join(sorted(unknown))}. Toegestaan: {', '.join(FIELDS)}.")
    if not isinstance(ident, str) or not _ID.match(ident):
        raise DataError(f"{where('id')}: {ident!r} is geen geldige id. Gebruik letters, cijfers, '-', '_' of '.' "
                        "(hoogstens 60 tekens), bijvoorbeeld 'A-2025-001'.")
    code = raw.get("buurtcode")
    if not isinstance(code, str) or not _GEBIED.match(code.strip()):
        raise DataError(f"{where('buurtcode')}: {code!r} is geen buurt- of wijkcode. Geef een code als BU07960101 of WK079601.")
    code = code.strip()
    if gebieden is not None and code not in gebieden:
        raise DataError(f"{where('buurtcode')}: {code} komt niet voor in de dataset. Controleer de code en het jaar van de indeling.")
    titel = _text(raw.get("titel"), where("titel"), MAX_TITEL, required=True)
    iv = raw.get("interventie") or ""
    if not isinstance(iv, str):
        raise DataError(f"{where('interventie')}: moet een menukaart-id zijn of leeg (eigen tekst in 'titel').")
    if iv and interventies is not None and iv not in interventies:
        raise DataError(f"{where('interventie')}: {iv!r} staat niet op de menukaart. Laat het leeg voor een eigen "
                        "maatregel, of kies een id van de pagina Menukaart.")
    trekker = raw.get("trekker")
    if trekker not in TREKKERS:
        raise DataError(f"{where('trekker')}: {trekker!r} is onbekend. Kies uit: {', '.join(TREKKERS)}.")
    organisatie = _text(raw.get("organisatie"), where("organisatie"), MAX_NAAM)
    partners_raw = raw.get("partners") or []
    if not isinstance(partners_raw, list):
        raise DataError(f"{where('partners')}: moet een lijst zijn, bijvoorbeeld [\"huurders\", \"zorg/welzijn\"].")
    partners = tuple(dict.fromkeys(_text(p, where("partners"), MAX_NAAM, required=True) for p in partners_raw))
    start = _year(raw.get("start_jaar"), where("start_jaar"))
    eind = _year(raw.get("eind_jaar"), where("eind_jaar"))
    if eind < start:
        raise DataError(f"{where('eind_jaar')}: {eind} ligt voor het startjaar {start}. Het eindjaar is gelijk aan of na het startjaar.")
    woningen = _homes(raw.get("woningen"), iv, where("woningen"))
    budget = raw.get("budget")
    if budget is not None:
        if isinstance(budget, bool) or not isinstance(budget, (int, float)) or not math.isfinite(budget) or budget < 0:
            raise DataError(f"{where('budget')}: {budget!r} is geen bedrag. Geef euro's als getal (bijvoorbeeld 250000) of null.")
        budget = float(budget)
    indicatoren = _indicators(raw.get("indicatoren"), where("indicatoren"), kolommen)
    status = raw.get("status")
    if status not in STATUSSEN:
        raise DataError(f"{where('status')}: {status!r} is onbekend. Kies uit: {', '.join(STATUSSEN)}.")
    toelichting = _text(raw.get("toelichting"), where("toelichting"), MAX_TEKST)
    herkomst = _origin(raw.get("herkomst"), where("herkomst"))
    return Afspraak(ident, code, titel, trekker, start, eind, status, iv, organisatie, partners, woningen, budget,
                    indicatoren, toelichting, herkomst)


def _homes(raw: Any, interventie: str, where: str) -> tuple[tuple[str, int], ...]:
    if raw in (None, {}):
        return ()
    if not isinstance(raw, dict):
        raise DataError(f"{where}: moet een object zijn met aantallen per segment, bijvoorbeeld {{\"sociale_huur\": 40}}.")
    out = []
    removal = bool(interventie) and soort_van(interventie, -1) in REMOVALS
    for segment, aantal in raw.items():
        if segment not in SEGMENTS:
            raise DataError(f"{where}: segment {segment!r} is onbekend. Kies uit: {', '.join(SEGMENTS)}.")
        if isinstance(aantal, bool) or not isinstance(aantal, int) or abs(aantal) > 1_000_000:
            raise DataError(f"{where}: het aantal bij {segment} ({aantal!r}) is geen geheel getal van redelijke grootte.")
        if aantal < 0 and not removal:
            raise DataError(f"{where}: een negatief aantal ({aantal}) betekent weghalen en mag alleen bij sloop, "
                            "verkoop en liberalisatie.")
        out.append((segment, aantal))
    return tuple(sorted(out, key=lambda p: SEGMENTS.index(p[0])))


def _indicators(raw: Any, where: str, kolommen: Collection[str] | None) -> tuple[Doelindicator, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise DataError(f"{where}: moet een lijst zijn van {{\"kolom\": …, \"richting\": \"omhoog\" of \"omlaag\"}}.")
    out: dict[str, Doelindicator] = {}
    for k, item in enumerate(raw, 1):
        if not isinstance(item, dict) or set(item) - {"kolom", "richting"}:
            raise DataError(f"{where} {k}: moet een object zijn met alleen 'kolom' en 'richting'.")
        kolom, richting = item.get("kolom"), item.get("richting")
        if not isinstance(kolom, str) or not kolom:
            raise DataError(f"{where} {k}: 'kolom' ontbreekt. Kies een indicator uit het recept.")
        if kolommen is not None and kolom not in kolommen:
            raise DataError(f"{where} {k}: {kolom!r} staat niet in het recept. Kies uit: {', '.join(sorted(kolommen))}.")
        if richting not in RICHTINGEN:
            raise DataError(f"{where} {k} ({kolom}): richting {richting!r} is onbekend. Kies 'omhoog' of 'omlaag'.")
        if kolom in out:
            raise DataError(f"{where}: {kolom} staat er twee keer in. Noem elke indicator één keer.")
        out[kolom] = Doelindicator(kolom, richting)
    return tuple(out.values())


def _origin(raw: Any, where: str) -> Herkomst:
    if raw is None:
        return Herkomst()
    if not isinstance(raw, dict) or set(raw) - {"soort", "bron", "detail"}:
        raise DataError(f"{where}: moet een object zijn met 'soort' ({', '.join(HERKOMSTEN)}), 'bron' en 'detail'.")
    soort = raw.get("soort", "hand")
    if soort not in HERKOMSTEN:
        raise DataError(f"{where}: soort {soort!r} is onbekend. Kies uit: {', '.join(HERKOMSTEN)}.")
    return Herkomst(soort, _text(raw.get("bron"), where, MAX_NAAM), _text(raw.get("detail"), where, MAX_TITEL))


def parse_afspraken(raw: Any, **kwargs: Any) -> list[Afspraak]:
    """Validate a whole file ``{"afspraken": [...]}``; ids must be unique (see :func:`parse_afspraak`)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("afspraken"), list):
        raise DataError("Afsprakenbestand: verwacht een JSON-object met een lijst 'afspraken' (mag leeg zijn: []).")
    out = [parse_afspraak(item, n, **kwargs) for n, item in enumerate(raw["afspraken"], 1)]
    seen: set[str] = set()
    for n, a in enumerate(out, 1):
        if a.id in seen:
            raise DataError(f"Afspraak {n}: id {a.id!r} komt twee keer voor. Geef elke afspraak een eigen id.")
        seen.add(a.id)
    return out


def load_afspraken_json(text: str | bytes, **kwargs: Any) -> tuple[list[Afspraak], dict[str, Any]]:
    """Parse and validate an afsprakenbestand; returns the afspraken and the parsed document."""
    try:
        raw = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"Afsprakenbestand: geen geldige JSON ({exc}). Controleer het bestand.") from None
    return parse_afspraken(raw, **kwargs), raw


def gebieden_of(frame: Any) -> set[str]:
    """Buurt- and wijkcodes of a frame with ``buurtcode`` and ``wijkcode`` (what afspraken may name)."""
    codes = set(frame["buurtcode"].astype(str))
    if "wijkcode" in frame:
        codes |= {str(c) for c in frame["wijkcode"].dropna()}
    return codes


def validation_for(frame: Any, kolommen: Iterable[str], interventies: Mapping | Collection[str] | None) -> dict[str, Any]:
    """The ``parse_afspraak`` arguments that check afspraken against a dataset, a recipe and a catalogue."""
    return {"gebieden": gebieden_of(frame), "kolommen": set(kolommen),
            "interventies": None if interventies is None else set(interventies)}
