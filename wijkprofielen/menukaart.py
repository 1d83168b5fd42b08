"""The menukaart: a catalogue of interventions and the engine that suggests them per buurt.

The catalogue is data (``menukaart.toml``), validated on load. Each intervention names the
quadrants where it fits, conditions (``voorwaarden``) that must hold and contra-indications
(``contra``) that exclude it, both written as ``"kolom op drempel"`` on an indicator column
or a (sub-)score, e.g. ``"pct_sociale_huur < 30"`` or ``"draagkracht < 0"``.

The engine (:func:`suggest`) for one buurt:

* drops an item whose contra-indication holds, or whose condition does not hold;
* reports a condition or contra-indication on a missing value in ``onbekend``; it never
  counts as false or as zero;
* ranks the rest by points: for the fitting quadrant 4 / (number of quadrants the item
  names), so an item meant for this profile weighs more than one that fits everywhere;
  one per condition that holds; half a point per condition that cannot be checked.
  Ties keep catalogue order.

Scores are signals, not verdicts: a suggestion is a starting point for the conversation
with the buurt, not a decision.
"""

from __future__ import annotations

import math
import operator
import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import indicators
from .domain import PLACED_QUADRANTS
from .errors import ConfigError, DataError
from .formatting import compact
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
    def label(self) -> str:
        """Dutch reading, e.g. ``"Sociale huurwoningen < 30 %"``."""
        if self.kolom in SCORE_LABELS and self.drempel == 0:
            side = "onder" if self.op in ("<", "<=") else "boven"
            return f"{SCORE_LABELS[self.kolom]} {side} het midden ({_OP_TEXT[self.op]} 0)"
        if self.kolom in SCORE_LABELS:
            return f"{SCORE_LABELS[self.kolom]} {_OP_TEXT[self.op]} {compact(self.drempel, signed=True)}"
        info = indicators.info(self.kolom)
        unit = f" {info.eenheid}" if info.eenheid in ("%", "‰") else ""
        return f"{info.label} {_OP_TEXT[self.op]} {compact(self.drempel)}{unit}"

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
class Suggestie:
    """One suggested intervention for a buurt.

    Parameters
    ----------
    interventie : Interventie
    score : float
        Ranking points: 4 / len(kwadranten) when the quadrant fits, 1 per condition that
        holds, ½ per condition that cannot be checked.
    redenen : tuple of str
        Why it fits: the quadrant and the conditions that hold, in Dutch.
    onbekend : tuple of str
        Conditions and contra-indications that could not be checked (missing data).
    """

    interventie: Interventie
    score: float
    redenen: tuple[str, ...]
    onbekend: tuple[str, ...]

    def to_dict(self) -> dict:
        i = self.interventie
        return {"id": i.id, "titel": i.titel, "categorie": i.categorie, "trekker": list(i.trekker),
                "score": self.score, "redenen": list(self.redenen), "onbekend": list(self.onbekend),
                "waarom": i.waarom, "bron": i.bron, "bewijs": i.bewijs}


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


def evaluate(item: Interventie, values: Mapping, kwadrant_namen: Mapping[str, str] | None = None) -> Suggestie | None:
    """Evaluate one item for one buurt's values; None when it does not apply."""
    kwadrant = values.get("kwadrant")
    if kwadrant in ITEM_QUADRANTS and kwadrant not in item.kwadranten:
        return None
    onbekend = []
    for c in item.contra:
        held = c.holds(values.get(c.kolom, math.nan))
        if held:
            return None
        if held is None:
            onbekend.append(f"contra-indicatie niet te controleren: {c.label}")
    redenen, unknown_conds = [], []
    for c in item.voorwaarden:
        held = c.holds(values.get(c.kolom, math.nan))
        if held is False:
            return None
        (redenen if held else unknown_conds).append(c.label)
    points = len(redenen) + 0.5 * len(unknown_conds)
    if kwadrant in item.kwadranten:
        points += 4.0 / len(item.kwadranten)
        redenen.insert(0, f"past bij kwadrant {(kwadrant_namen or {}).get(kwadrant, kwadrant)}")
    else:
        onbekend.append(f"kwadrant onbekend ({_UNPLACED_WHY.get(kwadrant, 'te weinig gegevens om de buurt te plaatsen')})")
    onbekend = [f"voorwaarde niet te controleren: {u}" for u in unknown_conds] + onbekend
    return Suggestie(item, points, tuple(redenen), tuple(onbekend))


def suggest(frame: pd.DataFrame, result: ScoreResult, buurtcode: str, menukaart: Menukaart | None = None,
            top: int | None = None, kwadrant_namen: Mapping[str, str] | None = None) -> list[Suggestie]:
    """Ranked suggestions for one buurt, best first.

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
        Return at most this many.
    kwadrant_namen : mapping, optional
        Display names of the quadrants for the reasons (``Config.kwadrant_namen``); default the codes.

    Returns
    -------
    list of Suggestie
        Items outside the buurt's quadrant, with a failing condition or a contra-indication
        that holds are left out. Conditions on missing values are listed in ``onbekend``.

    Raises
    ------
    DataError
        When the buurtcode is not in the data.
    """
    mk = menukaart if menukaart is not None else default_menukaart()
    values = buurt_values(frame, result, buurtcode)
    namen = kwadrant_namen or {}
    out = [s for i in mk.interventies if (s := evaluate(i, values, namen)) is not None]
    order = {i: n for n, i in enumerate(mk)}
    out.sort(key=lambda s: (-s.score, len(s.onbekend), order[s.interventie.id]))
    return out[:top] if top is not None else out


def group_by_category(suggesties: list[Suggestie]) -> dict[str, list[Suggestie]]:
    """Suggestions per category label, categories ordered by their best suggestion."""
    groups: dict[str, list[Suggestie]] = {}
    for s in suggesties:
        groups.setdefault(s.interventie.categorie_label, []).append(s)
    return groups
