"""The link to the menukaart: contra-indications of chosen items, suggestions as measures.

Both take the configured catalogue (``Workspace.menukaart``) as an argument.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import pandas as pd

from ..menukaart import buurt_values, suggest
from .evaluate import Waarschuwing
from .model import Maatregel, Scenario, Soort, default_segment, soort_van


def contra_warnings(scenario: Scenario, frame: pd.DataFrame, result, mk: Mapping,
                    values: Callable[[pd.DataFrame, object, str], Mapping] = buurt_values) -> list[Waarschuwing]:
    """A warning per measure whose menukaart item has a contra-indication that holds in its buurt.

    Parameters
    ----------
    scenario : Scenario
    frame : DataFrame
        ``Dataset.frame()``.
    result : ScoreResult
    mk : Mapping
        The configured menukaart (``{id: item}``).
    values : callable, optional
        ``(frame, result, buurtcode) -> {kolom: waarde}``; default ``menukaart.buurt_values``.
    """
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


def suggested_measures(frame: pd.DataFrame, result, buurtcode: str, draagkracht_hoog: bool | None, mk,
                       jaar: int | None = None, top: int | None = 8) -> list[Maatregel]:
    """The suggestions of catalogue ``mk`` for one buurt as measures with ``aantal = 0`` to fill in.

    Items that add homes without an implied segment get sociale huur where draagkracht is
    high and midden where it is not: buurt X and buurt Y of the 's-Hertogenbosch worked example.
    """
    out = []
    for s in suggest(frame, result, buurtcode, menukaart=mk, top=top):
        iv = s.interventie.id
        soort = soort_van(iv, 0)
        segment = default_segment(iv)
        if soort == Soort.TOEVOEGEN and segment is None:
            segment = "sociale_huur" if draagkracht_hoog else "midden"
        out.append(Maatregel(buurtcode, iv, segment if soort in (Soort.TOEVOEGEN, Soort.SLOOP, Soort.VERKOOP, Soort.LIBERALISATIE) else None, 0, jaar))
    return out
