"""The menukaart: a catalogue of interventions and the engine that suggests them per buurt.

The catalogue is data (``menukaart.toml``), validated on load. Each intervention names the
quadrants where it fits, conditions (``voorwaarden``) that must hold and contra-indications
(``contra``) that exclude it, both written as ``"kolom op drempel"`` on an indicator column
or a (sub-)score, e.g. ``"pct_sociale_huur < 30"`` or ``"sub_ruimte >= 0"``. A condition that
means room to build reads the deelscore ``sub_ruimte``, one that means need or renewal reads
``sub_opgave``: the axis fysieke kansen can be high through either.

The engine (:func:`advise`) for one buurt:

* drops an item outside the buurt's quadrant, whose contra-indication holds, or whose
  condition does not hold: a known value decides;
* lists an item whose deciding value is missing (a condition, a contra-indication or the
  quadrant) apart, as *te controleren*, naming the indicator and the value that would decide.
  A missing value never counts as true, false, zero or half;
* suggests the rest, ranked by points: for the fitting quadrant 4 / (number of quadrants
  the item names), so an item meant for this profile weighs more than one that fits
  everywhere, and one per condition that holds. Ties keep catalogue order.

Two items contradict each other when no value of one indicator satisfies both
(:func:`contradictions`), e.g. one needs social rent < 30 % and the other has it as
contra-indication. Since a suggestion rests only on known values, two contradicting items are
never suggested together; when the deciding value is missing, both are *te controleren* and
each names the other.

Scores are signals, not verdicts: a suggestion is a starting point for the conversation
with the buurt, not a decision.
"""

from __future__ import annotations

import itertools
import math
import operator
import os
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from . import indicators
from .config import Recipe
from .domain import PLACED_QUADRANTS
from .dragers import quadrant_reading
from .errors import ConfigError, DataError
from .formatting import compact, measure, score
from .scoring import ScoreResult

CATALOGUE_PATH = Path(__file__).with_name("menukaart.toml")

#: Categories (id -> label) in display order: the nine the 's-Hertogenbosch prestatieafspraken
#: name for the menukaart, then six that the other sources in docs/bronnen.md add.
CATEGORIEEN: dict[str, str] = {
    "huurbeleid": "Huurbeleid",
    "toewijzing": "Toewijzing",
    "verdichting": "Verdichting",
    "nieuwbouw": "Nieuwbouw",
    "duurzaamheid_kwaliteit": "Duurzaamheids- en kwaliteitsingrepen",
    "sociaal_beheer": "Sociaal beheer",
    "woningbouwprogrammering": "Woningbouwprogrammering",
    "openbare_ruimte": "Openbare ruimte",
    "veiligheid": "Veiligheid",
    "wonen_zorg": "Wonen en zorg",
    "doorstroming": "Doorstroming",
    "verkoop_liberalisatie": "Verkoop/liberalisatie",
    "flexwonen_transformatie": "Flexwonen/transformatie",
    "participatie": "Participatie",
    "schuldpreventie_woonlasten": "Schuldpreventie/woonlasten",
}

TREKKERS = ("gemeente", "corporatie", "huurders", "zorg/welzijn", "politie")

#: Quadrants an item can name (the four placed ones).
ITEM_QUADRANTS = PLACED_QUADRANTS
_UNPLACED_WHY = {"te_weinig_inwoners": "te weinig inwoners om de buurt te plaatsen",
                 "geen_inwonersaantal": "geen inwonersaantal in de CBS Kerncijfers"}

#: Score columns a condition may use besides the indicator columns.
SCORE_LABELS: dict[str, str] = {
    "draagkracht": "score draagkracht en weerbaarheid",
    "fysieke_kansen": "score fysieke kansen",
    "sub_draagkracht": "deelscore draagkracht",
    "sub_draaglast": "deelscore draaglast (hoog = zwaarder)",
    "sub_ruimte": "deelscore ruimte",
    "sub_opgave": "deelscore opgave",
}

