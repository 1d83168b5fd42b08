"""Option objects and validators for the configuration, modelled on geopandas' ``_config.py``.

An :class:`Option` is a key with a default, a one-line Dutch ``doc`` and a validator. A
validator takes the value and where it stands (``"stabiliteit.trekkingen"``) and returns the
cleaned value or raises :class:`~wijkprofielen.errors.ConfigError` with a Dutch message. One
small set of validators serves every section: :func:`number`, :func:`integer`,
:func:`choice`, :func:`text`, :func:`boolean`, :func:`text_list` and :func:`url`.

>>> Option("clip", 3.0, "z-scores worden afgekapt op ±clip", number(0.5, 100)).validate(4, "scoring")
4.0
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from .errors import ConfigError


@dataclass(frozen=True)
class Validator:
    """A check ``(value, where) -> value`` and a short description for the options table."""

    check: Callable[[Any, str], Any]
    beschrijving: str

    def __call__(self, value: Any, where: str) -> Any:
        return self.check(value, where)


@dataclass(frozen=True)
class Option:
    """One configuration key: default, meaning and validator."""

    key: str
    default: Any
    doc: str
    validator: Validator

    def validate(self, value: Any, section: str) -> Any:
        return self.validator(value, f"{section}.{self.key}")


CONFIG_PREFIX = "Configuratie: "  # before every message; a command-line argument goes without it


def _fail(where: str, what: str) -> None:
    raise ConfigError(f"{CONFIG_PREFIX}{where} {what}")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _bound(v: float) -> str:
    return str(v) if isinstance(v, int) else f"{v:g}"  # a seed's 4294967295, not 4.29497e+09


def _range_text(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"{_bound(lo)} – {_bound(hi)}"
    if lo is not None:
        return f"≥ {_bound(lo)}"
    return f"≤ {_bound(hi)}" if hi is not None else ""


def number(lo: float | None = None, hi: float | None = None) -> Validator:
    """A finite number, optionally within ``[lo, hi]``."""

    def check(value: Any, where: str) -> float:
        if not _is_number(value):
            _fail(where, f"moet een getal zijn, niet {value!r}.")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            _fail(where, f"= {value} ligt buiten het bereik {_range_text(lo, hi)}.")
        return float(value)

    return Validator(check, f"getal {_range_text(lo, hi)}".strip())


def integer(lo: int | None = None, hi: int | None = None) -> Validator:
    """A whole number (``10.0`` is accepted, ``10.5`` not), optionally within ``[lo, hi]``."""

    def check(value: Any, where: str) -> int:
        if not _is_number(value) or not float(value).is_integer():
            _fail(where, f"moet een geheel getal zijn, niet {value!r}.")
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            _fail(where, f"= {value} ligt buiten het bereik {_range_text(lo, hi)}.")
        return int(value)

    return Validator(check, f"geheel getal {_range_text(lo, hi)}".strip())


def choice(*options: str) -> Validator:
    """One of the given texts."""

    def check(value: Any, where: str) -> str:
        if value not in options:
            _fail(where, f"= {value!r} is onbekend. Kies uit: {', '.join(options)}.")
        return value

    return Validator(check, "een van: " + ", ".join(options))


def text(nonempty: bool = False) -> Validator:
    """A text (stripped); ``nonempty`` refuses an empty one."""

    def check(value: Any, where: str) -> str:
        if not isinstance(value, str) or (nonempty and not value.strip()):
            _fail(where, f"moet {'niet-lege ' if nonempty else ''}tekst zijn, niet {value!r}.")
        return value.strip()

    return Validator(check, "tekst")


def boolean() -> Validator:
    """``true`` or ``false``."""

    def check(value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            _fail(where, f"moet true of false zijn, niet {value!r}.")
        return value

    return Validator(check, "true of false")


def text_list(nonempty: bool = True) -> Validator:
    """A list of non-empty texts, returned as a tuple."""

    def check(value: Any, where: str) -> tuple[str, ...]:
        if not isinstance(value, list) or (nonempty and not value) or not all(isinstance(v, str) and v for v in value):
            _fail(where, f'moet een lijst van teksten zijn, bijvoorbeeld ["a", "b"], niet {value!r}.')
        return tuple(value)

    return Validator(check, "lijst van teksten")


def url() -> Validator:
    """An http(s) address; a trailing slash is dropped."""

    def check(value: Any, where: str) -> str:
        if not isinstance(value, str) or urlparse(value).scheme not in ("http", "https"):
            _fail(where, f"= {value!r} is geen http(s)-adres. Geef een volledige URL.")
        return value.rstrip("/")

    return Validator(check, "http(s)-adres")


def closest(key: str, valid: Iterable[str]) -> str:
    """`` Bedoelde u 'x'?`` for the closest valid name, or an empty text."""
    hits = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.6)
    return f" Bedoelde u '{hits[0]}'?" if hits else ""


def check_keys(table: dict, valid: Iterable[str], where: str, bron: str) -> None:
    """Refuse keys of ``table`` that are not in ``valid``, naming the closest valid name and the file."""
    valid = list(valid)
    for key in table:
        if key not in valid:
            soort = "tabel" if isinstance(table[key], dict) else "sleutel"
            plek = f"{where}.{key}" if where else f"[{key}]"
            raise ConfigError(
                f"Configuratie ({bron}): {soort} {plek} is onbekend.{closest(key, valid)} "
                f"Toegestaan{f' in [{where}]' if where else ''}: {', '.join(valid)}."
            )


def table(raw: Any, where: str) -> dict:
    """``raw`` when it is a table (absent: empty), else a Dutch error."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"Configuratie: [{where}] moet een tabel zijn, niet {raw!r}.")
    return raw


