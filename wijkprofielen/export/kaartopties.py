"""What a map print shows: colour mode, selection and paper (:class:`KaartOpties`), checked and
resolved without drawing anything, so a page can offer the print without loading matplotlib
(:mod:`.kaart` draws)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import DataError
from ..mapping import COLOUR_MODES

FORMATS = ("pdf", "png", "svg")
MIME = {"pdf": "application/pdf", "png": "image/png", "svg": "image/svg+xml"}
PAPIER = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}  # staand, in mm


@dataclass(frozen=True)
class KaartOpties:
    """What to print: colour mode, selection and paper.

    ``kleur`` is a registered colour mode (``indicator`` needs ``indicator``, a column);
    ``gemeente`` or ``wijk`` limits the print to that area (None: the whole dataset).
    ``labels``: buurt names; ``klassenummers``: the class number on each buurt;
    ``arcering``: a hatch pattern per class.
    """

    kleur: str = "kwadrant"
    indicator: str | None = None
    gemeente: str | None = None
    wijk: str | None = None
    papier: str = "A4"
    liggend: bool = False
    labels: bool = False
    klassenummers: bool = False
    arcering: bool = False

    @property
    def key(self) -> str:
        """A stable text key (for caches and file names)."""
        return "|".join(f"{k}={v}" for k, v in self.__dict__.items())


def check_opties(opties: KaartOpties) -> None:
    """Raise :class:`DataError` (Dutch) for an unknown colour mode or paper, or a missing indicator."""
    if opties.kleur not in COLOUR_MODES:
        raise DataError(f"Onbekende kleuring '{opties.kleur}'. Kies uit: {', '.join(COLOUR_MODES)}.")
    if COLOUR_MODES[opties.kleur].needs_kolom and not opties.indicator:
        raise DataError(f"Kleuring '{opties.kleur}' heeft een indicator nodig: geef --indicator KOLOM op, "
                        "bijvoorbeeld --indicator lbm_afw.")
    if opties.papier not in PAPIER:
        raise DataError(f"Onbekend papierformaat '{opties.papier}'. Kies uit: {', '.join(PAPIER)}.")
    if opties.gemeente and opties.wijk:
        raise DataError("Kies een gemeente of een wijk, niet allebei.")


def selection(frame: pd.DataFrame, opties: KaartOpties) -> tuple[np.ndarray, str]:
    """The buurten of the selection (a mask in frame order) and its name for the title.

    An unknown gemeente or wijk is a :class:`DataError` that lists existing codes.
    """
    for kind, code in (("gemeente", opties.gemeente), ("wijk", opties.wijk)):
        if not code:
            continue
        col = f"{kind}code"
        mask = (frame[col].astype(str) == code).to_numpy()
        if not mask.any():
            voorbeeld = ", ".join(sorted(frame[col].astype(str).unique())[:5])
            raise DataError(f"{kind.capitalize()} '{code}' staat niet in deze dataset. Bestaande codes zijn "
                            f"bijvoorbeeld {voorbeeld}.")
        naam = str(frame.loc[mask, f"{kind}naam"].iloc[0])
        return mask, f"{kind} {naam} ({code})"
    gemeenten = frame["gemeentenaam"].astype(str).unique()
    naam = gemeenten[0] if len(gemeenten) == 1 else f"{len(gemeenten)} gemeenten"
    return np.ones(len(frame), dtype=bool), naam
