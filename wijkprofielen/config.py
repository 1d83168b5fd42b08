"""The domain configuration: parsed once into a frozen :class:`Config` with typed sections.

Where the configuration comes from
----------------------------------
1. The package's own defaults, ``wijkprofielen/standaard.toml`` (always read), so an
   installed package runs without the repository.
2. Over it, one configuration file: the ``path`` argument, else ``$WIJKPROFIELEN_CONFIG``,
   else ``config.toml`` in the current directory, else the repository's ``config.toml``
   when the package runs from a source checkout.

Merge rule: tables merge key by key (a file that only sets ``[scoring] clip`` keeps every
other default); a list replaces the default list whole (an axis' ``indicatoren``, the
``subassen``, a ``periode``).

Relative paths (``[data] pad``, ``[menukaart] pad``, ``[referentie] map``, an SQLite file
in ``[opslag] database``) resolve against the folder of the file that sets them; those of
the packaged defaults against the current working directory.

Every section is validated here, once, with the option objects of :mod:`.options`; a wrong
value, an unknown key or an unknown table raises :class:`ConfigError` with a Dutch message
naming the key, the file and the closest valid name.
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
from urllib.parse import urlparse

from .domain import (
    AXES,
    COMPOSITES,
    GRENS_DREMPEL,
    MAX_LEEFTIJD_BUURTCIJFER,
    MIN_AANDEEL_INWONERS,
    MIN_INWONERS_RATE,
    NORMALISATIONS,
    QUADRANTS,
    REFERENCES,
    SUBAXES,
)
from .errors import ConfigError
from .options import (
    Option, Validator, boolean, check_keys, check_mapping, choice, closest, integer, number, parse_options, table, text,
    text_list, url,
)

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULTS_PATH = PACKAGE_DIR / "standaard.toml"
ENV_CONFIG = "WIJKPROFIELEN_CONFIG"
# The source checkout this package runs from, if any (None for an installed package).
SOURCE_ROOT = PACKAGE_DIR.parent if (PACKAGE_DIR.parent / "pyproject.toml").is_file() else None


# -- the recipe ----------------------------------------------------------------------------

@dataclass(frozen=True)
class IndicatorWeight:
    """One indicator in an axis recipe."""

    kolom: str
    richting: int
    gewicht: float
    subas: str


@dataclass(frozen=True)
class Axis:
    """An axis: its label, its sub-axes and weighted indicators."""

    naam: str
    label: str
    indicatoren: tuple[IndicatorWeight, ...]
    subassen: tuple[str, ...] = ()

    @property
    def kolommen(self) -> list[str]:
        return [i.kolom for i in self.indicatoren]


SCORING_OPTIONS = (
    Option("normalisatie", "zscore", "hoe indicatoren vergelijkbaar worden gemaakt", choice(*NORMALISATIONS)),
    Option("referentie", "gemeente", "met welke buurten elke buurt wordt vergeleken", choice(*REFERENCES)),
    Option("min_dekking", 0.6, "onder dit aandeel van het asgewicht krijgt een as geen score", number(0.0, 1.0)),
    Option("clip", 3.0, "z-scores worden afgekapt op ±clip", number(0.5, 100.0)),
    Option("min_inwoners", 100, "onder dit aantal inwoners krijgt een buurt geen kwadrant en telt ze niet mee in de "
           "referentie (gemiddelde, spreiding, percentielen)", integer(0, 100_000)),
)
# Which of the [recepten] scores; not part of a recipe itself.
RECEPT_OPTION = Option("recept", "landelijk", "welk recept uit [recepten] de scores maakt (met een eigen tabel [assen]: "
                       "\"eigen\")", text(nonempty=True))
OWN_RECIPE = "eigen"
KWADRANT_OPTIONS = (
    Option("grens_draagkracht", 0.0, "grens op de as draagkracht; gelijk aan de grens telt als hoog", number()),
    Option("grens_fysieke_kansen", 0.0, "grens op de as fysieke kansen; gelijk aan de grens telt als hoog", number()),
)
_INDICATOR_KEYS = ("kolom", "richting", "gewicht", "subas")
_AXIS_KEYS = ("label", "subassen", "indicatoren")


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
    min_inwoners : int
        Buurten with fewer inhabitants get no quadrant and stay out of the reference.
    grens_draagkracht, grens_fysieke_kansen : float
        Quadrant boundaries; a score equal to the boundary counts as high.
    naam : str
        The name of the recipe in ``[recepten]`` ("" for a recipe built in code).
    """

    assen: tuple[Axis, ...]
    normalisatie: str = "zscore"
    referentie: str = "gemeente"
    min_dekking: float = 0.6
    clip: float = 3.0
    min_inwoners: int = 100
    grens_draagkracht: float = 0.0
    grens_fysieke_kansen: float = 0.0
    naam: str = ""

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
            "min_inwoners": self.min_inwoners,
            "naam": self.naam,
            "grens_draagkracht": self.grens_draagkracht,
            "grens_fysieke_kansen": self.grens_fysieke_kansen,
            "assen": {
                a.naam: {
                    "label": a.label,
                    "subassen": list(a.subassen),
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


def _subassen(raw: dict, naam: str) -> tuple[str, ...]:
    where = f"assen.{naam}.subassen"
    subassen = text_list()(raw["subassen"], where) if "subassen" in raw else SUBAXES[naam]
    for s in subassen:
        if s not in SUBAXES[naam]:
            raise ConfigError(f"Configuratie: {where} noemt {s!r}; as '{naam}' kent alleen de subassen {', '.join(SUBAXES[naam])}.")
    if len(set(subassen)) != len(subassen):
        raise ConfigError(f"Configuratie: {where} noemt een subas twee keer. Noem elke subas één keer.")
    return subassen


def _axis(naam: str, raw: Any, bron: str) -> Axis:
    if not isinstance(raw, dict):
        raise ConfigError(f"Configuratie: [assen.{naam}] ontbreekt. Beide assen zijn nodig.")
    check_keys(raw, _AXIS_KEYS, f"assen.{naam}", bron)
    subassen = _subassen(raw, naam)
    inds = raw.get("indicatoren", [])
    if not isinstance(inds, list):
        raise ConfigError(f"Configuratie: assen.{naam}.indicatoren moet een lijst van tabellen zijn.")
    seen, items = set(), []
    for n, ind in enumerate(inds, 1):
        where = f"assen.{naam}.indicatoren[{n}]"
        if not isinstance(ind, dict) or not isinstance(ind.get("kolom"), str) or not ind["kolom"]:
            raise ConfigError(f"Configuratie: {where} mist 'kolom' (de naam van de indicatorkolom).")
        kolom = ind["kolom"]
        check_keys(ind, _INDICATOR_KEYS, f"{where} ({kolom})", bron)
        if kolom in seen:
            raise ConfigError(f"Configuratie: '{kolom}' staat twee keer in as '{naam}'. Haal er één weg.")
        seen.add(kolom)
        richting = ind.get("richting", 1)
        if richting not in (1, -1) or isinstance(richting, bool):
            raise ConfigError(f"Configuratie: {where} ({kolom}): richting moet 1 of -1 zijn, niet {richting!r}.")
        subas = ind.get("subas", subassen[0])
        if subas not in subassen:
            raise ConfigError(
                f"Configuratie: {where} ({kolom}): subas {subas!r} is onbekend. Kies uit assen.{naam}.subassen: {', '.join(subassen)}."
            )
        items.append(IndicatorWeight(kolom, int(richting), _check_weight(ind.get("gewicht", 1.0), f"{naam}.{kolom}"), subas))
    return Axis(naam, text()(raw.get("label", naam), f"assen.{naam}.label"), tuple(items), subassen)


def recipe_from_dict(d: dict[str, Any], bron: str = "recept", naam: str | None = None) -> Recipe:
    """Build and validate a :class:`Recipe` from the config-file shape (``[scoring]``,
    ``[kwadrant]``, ``[assen]``) or the flat shape of :meth:`Recipe.to_dict`."""
    flat = "scoring" not in d and "kwadrant" not in d
    if flat:
        check_keys(d, [o.key for o in SCORING_OPTIONS + KWADRANT_OPTIONS] + ["assen", "naam"], "", bron)
        naam = d.get("naam", "") if naam is None else naam
        scoring = {o.key: d[o.key] for o in SCORING_OPTIONS if o.key in d}
        kwadrant = {o.key: d[o.key] for o in KWADRANT_OPTIONS if o.key in d}
    else:
        scoring = d.get("scoring", {})
        kwadrant = {k: v for k, v in table(d.get("kwadrant"), "kwadrant").items() if k not in ("namen", "uitleg")}
    assen_raw = d.get("assen")
    if not isinstance(assen_raw, dict):
        raise ConfigError("Configuratie: de tabel [assen] ontbreekt. Neem [assen.draagkracht] en [assen.fysieke_kansen] op.")
    check_keys(assen_raw, AXES, "assen", bron)
    recipe = Recipe(
        assen=tuple(_axis(a, assen_raw.get(a), bron) for a in AXES),
        **parse_options(scoring, SCORING_OPTIONS, "scoring", bron),
        **parse_options(kwadrant, KWADRANT_OPTIONS, "kwadrant", bron),
        naam=text()(naam or "", "recept.naam"),
    )
    _check_axis_weights(recipe)
    return recipe


def composite_pairs(recipe: Recipe) -> list[tuple[str, str]]:
    """``(composite, component)`` pairs that both carry weight in ``recipe`` (on any axis).

    >>> from wijkprofielen.testing import simple_recipe
    >>> composite_pairs(simple_recipe([("lbm_afw", 1, 2.0), ("lbm_soc", 1, 1.0)], [("lbm_won", -1, 1.0)]))
    [('lbm_afw', 'lbm_soc'), ('lbm_afw', 'lbm_won')]
    """
    used = {i.kolom for a in recipe.assen for i in a.indicatoren if i.gewicht > 0}
    return [(c, part) for c, parts in COMPOSITES.items() if c in used for part in parts if part in used]


def composite_warnings(recipe: Recipe, naam: str = "") -> list[str]:
    """Dutch warnings for every composite used together with its own components."""
    pairs = composite_pairs(recipe)
    if not pairs:
        return []
    by_composite: dict[str, list[str]] = {}
    for c, part in pairs:
        by_composite.setdefault(c, []).append(part)
    wie = f"Recept '{naam}'" if naam else "Het recept"
    return [
        f"{wie} gebruikt '{c}' samen met {', '.join(repr(p) for p in parts)}, die er al in zitten: die tellen dubbel "
        f"(en met een tegengestelde richting maken ze de assen kunstmatig tegengesteld). Gebruik '{c}' óf de onderdelen."
        for c, parts in by_composite.items()
    ]


# -- typed sections ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Kwadranten:
    """The quadrants: boundaries (also in the recipe), display names and explanations."""

    grenzen: tuple[float, float]
    namen: dict[str, str]
    uitleg: dict[str, str]


def _quadrant_texts(raw: Any, where: str, bron: str, default: dict[str, str]) -> dict[str, str]:
    section = table(raw, where)
    check_keys(section, QUADRANTS, where, bron)
    return default | {q: text(nonempty=where.endswith("namen"))(v, f"{where}.{q}") for q, v in section.items()}


_RECIPE_KEYS = ("label", "toelichting", "assen", "namen", "uitleg")


@dataclass(frozen=True)
class RecipeChoice:
    """One named recipe of ``[recepten]``: its label, why it exists, the recipe and its quadrant texts."""

    naam: str
    label: str
    toelichting: str
    recipe: Recipe
    kwadranten: Kwadranten
    waarschuwingen: tuple[str, ...] = ()


def _recipe_choice(naam: str, raw: Any, scoring: dict, kwadrant: dict, bron: str, namen: dict[str, str],
                   uitleg: dict[str, str]) -> RecipeChoice:
    where = f"recepten.{naam}"
    raw = table(raw, where)
    check_keys(raw, _RECIPE_KEYS, where, bron)
    recipe = recipe_from_dict({"scoring": scoring, "kwadrant": kwadrant, "assen": raw.get("assen")}, bron, naam=naam)
    kwadranten = Kwadranten(
        (recipe.grens_draagkracht, recipe.grens_fysieke_kansen),
        namen | _quadrant_texts(raw.get("namen"), f"{where}.namen", bron, {}),
        uitleg | _quadrant_texts(raw.get("uitleg"), f"{where}.uitleg", bron, {}),
    )
    return RecipeChoice(naam, text()(raw.get("label", naam), f"{where}.label") or naam,
                        text()(raw.get("toelichting", ""), f"{where}.toelichting"), recipe, kwadranten,
                        tuple(composite_warnings(recipe, naam)))


def recipe_choices(raw: dict[str, Any], bron: str) -> tuple[dict[str, RecipeChoice], str]:
    """The named recipes of a merged configuration and the name of the one that scores.

    ``[recepten.<naam>]`` tables, plus an own top-level ``[assen]`` as recipe ``eigen``. The
    choice is ``[scoring] recept``; without it, ``eigen`` when the file has its own ``[assen]``,
    else ``landelijk``.
    """
    scoring = dict(table(raw.get("scoring"), "scoring"))
    gekozen = scoring.pop(RECEPT_OPTION.key, None)
    kwadrant = table(raw.get("kwadrant"), "kwadrant")
    check_keys(kwadrant, [o.key for o in KWADRANT_OPTIONS] + ["namen", "uitleg"], "kwadrant", bron)
    namen = _quadrant_texts(kwadrant.get("namen"), "kwadrant.namen", bron, {q: q for q in QUADRANTS})
    uitleg = _quadrant_texts(kwadrant.get("uitleg"), "kwadrant.uitleg", bron, {q: "" for q in QUADRANTS})
    recepten_raw = table(raw.get("recepten"), "recepten")
    if OWN_RECIPE in recepten_raw and "assen" in raw:
        raise ConfigError(f"Configuratie ({bron}): er is een tabel [assen] én [recepten.{OWN_RECIPE}]. Kies één van beide.")
    own = {OWN_RECIPE: {"label": "Eigen recept", "assen": raw["assen"]}} if "assen" in raw else {}
    choices = {naam: _recipe_choice(naam, r, scoring, kwadrant, bron, namen, uitleg) for naam, r in (recepten_raw | own).items()}
    if not choices:
        raise ConfigError("Configuratie: er is geen recept. Neem [recepten.<naam>] op met [recepten.<naam>.assen.draagkracht] "
                          "en [recepten.<naam>.assen.fysieke_kansen], of een eigen tabel [assen].")
    if gekozen is None:
        gekozen = OWN_RECIPE if own else RECEPT_OPTION.default
        if gekozen not in choices:
            gekozen = next(iter(choices))
    gekozen = RECEPT_OPTION.validate(gekozen, "scoring")
    if gekozen not in choices:
        raise ConfigError(f"Configuratie ({bron}): scoring.recept = {gekozen!r} is onbekend.{closest(gekozen, choices)} "
                          f"Beschikbare recepten: {', '.join(choices)}.")
    return choices, gekozen


@dataclass(frozen=True)
class StabilitySettings:
    """``[stabiliteit]``: how alternative recipes are drawn around the configured one."""

    trekkingen: int = 1000
    concentratie: float = 50.0
    seed: int = 20240601
    grensgeval_marge: float = 0.1
    drempel_stevig: float = 0.9
    gewichten_varieren: bool = True
    andere_normalisatie: bool = True
    weglaten: bool = True


STABILITY_OPTIONS = (
    Option("trekkingen", 1000, "aantal alternatieve recepten rond het ingestelde recept", integer(1, 100_000)),
    Option("concentratie", 50.0, "Dirichlet-concentratie: hoger = kleinere wijzigingen van de gewichten", number(0.01, 1e9)),
    Option("seed", 20240601, "toevalszaad: dezelfde seed geeft dezelfde stabiliteit", integer(0, 2**32 - 1)),
    Option("grensgeval_marge", 0.1, "binnen deze afstand van een kwadrantgrens is een buurt een grensgeval", number(0.0, 10.0)),
    Option("drempel_stevig", 0.9, "vanaf deze stabiliteit (en geen grensgeval) is een buurt stevig geplaatst", number(0.0, 1.0)),
    Option("gewichten_varieren", True, "trek alternatieve gewichten", boolean()),
    Option("andere_normalisatie", True, "gebruik bij de helft van de trekkingen de andere normalisatie", boolean()),
    Option("weglaten", True, "laat elke indicator één keer weg", boolean()),
)


@dataclass(frozen=True)
class ReferentieSettings:
    """``[referentie]``: the folder of the national CBS extracts (None: not configured)."""

    map: Path | None = None


@dataclass(frozen=True)
class WorkshopSettings:
    """``[workshop]``: the gebiedsatelier."""

    max_afwijking: float = 1.0
    verversen_s: float = 3.0


WORKSHOP_OPTIONS = (
    Option("max_afwijking", 1.0, "vanaf deze afstand tot de dataplek vraagt een plaatsing om een reden", number(0.1, 10.0)),
    Option("verversen_s", 3.0, "seconden tussen twee verversingen van het live overzicht", number(1.0, 60.0)),
)


@dataclass(frozen=True)
class GebiedenSettings:
    """``[gebieden]``: how wijk and gebied figures are computed from their buurten."""

    min_aandeel_inwoners: float = MIN_AANDEEL_INWONERS


GEBIEDEN_OPTIONS = (
    Option("min_aandeel_inwoners", MIN_AANDEEL_INWONERS, "een berekend wijk- of gebiedscijfer vraagt dat buurten met "
           "samen minstens dit aandeel van de inwoners een waarde hebben; anders ontbreekt het", number(0.0, 1.0)),
)


@dataclass(frozen=True)
class OpslagSettings:
    """``[opslag]``: the SQLAlchemy URL of the workshop and scenario store (SQLite paths absolute)."""

    database: str = "sqlite:///werkmap/wijkprofielen.db"


@dataclass(frozen=True)
class ImportSettings:
    """``[import]``, ``[lokaal.kolommen]`` and ``[download]``."""

    max_mb: float = 50.0
    web_tolerantie_m: float = 10.0
    max_leeftijd_buurtcijfer: int = MAX_LEEFTIJD_BUURTCIJFER
    min_inwoners_rate: int = MIN_INWONERS_RATE
    grens_drempel: float = GRENS_DREMPEL
    kolommen: dict[str, dict[str, str]] = field(default_factory=dict)
    download: dict[str, Any] = field(default_factory=lambda: {o.key: o.default for o in DOWNLOAD_OPTIONS})

    @property
    def regels(self) -> dict[str, float]:
        """The import rules as the pipeline takes them (``build_dataset(regels=...)``)."""
        return {"max_leeftijd_buurtcijfer": self.max_leeftijd_buurtcijfer, "min_inwoners_rate": self.min_inwoners_rate,
                "grens_drempel": self.grens_drempel}

    def url(self, key: str) -> str:
        """A download base URL; ``WIJKPROFIELEN_DOWNLOAD_<KEY>`` (:data:`DOWNLOAD_ENV`) overrides the config."""
        env = os.environ.get(DOWNLOAD_ENV[key])
        return DOWNLOAD_VALIDATORS[key](env, f"${DOWNLOAD_ENV[key]}") if env else self.download[key]


IMPORT_OPTIONS = (
    Option("max_mb", 50.0, "grootste bestand (MB) dat de pagina Data aanneemt", number(0.001, 2048)),
    Option("web_tolerantie_m", 10.0, "tolerantie (m) van de vereenvoudigde kaartgeometrie", number(0, 1000)),
    Option("max_leeftijd_buurtcijfer", MAX_LEEFTIJD_BUURTCIJFER,
           "een eigen buurtcijfer gaat voor een nieuwer wijkcijfer als het hoogstens zoveel jaar ouder is (0: altijd het nieuwste)",
           integer(0, 50)),
    Option("min_inwoners_rate", MIN_INWONERS_RATE,
           "cijfers per 1.000 inwoners van buurten met minder inwoners ontbreken (te weinig inwoners voor een betrouwbaar cijfer)",
           integer(0, 100_000)),
    Option("grens_drempel", GRENS_DREMPEL,
           "een buurt waarvan de oppervlakte in een jaar meer dan dit aandeel afwijkt, had andere grenzen; "
           "de cijfers van dat jaar worden gemarkeerd", number(0.0, 1.0)),
)
def _odata_feed() -> Validator:
    """The CBS OData base: the feed, not the capped ``ODataApi`` (10,000 cells per answer)."""
    base = url()

    def check(value: Any, where: str) -> str:
        value = base(value, where)
        if "/odataapi/" in value.lower() + "/":
            raise ConfigError(
                f"Configuratie: {where} = {value!r} is de ODataApi van CBS, die hoogstens 10.000 cellen per antwoord geeft. "
                "Gebruik de ODataFeed, bijvoorbeeld \"https://opendata.cbs.nl/ODataFeed/odata\"."
            )
        return value

    return Validator(check, base.beschrijving)


DOWNLOAD_OPTIONS = (
    Option("pdok_ogc", "https://api.pdok.nl/cbs/wijken-en-buurten-{jaar}/ogc/v1",
           "PDOK OGC API Features van de CBS wijken en buurten, 2023 en later ({jaar} wordt ingevuld)", url()),
    Option("pdok_wfs", "https://service.pdok.nl/cbs/wijkenbuurten/{jaar}/wfs/v1_0",
           "PDOK WFS van de CBS wijken en buurten, jaren voor 2023 ({jaar} wordt ingevuld)", url()),
    Option("cbs_odata", "https://opendata.cbs.nl/ODataFeed/odata", "CBS OData-feed (v3) van StatLine", _odata_feed()),
    Option("leefbaarometer_zip",
           "https://www.leefbaarometer.nl/resources/open-data-leefbaarometer-meting-2024.zip",
           "Leefbaarometer 3.0 open data (zip met de buurtscores als CSV)", url()),
    Option("leefbaarometer_wfs", "https://geo.leefbaarometer.nl/lbm3/ows",
           "Leefbaarometer 3.0 WFS (lagen lbm3:buurtscoreJJ)", url()),
    Option("wijkbuurtkaart", "https://geodata.cbs.nl/files/Wijkenbuurtkaart/WijkBuurtkaart_{jaar}_v{versie}.zip",
           "CBS wijk- en buurtkaart als zip ({jaar} en {versie} worden ingevuld; de hoogste versie wint)", url()),
    Option("pdok_gpkg", "https://service.pdok.nl/cbs/wijkenbuurten/{jaar}/atom/downloads/wijkenbuurten_{jaar}.gpkg",
           "PDOK-download van de wijk- en buurtkaart als GeoPackage ({jaar} wordt ingevuld)", url()),
    Option("timeout_s", 30.0, "seconden wachten op een antwoord van een bron", number(1, 600)),
    Option("pogingen", 5, "aantal nieuwe pogingen bij 429, 5xx of een verbroken verbinding", integer(0, 20)),
    Option("wachttijd_s", 1.0, "basis van de oplopende wachttijd tussen pogingen (s); Retry-After gaat voor", number(0, 60)),
    Option("max_versie", 5, "hoogste versie van de wijk- en buurtkaart die wordt geprobeerd", integer(1, 20)),
)
DOWNLOAD_URL_KEYS = ("pdok_ogc", "pdok_wfs", "cbs_odata", "leefbaarometer_zip", "leefbaarometer_wfs", "wijkbuurtkaart", "pdok_gpkg")
DOWNLOAD_VALIDATORS = {o.key: o.validator for o in DOWNLOAD_OPTIONS}
DOWNLOAD_ENV = {key: f"WIJKPROFIELEN_DOWNLOAD_{key.upper()}" for key in DOWNLOAD_URL_KEYS}
# Keys that no longer exist, with their successor.
DOWNLOAD_RENAMED = {
    "leefbaarometer_csv": ("leefbaarometer_zip", "het adres LBM3_buurtscores.csv is geen gepubliceerd bestand; de "
                           "Leefbaarometer 3.0 open data verschijnt als zip (en als WFS, leefbaarometer_wfs)"),
}


def _download_section(raw: Any, bron: str) -> dict[str, Any]:
    section = table(raw, "download")
    for old, (new, why) in DOWNLOAD_RENAMED.items():
        if old in section:
            raise ConfigError(
                f"Configuratie ({bron}): download.{old} bestaat niet meer: {why}. Vervang het door download.{new}, "
                f"bijvoorbeeld {new} = \"{next(o.default for o in DOWNLOAD_OPTIONS if o.key == new)}\"."
            )
    return parse_options(section, DOWNLOAD_OPTIONS, "download", bron)


PDOK_BRT_GRIJS = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/grijs/EPSG:3857/{z}/{x}/{y}.png"
PDOK_ATTRIBUTIE = "Kadaster / PDOK"
ACHTERGRONDEN = ("geen", "pdok-brt", "eigen")


@dataclass(frozen=True)
class KaartSettings:
    """``[kaart]``: the background map under the buurten ("geen": none, nothing loaded from the internet)."""

    achtergrond: str = "geen"
    tegels_url: str = ""
    attributie: str = ""

    @property
    def tegels(self) -> tuple[str, str] | None:
        """The XYZ tile URL template and its attribution, or None without a background map."""
        if self.achtergrond == "pdok-brt":
            return PDOK_BRT_GRIJS, PDOK_ATTRIBUTIE
        if self.achtergrond == "eigen":
            return self.tegels_url, self.attributie
        return None


KAART_OPTIONS = (
    Option("achtergrond", "geen", "achtergrondkaart onder de buurten: geen (offline), pdok-brt (BRT-Achtergrondkaart "
           "grijs van PDOK, via internet) of eigen (tegels_url)", choice(*ACHTERGRONDEN)),
    Option("tegels_url", "", "eigen XYZ-tegeladres met {z}, {x} en {y} (bij achtergrond = \"eigen\")", text()),
    Option("attributie", "", "bronvermelding van de eigen tegels, zichtbaar op de kaart", text()),
)


def _kaart(raw: Any, bron: str) -> KaartSettings:
    k = KaartSettings(**parse_options(raw, KAART_OPTIONS, "kaart", bron))
    if k.achtergrond == "eigen":
        u = k.tegels_url
        if urlparse(u).scheme not in ("http", "https") or not all(p in u for p in ("{z}", "{x}", "{y}")):
            raise ConfigError(f"Configuratie ({bron}): kaart.tegels_url = {u!r} is geen XYZ-tegeladres. Geef een "
                              "http(s)-adres met {z}, {x} en {y}, bijvoorbeeld https://tegels.example.nl/{z}/{x}/{y}.png.")
        if not k.attributie:
            raise ConfigError(f"Configuratie ({bron}): kaart.attributie ontbreekt. Zet de bronvermelding van de "
                              "tegels erin (de licentie van de meeste kaarten vraagt erom); die staat op de kaart.")
    return k


@dataclass(frozen=True)
class Doelen:
    """The targets of one gemeente over one period (``[doelen.GMxxxx]``)."""

    gemeentecode: str
    naam: str
    periode: tuple[int, int]
    woningen: int | None = None
    sociale_huur: int | None = None
    midden: int | None = None
    flex: int | None = None
    min_aandeel_sociale_huur: float | None = None
    min_aandeel_midden: float | None = None
    sociale_huur_netto_aandeel: float | None = None
    verduurzaming_efg_aandeel: float | None = None
    bron: str = ""
    toelichting: str = ""
    synthetisch: bool = False
    plancapaciteit: tuple[str, ...] = ("plancap_hard_pct", "plancap_zacht_pct")


DEFAULT_PLANCAPACITEIT = Doelen.plancapaciteit
UITZOOMEN_OPTIONS = (
    Option("plancapaciteit", DEFAULT_PLANCAPACITEIT, "kolommen (% van de voorraad) die samen de plancapaciteit vormen",
           text_list()),
)
_COUNTS = ("woningen", "sociale_huur", "midden", "flex")
_SHARES = ("min_aandeel_sociale_huur", "min_aandeel_midden", "sociale_huur_netto_aandeel", "verduurzaming_efg_aandeel")
_DOELEN_KEYS = ("naam", "bron", "toelichting", "periode", "synthetisch") + _COUNTS + _SHARES


def doelen_from_dict(code: str, raw: Any, plancapaciteit: tuple[str, ...] = DEFAULT_PLANCAPACITEIT,
                     bron: str = "configuratie") -> Doelen:
    """Validate one ``[doelen.GMxxxx]`` table."""
    where = f"Configuratie: [doelen.{code}]"
    if not (isinstance(code, str) and len(code) == 6 and code.startswith("GM") and code[2:].isdigit()):
        raise ConfigError(f"{where}: de sleutel moet een gemeentecode zijn (GM + 4 cijfers), bijvoorbeeld [doelen.GM0796].")
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} moet een tabel zijn.")
    for key in raw:
        if key not in _DOELEN_KEYS:
            check_keys({key: raw[key]}, _DOELEN_KEYS, f"doelen.{code}", bron)
    naam = raw.get("naam")
    if not isinstance(naam, str) or not naam.strip():
        raise ConfigError(f"{where}.naam ontbreekt. Geef de doelen een naam, bijvoorbeeld de woonvisie en periode.")
    periode = raw.get("periode")
    if (
        not isinstance(periode, list) or len(periode) != 2
        or not all(isinstance(j, int) and not isinstance(j, bool) for j in periode)
        or not (1900 <= periode[0] <= periode[1] <= 2100)
    ):
        raise ConfigError(f"{where}.periode moet [beginjaar, eindjaar] zijn, bijvoorbeeld [2020, 2030], niet {periode!r}.")
    values: dict[str, Any] = {}
    for key in _COUNTS:
        if key in raw:
            v = raw[key]
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise ConfigError(f"{where}.{key} moet een geheel aantal woningen ≥ 0 zijn, niet {v!r}.")
            values[key] = v
    for key in _SHARES:
        if key in raw:
            v = raw[key]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or not 0 <= v <= 1:
                raise ConfigError(f"{where}.{key} is een aandeel tussen 0 en 1 (0,30 = 30%), niet {v!r}.")
            values[key] = float(v)
    for key in ("bron", "toelichting"):
        if key in raw and not isinstance(raw[key], str):
            raise ConfigError(f"{where}.{key} moet tekst zijn.")
    synth = raw.get("synthetisch", False)
    if not isinstance(synth, bool):
        raise ConfigError(f"{where}.synthetisch moet true of false zijn.")
    if "woningen" in values:
        for part in ("sociale_huur", "midden"):
            if values.get(part, 0) > values["woningen"]:
                raise ConfigError(f"{where}.{part} ({values[part]}) is groter dan het totaal aantal woningen ({values['woningen']}).")
    return Doelen(
        gemeentecode=code, naam=naam.strip(), periode=(periode[0], periode[1]), bron=raw.get("bron", ""),
        toelichting=raw.get("toelichting", ""), synthetisch=synth, plancapaciteit=plancapaciteit, **values,
    )


# Path-valued options: (section, key) -> doc. Each is text; empty means "not set".
PATH_OPTIONS = {
    ("data", "pad"): "datasetbestand (GeoParquet, GeoPackage, GeoJSON of CSV); leeg: de ingebouwde voorbeeldgemeente",
    ("menukaart", "pad"): "eigen menukaart-TOML; leeg: de ingebouwde menukaart",
    ("referentie", "map"): "map met de landelijke CBS-extracten (referentie nederland of stedelijkheid)",
}
OPSLAG_OPTIONS = (
    Option("database", OpslagSettings.database, "SQLAlchemy-URL van de opslag van workshops en scenario's", text(nonempty=True)),
)
_SECTIONS = ("data", "scoring", "kwadrant", "assen", "recepten", "menukaart", "opslag", "workshop", "stabiliteit", "referentie",
             "uitzoomen", "doelen", "import", "lokaal", "download", "kaart", "gebieden")


@dataclass(frozen=True)
class Config:
    """The whole domain configuration, validated.

    Attributes
    ----------
    recipe : Recipe
        The recipe that scores: ``recepten[recept].recipe``.
    kwadranten : Kwadranten
        The quadrant texts of that recipe.
    recept : str
        The name of the chosen recipe.
    recept_standaard : str
        The recipe the configuration itself chooses (:meth:`with_recept` keeps it).
    recepten : dict
        ``{naam: RecipeChoice}``: every recipe of the configuration.
    stabiliteit : StabilitySettings
    referentie : ReferentieSettings
    doelen : dict
        ``{gemeentecode: Doelen}``.
    uitzoomen_plancapaciteit : tuple of str
    workshop : WorkshopSettings
    opslag : OpslagSettings
    imports : ImportSettings
        ``[import]``, ``[lokaal.kolommen]`` and ``[download]``.
    kaart : KaartSettings
        ``[kaart]``: the background map.
    gebieden : GebiedenSettings
        ``[gebieden]``: the aggregation of buurten to wijken and gebieden.
    menukaart_pad : Path or None
        An own catalogue; None: the built-in one.
    data_pad : str
        The dataset file (absolute), or empty for the built-in example.
    bron : str
        The file(s) read, for messages.
    raw : dict
        The merged tables, as recorded in an export manifest.
    """

    recipe: Recipe
    kwadranten: Kwadranten
    recept: str = ""
    recepten: dict[str, RecipeChoice] = field(default_factory=dict)
    recept_standaard: str = ""
    stabiliteit: StabilitySettings = StabilitySettings()
    referentie: ReferentieSettings = ReferentieSettings()
    doelen: dict[str, Doelen] = field(default_factory=dict)
    uitzoomen_plancapaciteit: tuple[str, ...] = DEFAULT_PLANCAPACITEIT
    workshop: WorkshopSettings = WorkshopSettings()
    opslag: OpslagSettings = OpslagSettings()
    imports: ImportSettings = ImportSettings()
    kaart: KaartSettings = KaartSettings()
    gebieden: GebiedenSettings = GebiedenSettings()
    menukaart_pad: Path | None = None
    data_pad: str = ""
    bron: str = "standaard"
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def kwadrant_namen(self) -> dict[str, str]:
        return self.kwadranten.namen

    @property
    def kwadrant_uitleg(self) -> dict[str, str]:
        return self.kwadranten.uitleg

    @property
    def recept_label(self) -> str:
        choice = self.recepten.get(self.recept)
        return choice.label if choice else self.recept

    @property
    def waarschuwingen(self) -> tuple[str, ...]:
        """Dutch warnings about the chosen recipe (a composite with its own components)."""
        choice = self.recepten.get(self.recept)
        return choice.waarschuwingen if choice else tuple(composite_warnings(self.recipe))

    def with_recept(self, naam: str | None) -> "Config":
        """This configuration with another of its recipes (None or the current one: itself)."""
        if not naam or naam == self.recept:
            return self
        if naam not in self.recepten:
            raise ConfigError(f"Recept {naam!r} bestaat niet.{closest(naam, self.recepten)} "
                              f"Beschikbare recepten: {', '.join(self.recepten)}.")
        choice = self.recepten[naam]
        raw = merge(self.raw, {"scoring": {RECEPT_OPTION.key: naam}})
        return replace(self, recipe=choice.recipe, kwadranten=choice.kwadranten, recept=naam, raw=raw)


def _path(value: Any, where: str) -> Path | None:
    pad = text()(value, where)
    return Path(pad) if pad else None


def config_from_dict(raw: dict[str, Any], bron: str = "configuratie") -> Config:
    """Validate a parsed (and merged) config dict into a :class:`Config`.

    Absent options take their default; ``[assen]`` is required.
    """
    raw = table(raw, "configuratie")
    check_keys(raw, _SECTIONS, "", bron)
    recepten, recept = recipe_choices(raw, bron)
    paths = {}
    for section in ("data", "menukaart", "referentie"):
        keys = [k for s, k in PATH_OPTIONS if s == section]
        values = table(raw.get(section), section)
        check_keys(values, keys, section, bron)
        paths[section] = _path(values.get(keys[0], ""), f"{section}.{keys[0]}")
    lokaal = table(raw.get("lokaal"), "lokaal")
    check_keys(lokaal, ["kolommen"], "lokaal", bron)
    if not isinstance(lokaal.get("kolommen", {}), dict):
        raise ConfigError("Configuratie: lokaal.kolommen moet een tabel zijn ('kolom in bestand' = \"indicatorkolom\").")
    imports = ImportSettings(
        **parse_options(raw.get("import"), IMPORT_OPTIONS, "import", bron),
        kolommen=check_mapping(lokaal.get("kolommen", {}), "lokaal.kolommen"),
        download=_download_section(raw.get("download"), bron),
    )
    plancap = parse_options(raw.get("uitzoomen"), UITZOOMEN_OPTIONS, "uitzoomen", bron)["plancapaciteit"]
    doelen_raw = raw.get("doelen", {})
    if not isinstance(doelen_raw, dict):
        raise ConfigError("Configuratie: [doelen] moet een tabel zijn met per gemeente [doelen.GMxxxx].")
    return Config(
        recipe=recepten[recept].recipe,
        kwadranten=recepten[recept].kwadranten,
        recept=recept,
        recepten=recepten,
        recept_standaard=recept,
        stabiliteit=StabilitySettings(**parse_options(raw.get("stabiliteit"), STABILITY_OPTIONS, "stabiliteit", bron)),
        referentie=ReferentieSettings(paths["referentie"]),
        doelen={code: doelen_from_dict(code, d, plancap, bron) for code, d in doelen_raw.items()},
        uitzoomen_plancapaciteit=plancap,
        workshop=WorkshopSettings(**parse_options(raw.get("workshop"), WORKSHOP_OPTIONS, "workshop", bron)),
        opslag=OpslagSettings(**parse_options(raw.get("opslag"), OPSLAG_OPTIONS, "opslag", bron)),
        imports=imports,
        kaart=_kaart(raw.get("kaart"), bron),
        gebieden=GebiedenSettings(**parse_options(raw.get("gebieden"), GEBIEDEN_OPTIONS, "gebieden", bron)),
        menukaart_pad=paths["menukaart"],
        data_pad=str(paths["data"] or ""),
        bron=bron,
        raw=raw,
    )


# -- reading and merging files ----------------------------------------------------------------

def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text_ = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"Configuratiebestand {path} bestaat niet. Geef een bestaand pad op.") from None
    except (UnicodeDecodeError, IsADirectoryError):
        raise ConfigError(f"Configuratiebestand {path} is geen UTF-8-tekstbestand. Sla het op als UTF-8.") from None
    try:
        return tomllib.loads(text_)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Configuratiebestand {path} is geen geldige TOML: {exc}. Controleer die regel.") from None