_OPS = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_OP_TEXT = {"<": "<", "<=": "≤", ">": ">", ">=": "≥"}
_CONDITION = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*(<=|>=|<|>)\s*(\S+)\s*$")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TEXT_FIELDS = ("titel", "waarom", "bron", "bewijs")
#: How the reason for a fitting quadrant starts (the quadrant name and its carriers follow).
QUADRANT_REASON = "past bij kwadrant"
#: Contradicting items named in one check; more are counted.
_NAMED = 2


@dataclass(frozen=True)
class Voorwaarde:
    """A threshold on one column: ``kolom op drempel``.

    Parameters
    ----------
    kolom : str
        An indicator column (``indicatoren.toml``) or a score column (:data:`SCORE_LABELS`).
    op : {"<", "<=", ">", ">="}
    drempel : float
    """

    kolom: str
    op: str
    drempel: float

    def __str__(self) -> str:
        return f"{self.kolom} {self.op} {compact(self.drempel)}"

    @property
    def indicator_label(self) -> str:
        """What the condition reads, e.g. ``"Sociale huurwoningen"`` or ``"deelscore ruimte"``."""
        return SCORE_LABELS[self.kolom] if self.kolom in SCORE_LABELS else indicators.info(self.kolom).label

    @property
    def drempel_tekst(self) -> str:
        """The threshold as read, e.g. ``"< 30 %"`` or ``"≥ 0"``."""
        if self.kolom in SCORE_LABELS:
            return f"{_OP_TEXT[self.op]} {compact(self.drempel, signed=self.drempel != 0)}"
        return f"{_OP_TEXT[self.op]} {compact(self.drempel)}{self._unit}"

    @property
    def _unit(self) -> str:
        eenheid = indicators.info(self.kolom).eenheid
        return f" {eenheid}" if eenheid in ("%", "‰") else ""

    @property
    def label(self) -> str:
        """Dutch reading, e.g. ``"Sociale huurwoningen < 30 %"``."""
        if self.kolom in SCORE_LABELS and self.drempel == 0:
            side = "onder" if self.op in ("<", "<=") else "boven"
            return f"{SCORE_LABELS[self.kolom]} {side} het midden ({_OP_TEXT[self.op]} 0)"
        return f"{self.indicator_label} {self.drempel_tekst}"

    def waarde_tekst(self, value: float) -> str:
        """A value of this condition's column as shown, e.g. ``"22,5 %"`` or ``"+1,22"``."""
        small = abs(value) < (0.01 if self.kolom in SCORE_LABELS else 1) and value != 0
        if small:  # enough digits to show the side of a threshold near zero
            return compact(value, 2, signed=self.kolom in SCORE_LABELS) + self._unit
        if self.kolom in SCORE_LABELS:
            return score(value)
        return measure(value, indicators.info(self.kolom).eenheid) + self._unit

    def holds(self, value: float) -> bool | None:
        """True/False, or None when ``value`` is missing (never counted as zero)."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        return bool(_OPS[self.op](float(value), self.drempel))


@dataclass(frozen=True)
class Interventie:
    """One item of the menukaart.

    Parameters
    ----------
    id, titel, categorie : str
        ``categorie`` is a key of :data:`CATEGORIEEN`.
    trekker : tuple of str
        Who leads: gemeente, corporatie, huurders, zorg/welzijn, politie.
    kwadranten : tuple of str
        Quadrant codes where it fits (``hoog_hoog`` …).
    voorwaarden : tuple of Voorwaarde
        Must all hold (or be unknown) for the item to be suggested.
    contra : tuple of Voorwaarde
        Any that holds excludes the item.
    waarom : str
        One or two sentences.
    bron : str
        Short references to the policy documents (docs/bronnen.md), with section.
    bewijs : str
        Evidence note: what worked and what did not.
    """

    id: str
    titel: str
    categorie: str
    trekker: tuple[str, ...]
    kwadranten: tuple[str, ...]
    voorwaarden: tuple[Voorwaarde, ...]
    contra: tuple[Voorwaarde, ...]
    waarom: str
    bron: str
    bewijs: str

    @property
    def categorie_label(self) -> str:
        return CATEGORIEEN[self.categorie]

    def to_dict(self) -> dict:
        """Plain JSON-ready dict; conditions as their ``"kolom op drempel"`` text."""
        return {
            "id": self.id, "titel": self.titel, "categorie": self.categorie, "trekker": list(self.trekker),
            "kwadranten": list(self.kwadranten), "voorwaarden": [str(v) for v in self.voorwaarden],
            "contra": [str(v) for v in self.contra], "waarom": self.waarom, "bron": self.bron, "bewijs": self.bewijs,
        }


@dataclass(frozen=True)
class Controle:
    """A missing value that decides whether an item fits, and what would decide.

    Parameters
    ----------
    kolom : str
        The column to check, or ``"kwadrant"``.
    wat : str
        What is missing, e.g. ``"Sociale huurwoningen ontbreekt"``.
    beslist : str
        Which value decides, e.g. ``"past alleen bij < 30 %"`` or ``"valt af bij ≥ 40 %"``.
    toelichting : str
        Where the value comes from or what it rests on.
    tegenstrijdig : tuple of str
        Titles of items listed for the same buurt that the same value would exclude.
    """

    kolom: str
    wat: str
    beslist: str
    toelichting: str = ""
    tegenstrijdig: tuple[str, ...] = ()

    @property
    def tekst(self) -> str:
        """One line, e.g. ``"Sociale huurwoningen ontbreekt: past alleen bij < 30 % (bron: …)"``."""
        text = f"{self.wat}: {self.beslist}"
        if self.toelichting:
            text += f" ({self.toelichting})"
        if self.tegenstrijdig:
            named = [f"'{t}'" for t in self.tegenstrijdig[:_NAMED]]
            rest = len(self.tegenstrijdig) - len(named)
            text += ("; dezelfde waarde beslist over " + ", ".join(named) + (f" en {rest} andere" if rest else "")
                     + " (tegenstrijdig)")
        return text

    def __str__(self) -> str:
        return self.tekst


@dataclass(frozen=True)
class Suggestie:
    """One intervention for a buurt: suggested, or te controleren when ``controles`` is not empty.

    Parameters
    ----------
    interventie : Interventie
    score : float
        Ranking points: 4 / len(kwadranten) when the quadrant fits, 1 per condition that
        holds. A condition that cannot be checked adds nothing.
    redenen : tuple of str
        Why it fits: the quadrant (with the sub-scores that carry each axis) and the
        conditions that hold with the buurt's value, in Dutch.
    controles : tuple of Controle
        The missing values that decide whether it fits; empty for a suggestion.
    """

    interventie: Interventie
    score: float
    redenen: tuple[str, ...]
    controles: tuple[Controle, ...] = ()

    @property
    def te_controleren(self) -> bool:
        """True when a missing value decides whether the item fits."""
        return bool(self.controles)

    @property
    def onbekend(self) -> tuple[str, ...]:
        """What to check, one line per missing value (empty for a suggestion)."""
        return tuple(c.tekst for c in self.controles)

    def to_dict(self) -> dict:
        i = self.interventie
        return {"id": i.id, "titel": i.titel, "categorie": i.categorie, "trekker": list(i.trekker),
                "status": "te_controleren" if self.te_controleren else "suggestie",
                "score": self.score, "redenen": list(self.redenen), "te_controleren": list(self.onbekend),
                "waarom": i.waarom, "bron": i.bron, "bewijs": i.bewijs}


@dataclass(frozen=True)
class Advies:
    """The menukaart for one buurt.

    Parameters
    ----------
    suggesties : tuple of Suggestie
        Items whose quadrant and conditions are known and hold, best first.
    te_controleren : tuple of Suggestie
        Items whose deciding value is missing, each with its ``controles``; never ranked
        above a suggestion.
    kwadrant : str
        The buurt's quadrant code.
    """

    suggesties: tuple[Suggestie, ...]
    te_controleren: tuple[Suggestie, ...]
    kwadrant: str

    @property
    def alle(self) -> list[Suggestie]:
        """Suggestions first, then the items te controleren: the one ranking."""
        return [*self.suggesties, *self.te_controleren]


@dataclass(frozen=True)
class Tegenstrijdigheid:
    """Two items that no value of ``kolom`` can both satisfy."""

    a: str
    b: str
    kolom: str


class Menukaart(Mapping[str, Interventie]):
    """The validated catalogue: ``mk[id]``, ``id in mk``, ``iter(mk)`` (ids), ``len(mk)``.

    Parameters
    ----------
    items : iterable of Interventie
    pad : str
        Where it was read from (for messages).
    """

    def __init__(self, items, pad: str = "") -> None:
        self._items = {i.id: i for i in items}
        self.pad = pad

    def __getitem__(self, key: str) -> Interventie:
        try:
            return self._items[key]
        except KeyError:
            raise KeyError(f"Interventie {key!r} staat niet op de menukaart.") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def interventies(self) -> list[Interventie]:
        """All items in catalogue order."""
        return list(self._items.values())

    @property
    def categorieen(self) -> dict[str, str]:
        """All categories (id -> label) in display order."""
        return dict(CATEGORIEEN)

    @cached_property
    def tegenstrijdig(self) -> dict[str, dict[str, tuple[str, ...]]]:
        """``{id: {other id: columns}}`` of every contradicting pair (:func:`contradictions`), both ways."""
        out: dict[str, dict[str, tuple[str, ...]]] = {}
        for t in contradictions(self.interventies):
            for x, y in ((t.a, t.b), (t.b, t.a)):
                out.setdefault(x, {})[y] = (*out.get(x, {}).get(y, ()), t.kolom)
        return out

    def filter(self, categorieen=None, trekkers=None, kwadranten=None, tekst: str = "") -> list[Interventie]:
        """Items matching every given filter (empty/None: no filter on that field).

        Within a field any match counts: an item led by gemeente and corporatie matches
        ``trekkers=["corporatie"]``.
        """
        tekst = tekst.strip().lower()
        out = []
        for i in self._items.values():
            if categorieen and i.categorie not in categorieen:
                continue
            if trekkers and not set(trekkers) & set(i.trekker):
                continue
            if kwadranten and not set(kwadranten) & set(i.kwadranten):
                continue
            if tekst and tekst not in f"{i.id} {i.titel} {i.waarom} {i.bewijs}".lower():
                continue
            out.append(i)
        return out

    def table(self, items=None) -> pd.DataFrame:
        """A flat table for display and export, one row per item."""
        rows = []
        for i in self.interventies if items is None else items:
            rows.append({
                "id": i.id, "titel": i.titel, "categorie": i.categorie_label, "trekker": ", ".join(i.trekker),
                "kwadranten": ", ".join(i.kwadranten), "voorwaarden": "; ".join(v.label for v in i.voorwaarden),
                "contra": "; ".join(v.label for v in i.contra), "waarom": i.waarom, "bron": i.bron, "bewijs": i.bewijs,
            })
        return pd.DataFrame(rows, columns=["id", "titel", "categorie", "trekker", "kwadranten", "voorwaarden",
                                           "contra", "waarom", "bron", "bewijs"])


def known_columns() -> set[str]:
    """Columns a condition may name: the indicator catalogue and the score columns."""
    return set(indicators.catalogue()) | set(SCORE_LABELS)


def parse_condition(text, where: str) -> Voorwaarde:
    """Parse ``"kolom op drempel"``; raise :class:`ConfigError` naming ``where``.

    Examples
    --------
    >>> parse_condition("pct_sociale_huur < 30", "x")
    Voorwaarde(kolom='pct_sociale_huur', op='<', drempel=30.0)
    """
    if not isinstance(text, str):
        raise ConfigError(f"{where}: een voorwaarde moet tekst zijn zoals \"pct_sociale_huur < 30\", niet {text!r}.")
    m = _CONDITION.match(text)
    if not m:
        raise ConfigError(
            f"{where}: voorwaarde {text!r} is onleesbaar. Schrijf 'kolom op drempel', bijvoorbeeld "
            "\"pct_sociale_huur < 30\" (op: <, <=, >, >=)."
        )
    kolom, op, raw = m.groups()
    if kolom not in known_columns():
        raise ConfigError(
            f"{where}: voorwaarde {text!r} noemt een onbekende indicator '{kolom}'. Gebruik een kolom uit "
            "wijkprofielen/indicatoren.toml of een score (" + ", ".join(SCORE_LABELS) + ")."
        )
    try:
        drempel = float(raw.replace(",", "."))
    except ValueError:
        drempel = math.nan
    if not math.isfinite(drempel):
        raise ConfigError(f"{where}: de drempel {raw!r} in voorwaarde {text!r} is geen getal. Geef een getal, bijvoorbeeld 30 of -0.5.")
    return Voorwaarde(kolom, op, drempel)


def _strings(value, where: str, allowed: tuple[str, ...] | None, required: bool = True) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value) or (required and not value):
        raise ConfigError(f"{where} moet een lijst van tekst zijn" + (f" met waarden uit: {', '.join(allowed)}." if allowed else "."))
    if allowed:
        bad = [v for v in value if v not in allowed]
        if bad:
            raise ConfigError(f"{where}: {', '.join(map(repr, bad))} is onbekend. Kies uit: {', '.join(allowed)}.")
    return tuple(value)


def parse_item(raw, n: int, bron: str) -> Interventie:
    """Validate one ``[[interventie]]`` table."""
    if not isinstance(raw, dict):
        raise ConfigError(f"Menukaart {bron}: interventie nr. {n} is geen tabel.")
    ident = raw.get("id")
    if not isinstance(ident, str) or not _ID.match(ident):
        raise ConfigError(
            f"Menukaart {bron}: interventie nr. {n} heeft geen geldig 'id' ({ident!r}). "
            "Gebruik kleine letters, cijfers en _ (bijvoorbeeld \"sociale_huur_toevoegen\")."
        )
    where = f"Menukaart {bron}, interventie '{ident}'"
    unknown = set(raw) - {"id", "categorie", "trekker", "kwadranten", "voorwaarden", "contra", *_TEXT_FIELDS}
    if unknown:
        raise ConfigError(f"{where}: onbekende sleutel(s) {', '.join(sorted(unknown))}. Controleer de spelling.")
    texts = {}
    for key in _TEXT_FIELDS:
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where}: '{key}' ontbreekt of is leeg. Vul een tekst in.")
        texts[key] = " ".join(value.split())
    categorie = raw.get("categorie")
    if categorie not in CATEGORIEEN:
        raise ConfigError(f"{where}: categorie {categorie!r} is onbekend. Kies uit: {', '.join(CATEGORIEEN)}.")
    conds = {}
    for key in ("voorwaarden", "contra"):
        value = raw.get(key, [])
        if not isinstance(value, list):
            raise ConfigError(f"{where}: '{key}' moet een lijst zijn, bijvoorbeeld [\"draagkracht < 0\"].")
        conds[key] = tuple(parse_condition(t, f"{where}, {key}") for t in value)
    return Interventie(
        id=ident, categorie=categorie,
        trekker=_strings(raw.get("trekker"), f"{where}: 'trekker'", TREKKERS),
        kwadranten=_strings(raw.get("kwadranten"), f"{where}: 'kwadranten'", ITEM_QUADRANTS),
        voorwaarden=conds["voorwaarden"], contra=conds["contra"], **texts,
    )


def menukaart_from_dict(raw: dict, bron: str = "menukaart") -> Menukaart:
    """Validate a parsed catalogue (``{"interventie": [...]}``)."""
    items_raw = raw.get("interventie")
    if not isinstance(items_raw, list) or not items_raw:
        raise ConfigError(f"Menukaart {bron}: geen [[interventie]]-tabellen gevonden. Neem ten minste één interventie op.")
    items, seen = [], set()
    for n, item_raw in enumerate(items_raw, 1):
        item = parse_item(item_raw, n, bron)
        if item.id in seen:
            raise ConfigError(f"Menukaart {bron}: id '{item.id}' komt twee keer voor. Geef elke interventie een eigen id.")
        seen.add(item.id)
        items.append(item)
    return Menukaart(items, bron)


def catalogue_path(cfg=None) -> Path:
    """The catalogue file: ``[menukaart] pad`` of the config (already absolute), else the built-in one."""
    return cfg.menukaart_pad if cfg is not None and cfg.menukaart_pad else CATALOGUE_PATH


def load_menukaart(path: str | os.PathLike | None = None) -> Menukaart:
    """Read and validate a catalogue.

    Parameters
    ----------
    path : path-like, optional
        A TOML file with ``[[interventie]]`` tables; default the built-in catalogue.

    Raises
    ------
    ConfigError
        With a Dutch message naming the file, the item id and the key.
    """
    path = Path(path) if path else CATALOGUE_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"Menukaart {path} bestaat niet. Controleer menukaart.pad in config.toml.") from None
    except (UnicodeDecodeError, IsADirectoryError):
        raise ConfigError(f"Menukaart {path} is geen leesbaar UTF-8-tekstbestand. Sla het op als UTF-8 TOML.") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Menukaart {path} is geen geldige TOML: {exc}. Controleer die regel.") from None
    return menukaart_from_dict(raw, str(path))


_DEFAULT: Menukaart | None = None


def default_menukaart() -> Menukaart:
    """The built-in catalogue, read once."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = load_menukaart()
    return _DEFAULT


