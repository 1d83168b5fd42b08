"""The catalogue of known indicators (``indicatoren.toml``)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATALOGUE_PATH = Path(__file__).with_name("indicatoren.toml")


@dataclass(frozen=True)
class IndicatorInfo:
    """What a known indicator column means.

    Parameters
    ----------
    kolom : str
        Stable snake_case column name.
    label : str
        Dutch display name.
    eenheid : str
        Unit as shown to users.
    bron : str
        Usual source.
    cbs_stem, lbm, wfs, shp : str or None
        Names in CBS StatLine (without suffix), Leefbaarometer, PDOK WFS (camelCase) and
        the legacy wijk- en buurtkaart shapefiles.
    afgeleid : str or None
        How a CBS count becomes this indicator: ``"aandeel van inwoners"``,
        ``"aandeel van huishoudens"`` (×100) or ``"per 1.000 inwoners"``.
    gevoelig : bool
        Sensitive local registration: only shown aggregated, small counts suppressed.
    min, max : float or None
        Plausible range per buurt; an import refuses values outside it (or keeps them as
        missing with a reason when the user chooses to continue). None: no bound.
    """

    kolom: str
    label: str
    eenheid: str
    bron: str
    cbs_stem: str | None = None
    lbm: str | None = None
    wfs: str | None = None
    shp: str | None = None
    afgeleid: str | None = None
    gevoelig: bool = False
    min: float | None = None
    max: float | None = None


@cache
def catalogue() -> dict[str, IndicatorInfo]:
    """Return the known indicators by column name.

    Examples
    --------
    >>> catalogue()["lbm_afw"].bron
    'Leefbaarometer 3.0 (BZK)'
    """
    raw = tomllib.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    return {kolom: IndicatorInfo(kolom=kolom, **fields) for kolom, fields in raw.items()}


def info(kolom: str) -> IndicatorInfo:
    """Return the catalogue entry of ``kolom``, or a plain entry for a custom column."""
    return catalogue().get(kolom) or IndicatorInfo(kolom=kolom, label=kolom, eenheid="", bron="eigen gegevens")