def _absolute_sqlite(value: str, base: Path) -> str:
    # sqlite:///relative/file.db → sqlite:////base/relative/file.db; memory, URI and absolute forms stay.
    prefix = "sqlite:///"
    if not value.startswith(prefix):
        return value
    rest = value[len(prefix):]
    if not rest or rest.startswith(("/", ":memory:", "file:")):
        return value
    return prefix + os.path.normpath(base / rest)


def resolve_paths(raw: dict[str, Any], base: Path) -> dict[str, Any]:
    """A copy of one file's tables with its relative paths made absolute against ``base``."""
    out = dict(raw)
    for section, key in PATH_OPTIONS:
        values = out.get(section)
        if isinstance(values, dict) and isinstance(values.get(key), str) and values[key] and not Path(values[key]).is_absolute():
            out[section] = values | {key: os.path.normpath(base / values[key])}
    opslag = out.get("opslag")
    if isinstance(opslag, dict) and isinstance(opslag.get("database"), str):
        out["opslag"] = opslag | {"database": _absolute_sqlite(opslag["database"].strip(), base)}
    return out


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; every other value (lists included) replaces the base value whole.

    >>> merge({"a": {"x": 1, "y": [1, 2]}}, {"a": {"y": [3]}})
    {'a': {'x': 1, 'y': [3]}}
    """
    out = dict(base)
    for key, value in over.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def find_config() -> Path | None:
    """The configuration file to read over the packaged defaults, or None for the defaults alone.

    ``$WIJKPROFIELEN_CONFIG``, else ``config.toml`` in the current directory, else the
    repository's ``config.toml`` when running from a source checkout.
    """
    env = os.environ.get(ENV_CONFIG)
    if env:
        return Path(env)
    for candidate in (Path.cwd() / "config.toml", SOURCE_ROOT / "config.toml" if SOURCE_ROOT else None):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def packaged_defaults() -> dict[str, Any]:
    """The package's own defaults, relative paths resolved against the current directory."""
    return resolve_paths(_read_toml(DEFAULTS_PATH), Path.cwd())