def buurt_values(frame: pd.DataFrame, result: ScoreResult, buurtcode: str) -> dict[str, float]:
    """Indicator and score values of one buurt (NaN where missing), plus its quadrant."""
    code = str(buurtcode)
    codes = frame["buurtcode"].astype(str)
    hits = np.flatnonzero(codes.to_numpy() == code)
    if not len(hits) or code not in result.scores.index:
        raise DataError(f"Buurtcode {code!r} staat niet in de data. Kies een bestaande buurtcode (bijvoorbeeld {codes.iloc[0]}).")
    row = frame.iloc[hits[0]]
    values: dict[str, float] = {}
    for k in known_columns():
        if k in SCORE_LABELS:
            continue
        v = row.get(k, np.nan)
        values[k] = float(v) if isinstance(v, (int, float, np.number)) and not isinstance(v, bool) and pd.notna(v) else math.nan
    s = result.scores.loc[code]
    for k in SCORE_LABELS:
        v = s.get(k, np.nan)
        values[k] = float(v) if pd.notna(v) else math.nan
    values["kwadrant"] = s["kwadrant"]
    return values


def _admits(item: Interventie, kolom: str, x: float) -> bool:
    """Whether value ``x`` of ``kolom`` leaves ``item`` possible (its other columns aside)."""
    return (all(c.holds(x) for c in item.voorwaarden if c.kolom == kolom)
            and not any(c.holds(x) for c in item.contra if c.kolom == kolom))


