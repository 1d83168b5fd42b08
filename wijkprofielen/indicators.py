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
    cbs_stemmen : tuple of str
        Every StatLine stem of this figure, the current one first (older tables may name it
        differently: ``GemiddeldeWoningwaarde`` before 2020).
    afgeleid : str or None
        How a CBS count becomes this indicator: ``"aandeel van inwoners"``,
        ``"aandeel van huishoudens"`` (×100) or ``"per 1.000 inwoners"``.
    gevoelig : bool
        Sensitive local registration: only shown aggregated, small counts suppressed.
    min, max : float or None
        Plausible range per buurt; an import refuses values outside it (or keeps them as
        missing with a reason when the user chooses to continue). None: no bound.
    richting : str or None
        What a higher value means, as a hint for recipes; the recipe decides the sign.
    aggregatie : str or None
        How a wijk or gebied figure is computed from its buurten (one of
        :data:`~wijkprofielen.domain.AGGREGATIES`); None: not aggregated.
    noemer : str or None
        The denominator a share (``aggregatie = "aandeel"``) is weighted by: ``inwoners``,
        ``huishoudens`` or ``woningen``.
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
    richting: str | None = None
    cbs_stemmen: tuple[str, ...] = ()
    aggregatie: str | None = None
    noemer: str | None = None

    @property
    def gewicht(self) -> str | None:
        """The column a buurt's value is weighted by when aggregated; None for a sum or no aggregation."""
        if self.aggregatie == "aandeel":
            return self.noemer
        return "inwoners" if self.aggregatie in ("gemiddelde_per_persoon", "lbm") else None

    @property
    def per_inwoners(self) -> bool:
        """Whether this is a rate per 1.000 inhabitants (it then needs a minimum denominator)."""
        return self.eenheid == "per 1.000 inwoners"


def _entry(kolom: str, fields: dict) -> IndicatorInfo:
    stems = fields.pop("cbs_stem", None)
    stems = tuple([stems] if isinstance(stems, str) else stems or ())
    return IndicatorInfo(kolom=kolom, cbs_stem=stems[0] if stems else None, cbs_stemmen=stems, **fields)


@cache
def catalogue() -> dict[str, IndicatorInfo]:
    """Return the known indicators by column name.

    Examples
    --------
    >>> catalogue()["lbm_afw"].bron
    'Leefbaarometer 3.0 (BZK)'
    """
    raw = tomllib.loads(CATALOGUE_PATH.read_text(encoding="utf-8"))
    return {kolom: _entry(kolom, dict(fields)) for kolom, fields in raw.items()}


def info(kolom: str) -> IndicatorInfo:
    """Return the catalogue entry of ``kolom``, or a plain entry for a custom column."""
    return catalogue().get(kolom) or IndicatorInfo(kolom=kolom, label=kolom, eenheid="", bron="eigen gegevens")


#: Former column names of catalogue indicators; a dataset saved under an old name loads under the new one.
RENAMED = {"woz_gemiddeld": "gem_woz", "pct_meergezins": "pct_meergezinswoning",
           "pct_overige_verhuur": "pct_eigendom_overige_verhuurders"}
