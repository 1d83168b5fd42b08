"""Where afspraken come from: a closed workshop's pins, a scenario's measures.

A workshop pin becomes a candidate afspraak when it has **consensus** (pinned by at least
half of the participants) or when the facilitator chooses it. A scenario measure becomes one
afspraak. Every afspraak keeps its origin (:class:`~.model.Herkomst`); the parties fill in
the trekker, years and indicators before it is stored.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import pandas as pd

from ..errors import DataError
from ..scenario.model import Scenario, Soort
from ..workshop.analyse import pin_tally
from ..workshop.events import Workshop
from ..workshop.text import format_code
from .model import Afspraak, Herkomst, new_id

CONSENSUS = 0.5  # share of the participants that must have pinned an intervention


@dataclass(frozen=True)
class Kandidaat:
    """A pinned intervention on a buurt of a closed workshop, and how many pinned it."""

    buurtcode: str
    buurtnaam: str
    interventie: str
    aantal: int
    deelnemers: int

    @property
    def consensus(self) -> bool:
        """Pinned by at least half of the participants."""
        return self.deelnemers > 0 and self.aantal >= CONSENSUS * self.deelnemers


def workshop_candidates(ws: Workshop, pins: pd.DataFrame, deelnemers: int) -> list[Kandidaat]:
    """Every intervention pinned on a buurt of a **closed** workshop, most pinned first.

    Raises
    ------
    DataError
        When the workshop is still open: its pins can still change.
    """
    if ws.open:
        raise DataError(f"Workshop '{ws.naam}' is nog open. Sluit de workshop eerst (begeleider); "
                        "daarna worden de prikkers afspraken.")
    names = dict(zip(ws.buurten["buurtcode"], ws.buurten["buurtnaam"]))
    return [Kandidaat(r.buurtcode, str(names.get(r.buurtcode, r.buurtcode)), r.interventie, int(r.aantal), deelnemers)
            for r in pin_tally(pins).itertuples(index=False)]


def from_workshop(ws: Workshop, kandidaten: list[Kandidaat], gekozen: Collection[tuple[str, str]] = (), *,
                  trekker: Mapping[str, tuple[str, ...]], titels: Mapping[str, str], start_jaar: int,
                  eind_jaar: int) -> list[Afspraak]:
    """Afspraken from the consensus pins plus those the facilitator chose.

    Parameters
    ----------
    kandidaten : list of Kandidaat
        :func:`workshop_candidates`.
    gekozen : collection of (buurtcode, interventie)
        Pins the facilitator chose besides the consensus ones.
    trekker : mapping
        Per menukaart id its lead parties (the first becomes the trekker, the rest partners).
    titels : mapping
        Per menukaart id its title.
    """
    chosen = set(gekozen)
    out = []
    for k in kandidaten:
        key = (k.buurtcode, k.interventie)
        if not (k.consensus or key in chosen):
            continue
        partijen = tuple(trekker.get(k.interventie, ())) or ("gemeente",)
        detail = (f"consensus: {k.aantal} van {k.deelnemers} deelnemers" if k.consensus
                  else f"gekozen door de begeleider; {k.aantal} van {k.deelnemers} deelnemers")
        out.append(Afspraak(
            id=new_id(), buurtcode=k.buurtcode, titel=f"{titels.get(k.interventie, k.interventie)} in {k.buurtnaam}",
            trekker=partijen[0], partners=partijen[1:], start_jaar=start_jaar, eind_jaar=eind_jaar,
            interventie=k.interventie, herkomst=Herkomst("workshop", format_code(ws.code), detail),
        ))
    return out


def from_scenario(scenario: Scenario, scenario_id: int, versie: int, *, titels: Mapping[str, str],
                  trekker: Mapping[str, tuple[str, ...]], periode: tuple[int, int],
                  nummers: Collection[int] | None = None) -> list[Afspraak]:
    """One afspraak per measure of a scenario (or the measures numbered ``nummers``, from 1).

    The delivery year becomes start and end year (without one: the target period); the
    homes of a measure that adds or removes homes become its ``woningen``.
    """
    out = []
    for n, m in enumerate(scenario.maatregelen, 1):
        if nummers is not None and n not in nummers:
            continue
        partijen = tuple(trekker.get(m.interventie, ())) or (
            "corporatie" if m.segment == "sociale_huur" or m.soort in (Soort.SLOOP, Soort.VERKOOP, Soort.LIBERALISATIE)
            else "gemeente",)
        homes = ((m.segment, m.aantal),) if m.segment and m.aantal and m.soort != Soort.OVERIG else ()
        start, eind = (m.jaar, m.jaar) if m.jaar is not None else periode
        out.append(Afspraak(
            id=new_id(), buurtcode=m.buurtcode, titel=titels.get(m.interventie, m.interventie), trekker=partijen[0],
            partners=partijen[1:], start_jaar=start, eind_jaar=eind, interventie=m.interventie, woningen=homes,
            herkomst=Herkomst("scenario", f"{scenario.naam} (id {scenario_id}, versie {versie})", f"maatregel {n}"),
        ))
    return out