def _probes(drempels: Iterable[float]) -> list[float]:
    """One value in every region the thresholds cut the line into: each threshold, the
    midpoints between them and one beyond either end. Conditions are half-lines, so whether
    a value is admitted is constant within a region and these values decide exactly."""
    ts = sorted(set(drempels))
    return [ts[0] - 1.0, *ts, *((x + y) / 2 for x, y in itertools.pairwise(ts)), ts[-1] + 1.0]


def contradict_on(a: Interventie, b: Interventie, kolom: str) -> bool:
    """True when both items have a condition or contra-indication on ``kolom``, each alone can be
    met, and no value of ``kolom`` meets both.

    Examples
    --------
    >>> mk = default_menukaart()
    >>> contradict_on(mk["sociale_huur_toevoegen"], mk["verkoop_eenzijdig_corporatiebezit"], "pct_sociale_huur")
    True
    >>> contradict_on(mk["woningsplitsen"], mk["optoppen"], "pct_meergezinswoning")
    True
    >>> contradict_on(mk["optoppen"], mk["bewoners_betrekken_bij_renovatie"], "pct_bouwjaar_1945_1975")
    False
    """
    conds = [c for c in (*a.voorwaarden, *a.contra, *b.voorwaarden, *b.contra) if c.kolom == kolom]
    uses = [any(c.kolom == kolom for c in (*i.voorwaarden, *i.contra)) for i in (a, b)]
    if not all(uses):
        return False
    probes = _probes(c.drempel for c in conds)
    fa = [_admits(a, kolom, x) for x in probes]
    fb = [_admits(b, kolom, x) for x in probes]
    return any(fa) and any(fb) and not any(x and y for x, y in zip(fa, fb))


