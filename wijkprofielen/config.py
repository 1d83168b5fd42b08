"""Load and validate the domain configuration (``config.toml``).

The scoring recipe, quadrant names and the other domain settings live in one TOML file.
Everything is validated on load; a wrong value raises :class:`ConfigError` with a Dutch
message that names the key and the fix.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG_PATH = REPO_ROOT / "config.toml"

AXES = ("draagkracht", "fysieke_kansen")
SUBAXES = {"draagkracht": ("draagkracht", "draaglast"), "fysieke_kansen": ("ruimte", "opgave")}
# Shown the other way round: a high draaglast means a heavier load, i.e. lower on the axis.
INVERTED_SUBAXES = frozenset({"draaglast"})
NORMALISATIONS = ("zscore", "percentiel")
REFERENCES = ("gemeente", "dataset", "nederland", "stedelijkheid")
QUADRANTS = ("hoog_hoog", "laag_hoog", "laag_laag", "hoog_laag", "onvoldoende_data")


@dataclass(frozen=True)
class IndicatorWeight:
    """One indicator in an axis recipe."""

    kolom: str
    richting: int
    gewicht: float
    subas: str


@dataclass(frozen=True)
class Axis:
    """An axis: its label and weighted indicators."""

    naam: str
    label: str
    indicatoren: tuple[IndicatorWeight, ...]

    @property
    def kolommen(self) -> list[str]:
        return [i.kolom for i in self.indicatoren]


@dataclass(frozen=True)
class Recipe:
    """A complete, transparent scoring recipe.

    Parameters
    ----------
    assen : tuple of Axis
        ``draagkracht`` and ``fysieke_kansen``.
    normalisatie : {"zscore", "percentiel"}
    referentie : {"gemeente", "dataset", "nederland", "stedelijkheid"}
        Which buurten each buurt is compared with (see :mod:`wijkprofielen.reference`).
    min_dekking : float
        Minimum share of an axis' weight that must be available for a score.
    clip : float
        z-scores are clipped to ``[-clip, clip]``.
    grens_draagkracht, grens_fysieke_kansen : float
        Quadrant boundaries; a score equal to the boundary counts as high.
    """

    assen: tuple[Axis, ...]
    normalisatie: str = "zscore"
    referentie: str = "gemeente"
    min_dekking: float = 0.6
    clip: float = 3.0
    grens_draagkracht: float = 0.0
    grens_fysieke_kansen: float = 0.0

    def axis(self, naam: str) -> Axis:
        for a in self.assen:
            if a.naam == naam:
                return a
        raise KeyError(naam)

    @property
    def kolommen(self) -> list[str]:
        """All indicator columns used, in recipe order, without duplicates."""
        seen: dict[str, None] = {}
        for a in self.assen:
            for i in a.indicatoren:
                seen.setdefault(i.kolom, None)
        return list(seen)

    def weights(self) -> dict[tuple[str, str], float]:
        """Return ``{(axis, kolom): gewicht}``."""
        return {(a.naam, i.kolom): i.gewicht for a in self.assen for i in a.indicatoren}

    def with_weights(self, gewichten: dict[tuple[str, str], float]) -> "Recipe":
        """Return a copy with some weights replaced (validated)."""
        assen = []
        for a in self.assen:
            inds = []
            for i in a.indicatoren:
                g = gewichten.get((a.naam, i.kolom), i.gewicht)
                inds.append(replace(i, gewicht=_check_weight(g, f"{a.naam}.{i.kolom}")))
            assen.append(replace(a, indicatoren=tuple(inds)))
        recipe = replace(self, assen=tuple(assen))
        _check_axis_weights(recipe)
        return recipe

    def with_options(self, **changes: Any) -> "Recipe":
        """Return a copy with top-level options replaced (validated)."""
        return recipe_from_dict({**self.to_dict(), **changes})

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-serialisable dict that :func:`recipe_from_dict` reads back."""
        return {
            "normalisatie": self.normalisatie,
            "referentie": self.referentie,
            "min_dekking": self.min_dekking,
            "clip": self.clip,
            "grens_draagkracht": self.grens_draagkracht,
            "grens_fysieke_kansen": self.grens_fysieke_kansen,
            "assen": {
                a.naam: {
                    "label": a.label,
                    "indicatoren": [
                        {"kolom": i.kolom, "richting": i.richting, "gewicht": i.gewicht, "subas": i.subas}
                        for i in a.indicatoren
                    ],
                }
                for a in self.assen
            },
        }

    def fingerprint(self) -> str:
        """A short stable hash of the recipe, for caches and exports."""
        blob = json.dumps(self.to_dict(), sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:12]