def load_config(path: str | os.PathLike | None = None) -> Config:
    """Read the packaged defaults and, over them, one configuration file (see the module docstring).

    Parameters
    ----------
    path : path-like, optional
        The file to read over the defaults; default :func:`find_config`.
    """
    path = Path(path) if path else find_config()
    raw = packaged_defaults()
    bron = "standaardinstellingen van het pakket"
    if path is not None:
        raw = merge(raw, resolve_paths(_read_toml(path), path.resolve().parent))
        bron = str(path)
    return config_from_dict(raw, bron=bron)


# -- documentation -----------------------------------------------------------------------------

OPTION_SECTIONS: dict[str, tuple[Option, ...]] = {
    "scoring": (RECEPT_OPTION,) + SCORING_OPTIONS, "kwadrant": KWADRANT_OPTIONS, "stabiliteit": STABILITY_OPTIONS,
    "workshop": WORKSHOP_OPTIONS, "opslag": OPSLAG_OPTIONS, "import": IMPORT_OPTIONS,
    "download": DOWNLOAD_OPTIONS, "uitzoomen": UITZOOMEN_OPTIONS, "kaart": KAART_OPTIONS,
    "gebieden": GEBIEDEN_OPTIONS,
}


def options_table() -> list[dict[str, str]]:
    """Every scalar option with its default and meaning, for the Methode page and the docs.

    >>> row = next(r for r in options_table() if r["optie"] == "scoring.clip")
    >>> row["standaard"], row["waarden"]
    ('3.0', 'getal 0.5 – 100')
    """
    rows = [
        {"optie": f"{section}.{o.key}", "standaard": _show(o.default), "waarden": o.validator.beschrijving, "betekenis": o.doc}
        for section, opts in OPTION_SECTIONS.items() for o in opts
    ]
    rows += [{"optie": f"{s}.{k}", "standaard": '""', "waarden": "pad (relatief aan het configuratiebestand)", "betekenis": doc}
             for (s, k), doc in PATH_OPTIONS.items()]
    return rows


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return json.dumps(list(value))
    return json.dumps(value) if isinstance(value, str) else str(value)


__all__ = [
    "AXES", "Axis", "Config", "Doelen", "GebiedenSettings", "ImportSettings", "IndicatorWeight", "KaartSettings", "Kwadranten", "Option",
    "OpslagSettings", "Recipe", "RecipeChoice", "ReferentieSettings", "StabilitySettings", "Validator", "WorkshopSettings",
    "composite_pairs", "composite_warnings", "config_from_dict", "doelen_from_dict", "find_config", "load_config", "merge",
    "options_table", "recipe_from_dict",
]