def contradictions(items: Iterable[Interventie]) -> list[Tegenstrijdigheid]:
    """Every pair of items that contradict each other on one column, from their conditions alone.

    Parameters
    ----------
    items : iterable of Interventie
        E.g. ``Menukaart.interventies``.

    Returns
    -------
    list of Tegenstrijdigheid
        In catalogue order; a pair that contradicts on two columns appears twice.
    """
    items = list(items)
    out = []
    for a, b in itertools.combinations(items, 2):
        shared = {c.kolom for c in (*a.voorwaarden, *a.contra)} & {c.kolom for c in (*b.voorwaarden, *b.contra)}
        out += [Tegenstrijdigheid(a.id, b.id, k) for k in sorted(shared) if contradict_on(a, b, k)]
    return out


def check_hints(recipe: Recipe | None) -> dict[str, str]:
    """Per column, where a missing value comes from: the source of an indicator, the
    indicators a (sub-)score rests on in ``recipe``."""
    hints = {k: f"bron: {info.bron}" for k, info in indicators.catalogue().items()}
    if recipe is None:
        return hints
    for axis in recipe.assen:
        hints[axis.naam] = "rust op: " + ", ".join(indicators.info(i.kolom).label for i in axis.indicatoren)
        for sub in axis.subassen:
            labels = [indicators.info(i.kolom).label for i in axis.indicatoren if i.subas == sub]
            hints[f"sub_{sub}"] = (("rust op: " + ", ".join(labels)) if labels
                                   else "het recept heeft geen indicatoren voor deze deelscore")
    return hints