@dataclass(frozen=True)
class Config:
    """The whole domain configuration."""

    recipe: Recipe
    kwadrant_namen: dict[str, str]
    kwadrant_uitleg: dict[str, str]
    data_pad: str = ""
    bron: str = "standaard"
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def section(self, naam: str) -> dict[str, Any]:
        """A raw config section for features that validate their own settings."""
        value = self.raw.get(naam, {})
        if not isinstance(value, dict):
            raise ConfigError(f"Configuratie: [{naam}] moet een tabel zijn. Pas {self.bron} aan.")
        return value


def _check_weight(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"Configuratie: het gewicht van {where} is geen getal ({value!r}). Geef een getal ≥ 0.")
    if value < 0:
        raise ConfigError(f"Configuratie: het gewicht van {where} is negatief ({value}). Gewichten zijn 0 of groter.")
    return float(value)


def _check_axis_weights(recipe: Recipe) -> None:
    for a in recipe.assen:
        if not a.indicatoren:
            raise ConfigError(f"Configuratie: as '{a.naam}' heeft geen indicatoren. Voeg er ten minste één toe.")
        if sum(i.gewicht for i in a.indicatoren) <= 0:
            raise ConfigError(
                f"Configuratie: alle gewichten van as '{a.naam}' zijn 0. Geef ten minste één indicator een gewicht > 0."
            )


def number_setting(d: dict, key: str, default: float, where: str, lo: float | None = None, hi: float | None = None) -> float:
    value = d.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"Configuratie: {where}.{key} moet een getal zijn, niet {value!r}.")
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ConfigError(f"Configuratie: {where}.{key} = {value} ligt buiten het bereik {lo} – {hi}.")
    return float(value)


def _choice(d: dict, key: str, default: str, options: tuple[str, ...], where: str) -> str:
    value = d.get(key, default)
    if value not in options:
        raise ConfigError(
            f"Configuratie: {where}.{key} = {value!r} is onbekend. Kies uit: {', '.join(options)}."
        )
    return value


def recipe_from_dict(d: dict[str, Any]) -> Recipe:
    """Build and validate a :class:`Recipe` from the ``[scoring]``/``[kwadrant]``/``[assen]`` shape.

    Accepts both the flat shape of :meth:`Recipe.to_dict` and the config-file shape.
    """
    scoring = d.get("scoring", d)
    kwadrant = d.get("kwadrant", d)
    assen_raw = d.get("assen")
    if not isinstance(assen_raw, dict):
        raise ConfigError("Configuratie: de tabel [assen] ontbreekt. Neem [assen.draagkracht] en [assen.fysieke_kansen] op.")
    assen = []
    for naam in AXES:
        raw = assen_raw.get(naam)
        if not isinstance(raw, dict):
            raise ConfigError(f"Configuratie: [assen.{naam}] ontbreekt. Beide assen zijn nodig.")
        inds = raw.get("indicatoren", [])
        if not isinstance(inds, list):
            raise ConfigError(f"Configuratie: assen.{naam}.indicatoren moet een lijst van tabellen zijn.")
        seen = set()
        items = []
        for n, ind in enumerate(inds, 1):
            where = f"assen.{naam}.indicatoren[{n}]"
            if not isinstance(ind, dict) or not isinstance(ind.get("kolom"), str) or not ind["kolom"]:
                raise ConfigError(f"Configuratie: {where} mist 'kolom' (de naam van de indicatorkolom).")
            kolom = ind["kolom"]
            if kolom in seen:
                raise ConfigError(f"Configuratie: '{kolom}' staat twee keer in as '{naam}'. Haal er één weg.")
            seen.add(kolom)
            richting = ind.get("richting", 1)
            if richting not in (1, -1) or isinstance(richting, bool):
                raise ConfigError(f"Configuratie: {where} ({kolom}): richting moet 1 of -1 zijn, niet {richting!r}.")
            subas = ind.get("subas", SUBAXES[naam][0])
            if subas not in SUBAXES[naam]:
                raise ConfigError(
                    f"Configuratie: {where} ({kolom}): subas {subas!r} is onbekend. Kies uit: {', '.join(SUBAXES[naam])}."
                )
            items.append(IndicatorWeight(kolom, int(richting), _check_weight(ind.get("gewicht", 1.0), f"{naam}.{kolom}"), subas))
        assen.append(Axis(naam, str(raw.get("label", naam)), tuple(items)))
    recipe = Recipe(
        assen=tuple(assen),
        normalisatie=_choice(scoring, "normalisatie", "zscore", NORMALISATIONS, "scoring"),
        referentie=_choice(scoring, "referentie", "gemeente", REFERENCES, "scoring"),
        min_dekking=number_setting(scoring, "min_dekking", 0.6, "scoring", 0.0, 1.0),
        clip=number_setting(scoring, "clip", 3.0, "scoring", 0.5, 100.0),
        grens_draagkracht=number_setting(kwadrant, "grens_draagkracht", 0.0, "kwadrant"),
        grens_fysieke_kansen=number_setting(kwadrant, "grens_fysieke_kansen", 0.0, "kwadrant"),
    )
    _check_axis_weights(recipe)
    return recipe


