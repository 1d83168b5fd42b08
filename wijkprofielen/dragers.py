"""Which sub-score carries an axis: the reading behind a quadrant.

An axis score is the weighted mean of its sub-scores, so a buurt can sit above the boundary
on fysieke kansen because of a large opgave while its ruimte is low. "Wel fysieke ruimte"
would then claim room where there is only need. These sentences name the sub-score(s) on the
same side of the boundary as the axis (the carriers) and the other sub-scores with their value,
e.g. "Fysieke kansen boven de grens (+0,17), gedragen door opgave (+1,22); ruimte is laag (-0,88)."
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from .config import Recipe
from .domain import AXES, INVERTED_SUBAXES
from .formatting import score

_EPS = 1e-9
#: How a sub-score reads on each side of the boundary: (high, low).
_SIDE_WORDS = {"draaglast": ("zwaar", "licht")}


def _value(scores: Mapping, key: str) -> float:
    v = scores.get(key, math.nan)
    try:
        v = float(v)
    except (TypeError, ValueError):
        return math.nan
    return v


def _grens(recipe: Recipe, axis: str) -> float:
    return float(getattr(recipe, f"grens_{axis}", 0.0))


def carriers(scores: Mapping, recipe: Recipe, axis: str) -> tuple[list[str], list[str], list[str]]:
    """Sub-axes of ``axis`` that carry its side of the boundary, those on the other side, and the unknown ones.

    A sub-score carries the axis when it lies on the same side of the quadrant boundary as the
    axis score (for draaglast, where high means a heavier load, the other way round).

    Parameters
    ----------
    scores : mapping
        One buurt's scores: ``{axis}`` and ``sub_{subas}`` (a row of ``ScoreResult.scores``).
    recipe : Recipe
    axis : str
        ``draagkracht`` or ``fysieke_kansen``.
    """
    value, grens = _value(scores, axis), _grens(recipe, axis)
    boven = value >= grens
    carry, other, unknown = [], [], []
    for sub in recipe.axis(axis).subassen:
        v = _value(scores, f"sub_{sub}")
        if math.isnan(v):
            unknown.append(sub)
            continue
        effect = -v if sub in INVERTED_SUBAXES else v
        # A rounding hair around the boundary does not change sides.
        same = effect >= grens - _EPS if boven else effect < grens + _EPS
        (carry if same else other).append(sub)
    return carry, other, unknown


def _side_word(sub: str, v: float, grens: float) -> str:
    hoog, laag = _SIDE_WORDS.get(sub, ("hoog", "laag"))
    effect = -v if sub in INVERTED_SUBAXES else v
    if sub in INVERTED_SUBAXES:
        return laag if effect >= grens else hoog
    return hoog if effect >= grens else laag


def _carrier_text(sub: str, v: float, grens: float) -> str:
    word = _side_word(sub, v, grens)
    adjective = {"zwaar": "zware ", "licht": "lichte ", "laag": "lage "}.get(word, "")
    return f"{adjective}{sub} ({score(v)})"


def axis_reading(scores: Mapping, recipe: Recipe, axis: str, *, short: bool = False) -> str:
    """One sentence: the axis' side of the boundary and the sub-score(s) that carry it.

    Parameters
    ----------
    scores : mapping
        One buurt's scores (a row of ``ScoreResult.scores``).
    recipe : Recipe
    axis : str
    short : bool
        Only the side (hoog/laag) and the carriers, for the menukaart reasons, e.g.
        ``"fysieke kansen hoog door opgave (+1,22)"``.

    Examples
    --------
    >>> from wijkprofielen.config import recipe_from_dict
    >>> def axis(label, *subs):
    ...     inds = [{"kolom": k, "richting": 1, "gewicht": 1, "subas": s} for k, s in subs]
    ...     return {"label": label, "indicatoren": inds}
    >>> r = recipe_from_dict({"assen": {"draagkracht": axis("Draagkracht", ("lbm_soc", "draagkracht")),
    ...     "fysieke_kansen": axis("Fysieke kansen", ("plancap_hard_pct", "ruimte"), ("pct_label_efg", "opgave"))}})
    >>> s = {"fysieke_kansen": 0.17, "sub_ruimte": -0.88, "sub_opgave": 1.22}
    >>> axis_reading(s, r, "fysieke_kansen")
    'Fysieke kansen boven de grens (+0,17), gedragen door opgave (+1,22); ruimte is laag (-0,88).'
    """
    label = recipe.axis(axis).label
    value, grens = _value(scores, axis), _grens(recipe, axis)
    if short:
        label = label[:1].lower() + label[1:]
    if math.isnan(value):
        return f"{label}: geen score (te weinig gegevens)" + ("" if short else ".")
    boven = value >= grens
    carry, other, unknown = carriers(scores, recipe, axis)
    by = " en ".join(_carrier_text(s, _value(scores, f"sub_{s}"), grens) for s in carry)
    if short:
        return f"{label} {'hoog' if boven else 'laag'}" + (f" door {by}" if by else "")
    head = f"{label} {'boven' if boven else 'onder'} de grens ({score(value)})"
    if by:
        head += (", gedragen door " if boven else ", door ") + by
    parts = [head]
    for s in other:
        v = _value(scores, f"sub_{s}")
        parts.append(f"{s} is {_side_word(s, v, grens)} ({score(v)})")
    parts += [f"{s} onbekend (geen gegevens)" for s in unknown]
    return "; ".join(parts) + "."


def quadrant_reading(scores: Mapping, recipe: Recipe, *, short: bool = False) -> str:
    """:func:`axis_reading` of both axes, draagkracht first."""
    return (" " if not short else "; ").join(axis_reading(scores, recipe, a, short=short) for a in AXES)