def _check(c: Voorwaarde, contra: bool, hints: Mapping[str, str]) -> Controle:
    beslist = f"valt af bij {c.drempel_tekst}" if contra else f"past alleen bij {c.drempel_tekst}"
    return Controle(c.kolom, f"{c.indicator_label} ontbreekt", beslist, hints.get(c.kolom, ""))


def evaluate(item: Interventie, values: Mapping, kwadrant_namen: Mapping[str, str] | None = None,
             kwadrant_reden: str = "", hints: Mapping[str, str] | None = None) -> Suggestie | None:
    """Evaluate one item for one buurt's values.

    Returns
    -------
    Suggestie or None
        None when a known value excludes it; a suggestion when every deciding value is known;
        otherwise an item te controleren with a :class:`Controle` per missing deciding value.
    """
    namen, hints = kwadrant_namen or {}, hints or {}
    kwadrant = values.get("kwadrant")
    known_quadrant = kwadrant in ITEM_QUADRANTS
    if known_quadrant and kwadrant not in item.kwadranten:
        return None
    checks, contra_checks = [], []
    for c in item.contra:
        held = c.holds(values.get(c.kolom, math.nan))
        if held:
            return None
        if held is None:
            contra_checks.append(_check(c, True, hints))
    redenen = []
    for c in item.voorwaarden:
        value = values.get(c.kolom, math.nan)
        held = c.holds(value)
        if held is False:
            return None
        if held:
            redenen.append(f"{c.label} (hier {c.waarde_tekst(value)})")
        else:
            checks.append(_check(c, False, hints))
    points = float(len(redenen))
    everywhere = set(item.kwadranten) >= set(ITEM_QUADRANTS)
    if known_quadrant:
        points += 4.0 / len(item.kwadranten)
        reden = f"{QUADRANT_REASON} {namen.get(kwadrant, kwadrant)}"
        redenen.insert(0, f"{reden} ({kwadrant_reden})" if kwadrant_reden else reden)
    elif everywhere:
        points += 1.0
        redenen.insert(0, "past bij elk kwadrant")
    else:
        why = _UNPLACED_WHY.get(kwadrant) or namen.get(kwadrant, kwadrant)
        checks.append(Controle("kwadrant", f"kwadrant onbekend ({why})",
                               "past alleen in " + ", ".join(namen.get(q, q) for q in item.kwadranten)))
    return Suggestie(item, points, tuple(redenen), tuple(checks + contra_checks))