def parse_options(raw: Any, options: Iterable[Option], where: str, bron: str) -> dict[str, Any]:
    """Validate one table against its options: unknown keys refused, absent keys get their default."""
    section = table(raw, where)
    options = list(options)
    check_keys(section, [o.key for o in options], where, bron)
    return {o.key: o.validate(section[o.key], where) if o.key in section else o.default for o in options}


def snake(name: str) -> str:
    """A column header as a snake_case column name.

    Examples
    --------
    >>> snake("Sloop gepland (woningen)")
    'sloop_gepland_woningen'
    """
    s = re.sub(r"[^0-9a-z]+", "_", name.strip().lower()).strip("_")
    return s if re.match(r"^[a-z_]", s) else f"k_{s}"


def check_mapping(mapping: dict | None, where: str = "[lokaal.kolommen]") -> dict[str, dict[str, str]]:
    """Validate a local column mapping; a string value is shorthand for ``{"kolom": value}``."""
    out = {}
    for src, spec in (mapping or {}).items():
        if isinstance(spec, str):
            spec = {"kolom": spec}
        if not isinstance(spec, dict) or not isinstance(spec.get("kolom", ""), str):
            raise ConfigError(f"Configuratie: {where}.\"{src}\" moet een tekst (kolomnaam) of een tabel met 'kolom', 'eenheid', 'label' zijn.")
        kolom = spec.get("kolom") or snake(src)
        if not re.match(r"^[a-z_][a-z0-9_]*$", kolom):
            raise ConfigError(f"Configuratie: {where}.\"{src}\".kolom = {kolom!r} is geen geldige kolomnaam. Gebruik kleine letters, cijfers en '_'.")
        for key in spec:
            if key not in ("kolom", "eenheid", "label", "gevoelig"):
                raise ConfigError(f"Configuratie: {where}.\"{src}\".{key} is onbekend.{closest(key, ('kolom', 'eenheid', 'label', 'gevoelig'))} "
                                  "Gebruik kolom, eenheid, label of gevoelig.")
        if not isinstance(spec.get("gevoelig", False), bool):
            raise ConfigError(f"Configuratie: {where}.\"{src}\".gevoelig moet true of false zijn.")
        out[src] = {"kolom": kolom, **{k: (v if k == "gevoelig" else str(v)) for k, v in spec.items() if k != "kolom"}}
    return out
