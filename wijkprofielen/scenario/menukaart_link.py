"""The link to the menukaart: contra-indications of chosen items, suggestions as measures.

Both work only when :mod:`wijkprofielen.menukaart` is installed; without it they return
nothing, and scenarios use the scenario catalogue alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import pandas as pd

from .evaluate import Waarschuwing
from .model import Maatregel, Scenario, Soort, default_segment, menukaart, soort_van


def contra_warnings(scenario: Scenario, frame: pd.DataFrame, result, mk: Mapping | None = None,
                    values: Callable[[pd.DataFrame, object, str], Mapping] | None = None) -> list[Waarschuwing]:
    """A warning per measure whose menukaart item has a contra-indication that holds in its buurt.

    Parameters
    ----------
    scenario : Scenario
    frame : DataFrame
        ``Dataset.frame()``.
    result : ScoreResult
    mk : Mapping, optional
        The menukaart (default: the built-in one; none installed: no warnings).
    values : callable, optional
        ``(frame, result, buurtcode) -> {kolom: waarde}``; default ``menukaart.buurt_values``.
    """
    mk = mk if mk is not None else menukaart()
    if mk is None:
        return []
    if values is None:
        from ..menukaart import buurt_values as values  # type: ignore[import-not-found,no-redef]
    names = dict(zip(frame["buurtcode"].astype(str), frame["buurtnaam"]))
    out, seen, cache = [], set(), {}
    for m in scenario.maatregelen:
        if m.interventie not in mk or (m.buurtcode, m.interventie) in seen:
            continue
        seen.add((m.buurtcode, m.interventie))
        if m.buurtcode not in cache:
            cache[m.buurtcode] = values(frame, result, m.buurtcode)
        item = mk[m.interventie]
        for c in item.contra:
            v = cache[m.buurtcode].get(c.kolom, math.nan)
            if c.holds(v):
                out.append(Waarschuwing(
                    "contra_indicatie", m.buurtcode,
                    f"{names.get(m.buurtcode, m.buurtcode)} ({m.buurtcode}): '{item.titel}' staat op de menukaart met de contra-indicatie "
                    f"'{c.label}', en die geldt hier ({item.bron}).",
                ))
    return out


def suggested_measures(frame: pd.DataFrame, result, buurtcode: str, draagkracht_hoog: bool | None,
                       jaar: int | None = None, top: int | None = 8, mk: Mapping | None = None) -> list[Maatregel]:
    """The menukaart's suggestions for one buurt as measures with ``aantal = 0`` to fill in.

    Items that add homes without an implied segment get sociale huur where draagkracht is
    high and midden where it is not: buurt X and buurt Y of the 's-Hertogenbosch worked example.
    """
    mk_ = mk if mk is not None else menukaart()
    if mk_ is None:
        return []
    from ..menukaart import suggest  # type: ignore[import-not-found]

    out = []
    for s in suggest(frame, result, buurtcode, menukaart=mk_, top=top):
        iv = s.interventie.id
        soort = soort_van(iv, 0)
        segment = default_segment(iv)
        if soort == Soort.TOEVOEGEN and segment is None:
            segment = "sociale_huur" if draagkracht_hoog else "midden"
        out.append(Maatregel(buurtcode, iv, segment if soort in (Soort.TOEVOEGEN, Soort.SLOOP, Soort.VERKOOP, Soort.LIBERALISATIE) else None, 0, jaar))
    return out