def _mark_contradictions(listed: list[Suggestie], mk: Menukaart) -> list[Suggestie]:
    """Name, in each check, the listed items that the same missing value would exclude."""
    titles = {s.interventie.id: s.interventie.titel for s in listed}
    out = []
    for s in listed:
        others = mk.tegenstrijdig.get(s.interventie.id, {})
        controles = tuple(
            replace(c, tegenstrijdig=tuple(titles[o] for o, cols in others.items() if o in titles and c.kolom in cols))
            for c in s.controles)
        out.append(replace(s, controles=controles))
    return out


def advise(frame: pd.DataFrame, result: ScoreResult, buurtcode: str, menukaart: Menukaart | None = None,
           top: int | None = None, kwadrant_namen: Mapping[str, str] | None = None) -> Advies:
    """The menukaart for one buurt: ranked suggestions and, apart, the items te controleren.

    Parameters
    ----------
    frame : DataFrame
        ``Dataset.frame(jaar)``: one row per buurt with indicator columns.
    result : ScoreResult
        ``scoring.score(frame, recipe)``.
    buurtcode : str
    menukaart : Menukaart, optional
        Default: the built-in catalogue.
    top : int, optional
        At most this many suggestions and this many items te controleren.
    kwadrant_namen : mapping, optional
        Display names of the quadrants for the reasons (``Config.kwadrant_namen``); default the codes.

    Raises
    ------
    DataError
        When the buurtcode is not in the data.
    """
    return advise_values(buurt_values(frame, result, buurtcode), menukaart, result.recipe, top, kwadrant_namen)