def config_from_dict(raw: dict[str, Any], bron: str = "configuratie") -> Config:
    """Validate a parsed config dict."""
    recipe = recipe_from_dict(raw)
    # issue 3: [import], [lokaal.kolommen] and [download] are validated on load.
    from .importers.settings import import_settings

    import_settings(raw)
    kwadrant = raw.get("kwadrant", {})
    namen = {q: q for q in QUADRANTS} | dict(kwadrant.get("namen", {}))
    uitleg = {q: "" for q in QUADRANTS} | dict(kwadrant.get("uitleg", {}))
    for q in namen:
        if q not in QUADRANTS:
            raise ConfigError(f"Configuratie: kwadrant.namen.{q} is geen kwadrant. Gebruik: {', '.join(QUADRANTS)}.")
    data_pad = raw.get("data", {}).get("pad", "")
    if not isinstance(data_pad, str):
        raise ConfigError("Configuratie: data.pad moet tekst zijn (een bestandspad of leeg).")
    # --- issue 4: [menukaart] ---
    menukaart = raw.get("menukaart", {})
    if not isinstance(menukaart, dict) or not isinstance(menukaart.get("pad", ""), str):
        raise ConfigError("Configuratie: menukaart.pad moet tekst zijn (een pad naar een eigen menukaart-TOML, of leeg).")
    # --- einde issue 4 ---
    cfg = Config(recipe, namen, uitleg, data_pad, bron, raw)
    # issue 9: [stabiliteit] and [referentie] are validated on load (imported here: they import this module).
    from . import reference, stability

    stability.settings(cfg)
    reference.reference_settings(cfg)
    # issue 8: city targets ([doelen.*], [uitzoomen]) are validated on load too.
    from .scenario.doelen import load_doelen

    load_doelen(raw)
    return cfg


def load_config(path: str | os.PathLike | None = None) -> Config:
    """Read and validate a config file.

    Parameters
    ----------
    path : path-like, optional
        Defaults to ``$WIJKPROFIELEN_CONFIG`` or the repository's ``config.toml``.
    """
    path = Path(path or os.environ.get("WIJKPROFIELEN_CONFIG") or DEFAULT_CONFIG_PATH)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"Configuratiebestand {path} bestaat niet. Geef een bestaand pad op.") from None
    except UnicodeDecodeError:
        raise ConfigError(f"Configuratiebestand {path} is geen UTF-8-tekst. Sla het op als UTF-8.") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Configuratiebestand {path} is geen geldige TOML: {exc}. Controleer die regel.") from None
    return config_from_dict(raw, bron=str(path))
