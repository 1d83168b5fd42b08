"""City targets (``[doelen.GMxxxx]`` in ``config.toml``), validated on load.

Example (the 's-Hertogenbosch woonvisie 2020-2030, seed 000)::

    [doelen.GM0796]
    naam = "'s-Hertogenbosch, woonvisie 2020-2030"
    periode = [2020, 2030]
    woningen = 10500
    min_aandeel_sociale_huur = 0.30
    sociale_huur = 3150
    midden = 2100
    flex = 500
    sociale_huur_netto_aandeel = 0.6667
    verduurzaming_efg_aandeel = 1.0

Every key except ``naam`` and ``periode`` is optional; a target that is absent is not shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..config import Config
from ..errors import ConfigError

_COUNTS = ("woningen", "sociale_huur", "midden", "flex")
_SHARES = ("min_aandeel_sociale_huur", "min_aandeel_midden", "sociale_huur_netto_aandeel", "verduurzaming_efg_aandeel")
_TEXT = ("naam", "bron", "toelichting")
DEFAULT_PLANCAPACITEIT = ("plancap_hard_pct", "plancap_zacht_pct")


@dataclass(frozen=True)
class Doelen:
    """The targets of one gemeente over one period."""

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
    plancapaciteit: tuple[str, ...] = field(default=DEFAULT_PLANCAPACITEIT)


def doelen_from_dict(code: str, raw: Any, plancapaciteit: tuple[str, ...] = DEFAULT_PLANCAPACITEIT) -> Doelen:
    """Validate one ``[doelen.GMxxxx]`` table."""
    where = f"Configuratie: [doelen.{code}]"
    if not (isinstance(code, str) and len(code) == 6 and code.startswith("GM") and code[2:].isdigit()):
        raise ConfigError(f"Configuratie: [doelen.{code}]: de sleutel moet een gemeentecode zijn (GM + 4 cijfers), bijvoorbeeld [doelen.GM0796].")
    if not isinstance(raw, dict):
        raise ConfigError(f"{where} moet een tabel zijn.")
    known = set(_COUNTS) | set(_SHARES) | set(_TEXT) | {"periode", "synthetisch"}
    for key in raw:
        if key not in known:
            raise ConfigError(f"{where}: sleutel '{key}' is onbekend. Toegestaan: {', '.join(sorted(known))}.")
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
        for part in ("sociale_huur", "midden", "flex"):
            if values.get(part, 0) > values["woningen"] and part != "flex":
                raise ConfigError(f"{where}.{part} ({values[part]}) is groter dan het totaal aantal woningen ({values['woningen']}).")
    return Doelen(
        gemeentecode=code, naam=naam.strip(), periode=(periode[0], periode[1]), bron=raw.get("bron", ""),
        toelichting=raw.get("toelichting", ""), synthetisch=synth, plancapaciteit=plancapaciteit, **values,
    )


def plancapaciteit_columns(cfg: Config | dict) -> tuple[str, ...]:
    """``[uitzoomen] plancapaciteit``: the columns (% of stock) that count as building capacity."""
    section = cfg.section("uitzoomen") if isinstance(cfg, Config) else cfg.get("uitzoomen", {})
    if not isinstance(section, dict):
        raise ConfigError("Configuratie: [uitzoomen] moet een tabel zijn.")
    cols = section.get("plancapaciteit", list(DEFAULT_PLANCAPACITEIT))
    if not isinstance(cols, list) or not cols or not all(isinstance(c, str) and c for c in cols):
        raise ConfigError(
            "Configuratie: uitzoomen.plancapaciteit moet een lijst kolomnamen zijn, bijvoorbeeld [\"plancap_hard_pct\", \"plancap_zacht_pct\"]."
        )
    return tuple(cols)


def load_doelen(cfg: Config | dict) -> dict[str, Doelen]:
    """All ``[doelen.*]`` tables of the config (or raw config dict), validated, by gemeentecode."""
    section = cfg.section("doelen") if isinstance(cfg, Config) else cfg.get("doelen", {})
    if not isinstance(section, dict):
        raise ConfigError("Configuratie: [doelen] moet een tabel zijn met per gemeente [doelen.GMxxxx].")
    plancap = plancapaciteit_columns(cfg)
    return {code: doelen_from_dict(code, raw, plancap) for code, raw in section.items()}


def doelen_for(cfg: Config, gemeentecodes: list[str]) -> Doelen:
    """The targets for the (single) gemeente of a dataset.

    Raises
    ------
    ConfigError
        When the dataset spans several gemeenten or no ``[doelen.GMxxxx]`` exists for it.
    """
    alle = load_doelen(cfg)
    codes = sorted(set(gemeentecodes))
    if len(codes) != 1:
        raise ConfigError(
            f"Uitzoomen werkt per gemeente; deze dataset bevat {len(codes)} gemeenten ({', '.join(codes[:5])}). "
            "Kies een dataset van één gemeente."
        )
    if codes[0] not in alle:
        raise ConfigError(
            f"Er zijn geen stedelijke doelen voor {codes[0]}. Voeg [doelen.{codes[0]}] toe aan config.toml "
            f"(bekend: {', '.join(sorted(alle)) or 'geen'})."
        )
    return alle[codes[0]]