def advise_values(values: Mapping, menukaart: Menukaart | None = None, recipe: Recipe | None = None,
                  top: int | None = None, kwadrant_namen: Mapping[str, str] | None = None) -> Advies:
    """:func:`advise` on one buurt's values (:func:`buurt_values`: columns, scores and ``kwadrant``).

    ``recipe`` supplies the sub-scores that carry each axis and what a missing score rests
    on; without it the reasons and checks leave those out.
    """
    mk = menukaart if menukaart is not None else default_menukaart()
    namen = kwadrant_namen or {}
    kwadrant = values.get("kwadrant")
    reden = quadrant_reading(values, recipe, short=True) if recipe is not None and kwadrant in ITEM_QUADRANTS else ""
    hints = check_hints(recipe)
    found = [s for i in mk.interventies if (s := evaluate(i, values, namen, reden, hints)) is not None]
    order = {i: n for n, i in enumerate(mk)}

    def rank(s: Suggestie):
        return (-s.score, len(s.controles), order[s.interventie.id])

    firm = sorted((s for s in found if not s.te_controleren), key=rank)
    open_ = sorted(_mark_contradictions([s for s in found if s.te_controleren], mk), key=rank)
    return Advies(tuple(firm[:top] if top is not None else firm), tuple(open_[:top] if top is not None else open_),
                  str(kwadrant))


def suggest(frame: pd.DataFrame, result: ScoreResult, buurtcode: str, menukaart: Menukaart | None = None,
            top: int | None = None, kwadrant_namen: Mapping[str, str] | None = None) -> list[Suggestie]:
    """Ranked suggestions for one buurt, best first: :attr:`Advies.suggesties` of :func:`advise`.

    Items whose deciding value is missing are not among them; :func:`advise` lists those
    apart as te controleren.
    """
    return list(advise(frame, result, buurtcode, menukaart, top, kwadrant_namen).suggesties)


def group_by_category(suggesties: list[Suggestie]) -> dict[str, list[Suggestie]]:
    """Suggestions per category label, categories ordered by their best suggestion."""
    groups: dict[str, list[Suggestie]] = {}
    for s in suggesties:
        groups.setdefault(s.interventie.categorie_label, []).append(s)
    return groups
