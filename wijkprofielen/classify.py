"""Classes for the map, in the shape of mapclassify: a class per buurt, bins, counts, labels.

Classify first, colour second: every map colour mode is a function here that turns values
into a :class:`Classification`; the map (:mod:`wijkprofielen.mapping`) only picks colours
for the classes. A missing value is its own class (:data:`MISSING`, label "geen waarde"),
never class 0 and never counted as zero.

Quantiles come from ``mapclassify``; fixed breaks (scores, coverage, stability) and
categories (quadrants) are a single ``numpy`` call, so recolouring a national map stays
cheap. ``mapclassify`` is imported when quantiles are first asked for: it brings scipy.stats,
scikit-learn and matplotlib (about 1 s and 100 MB in an app server), which the map in its
default colouring never needs.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .dynamiek import NEGATIEF, POSITIEF, STABIEL
from .formatting import compact

MISSING = -1
MISSING_LABEL = "geen waarde"
QUADRANTS = ("hoog_hoog", "laag_hoog", "laag_laag", "hoog_laag")  # the missing class: onvoldoende_data
BIVARIATE_CLASSES = ("laag", "midden", "hoog")
BIVARIATE_BAND = 0.5  # |score − grens| below this counts as "midden"
SCORE_BREAKS = (-1.0, -1 / 3, 1 / 3, 1.0)
DEKKING_BREAKS = (0.6, 0.8, 0.999)
DEKKING_LABELS = ("< 60%", "60 – 80%", "80 – 100%", "volledig")
STABILITY_BREAKS = (0.5, 0.7, 0.9, 0.999)
STABILITY_LABELS = ("< 50%", "50 – 70%", "70 – 90%", "90 – 100%", "altijd (100%)")


@dataclass(frozen=True)
class Classification:
    """Classes of ``n`` values, like a mapclassify classifier.

    Attributes
    ----------
    yb : ndarray of int
        Class per value, ``0 … k-1``; :data:`MISSING` (-1) for a missing value.
    bins : ndarray of float
        Upper bound per class. ``right=True`` (mapclassify's convention): class ``i``
        holds ``bins[i-1] < v <= bins[i]``; ``right=False``: ``bins[i-1] <= v < bins[i]``.
        For categories, the class index itself (``bins = [0, 1, …, k-1]``).
    counts : ndarray of int
        Values per class (length ``k``); missing values are not in here but in ``missing``.
    labels : tuple of str
        Legend label per class.
    missing_label : str
        Legend label of the missing class.
    name : str
        The classifier ("Quantiles", "UserDefined", "Categorical").
    right : bool
        Which side of a class interval is closed (see ``bins``).
    """

    yb: np.ndarray
    bins: np.ndarray
    counts: np.ndarray
    labels: tuple[str, ...]
    missing_label: str = MISSING_LABEL
    name: str = "UserDefined"
    right: bool = False

    @property
    def k(self) -> int:
        """Number of classes (without the missing class)."""
        return len(self.labels)

    @property
    def missing(self) -> int:
        """How many values are missing."""
        return int((self.yb == MISSING).sum())

    def counts_for(self, mask=None) -> tuple[np.ndarray, int]:
        """Counts per class and the missing count among the values in ``mask`` (all when None)."""
        yb = self.yb if mask is None else self.yb[np.asarray(mask, dtype=bool)]
        return np.bincount(yb[yb >= 0], minlength=self.k)[: self.k], int((yb == MISSING).sum())


def _classification(yb, bins, labels, **kw) -> Classification:
    yb = np.asarray(yb, dtype=np.int64)
    counts = np.bincount(yb[yb >= 0], minlength=len(labels))
    return Classification(yb, np.asarray(bins, dtype=float), counts, tuple(labels), **kw)


def _floats(values) -> np.ndarray:
    if isinstance(values, pd.Series):
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return np.asarray(values, dtype=float)


def categorical(values, categories: Sequence[str], labels: Sequence[str],
                missing_label: str = MISSING_LABEL) -> Classification:
    """One class per category, in the given order; any other value (or none) is missing.

    Examples
    --------
    >>> c = categorical(["b", "a", "x", None], ["a", "b"], ["A", "B"])
    >>> c.yb.tolist(), c.counts.tolist(), c.missing
    ([1, 0, -1, -1], [1, 1], 2)
    """
    codes = pd.Index(list(categories)).get_indexer(np.asarray(values, dtype=object))  # -1: not a category
    return _classification(codes, np.arange(len(categories)), labels, missing_label=missing_label, name="Categorical")


def fixed_classes(values, breaks: Sequence[float]) -> np.ndarray:
    """Class per value for fixed ``breaks``, the lower bound inclusive; :data:`MISSING` for NaN.

    Examples
    --------
    >>> fixed_classes([-2, 0, 0.5, float("nan")], (0, 0.5)).tolist()
    [0, 1, 2, -1]
    """
    v = _floats(values)
    cls = np.searchsorted(np.asarray(breaks, dtype=float), v, side="right")
    cls[~np.isfinite(v)] = MISSING
    return cls


def user_defined(values, breaks: Sequence[float], labels: Sequence[str]) -> Classification:
    """``len(breaks) + 1`` classes split at ``breaks``; a value on a break goes to the upper class."""
    return _classification(fixed_classes(values, breaks), [*breaks, np.inf], labels)


def quantiles(values, k: int = 5) -> Classification:
    """Quantile classes (``mapclassify.Quantiles``) of the values that are present.

    Ties can merge classes, so fewer than ``k`` classes may come back. Labels give each
    class's range, the lowest value present as the first lower bound.

    Examples
    --------
    >>> c = quantiles([1, 2, 3, 4, float("nan")], k=2)
    >>> c.yb.tolist(), c.bins.tolist(), c.labels
    ([0, 0, 1, 1, -1], [2.5, 4.0], ('1 – 2,5', '2,5 – 4'))
    """
    v = _floats(values)
    ok = np.isfinite(v)
    yb = np.full(len(v), MISSING)
    if not ok.any():
        return _classification(yb, [], [], name="Quantiles", right=True)
    import mapclassify  # on first use: see the module's docstring

    with warnings.catch_warnings():  # ties: mapclassify warns and returns fewer classes
        warnings.simplefilter("ignore", UserWarning)
        q = mapclassify.Quantiles(v[ok], k=min(k, int(ok.sum())))
    yb[ok] = q.yb
    bins = np.asarray(q.bins, dtype=float)
    lower = [float(v[ok].min()), *bins[:-1].tolist()]
    labels = [f"{compact(lo, 3)} – {compact(hi, 3)}" for lo, hi in zip(lower, bins.tolist())]
    return _classification(yb, bins, labels, name="Quantiles", right=True)


# -- one function per map colour mode -------------------------------------------------------------
def kwadrant(codes, namen: Mapping[str, str]) -> Classification:
    """The four quadrants; every buurt without one (too little data, too few inhabitants, no
    inhabitant count, or an unknown code) is the one grey missing class."""
    return categorical(codes, QUADRANTS, [namen.get(q, q) for q in QUADRANTS], missing_label=unplaced_label(namen))


def unplaced_label(namen: Mapping[str, str]) -> str:
    """The legend text of the grey class: every reason a buurt has no quadrant.

    >>> unplaced_label({"onvoldoende_data": "Onvoldoende gegevens", "te_weinig_inwoners": "Te weinig inwoners"})
    'Onvoldoende gegevens of te weinig inwoners'
    """
    reasons = [namen[q] for q in ("onvoldoende_data", "te_weinig_inwoners", "geen_inwonersaantal") if q in namen]
    if not reasons:
        return "onvoldoende_data"
    rest = [r[:1].lower() + r[1:] for r in reasons[1:]]
    return ", ".join([reasons[0], *rest[:-1]]) + (f" of {rest[-1]}" if rest else "")


def bivariate_classes(values, grens: float, band: float = BIVARIATE_BAND) -> np.ndarray:
    """0 (laag), 1 (midden) or 2 (hoog) around the quadrant boundary; :data:`MISSING` for NaN."""
    return fixed_classes(values, (grens - band, grens + band))


def bivariate(draagkracht, fysieke_kansen, grens_draagkracht: float, grens_fysieke_kansen: float,
              band: float = BIVARIATE_BAND) -> Classification:
    """3×3 classes ``fk * 3 + dk`` (laag/midden/hoog per axis); missing when either axis is."""
    dk = bivariate_classes(draagkracht, grens_draagkracht, band)
    fk = bivariate_classes(fysieke_kansen, grens_fysieke_kansen, band)
    yb = np.where((dk == MISSING) | (fk == MISSING), MISSING, fk * 3 + dk)
    labels = [f"draagkracht {BIVARIATE_CLASSES[d]}, fysieke kansen {BIVARIATE_CLASSES[f]}"
              for f in range(3) for d in range(3)]
    return _classification(yb, np.arange(9), labels, name="Categorical")


STATUS_CLASSES = ("lage draagkracht", "hoge draagkracht")
DYNAMIEK_CLASSES = (NEGATIEF, STABIEL, POSITIEF)
DYNAMIEK_WORDS = ("daalt", "stabiel", "stijgt")


def status_dynamiek(draagkracht, klassen, grens: float) -> Classification:
    """2×3 classes ``status * 3 + dynamiek``: draagkracht below or from ``grens``, and the
    dynamiek class (negatief, stabiel, positief); missing without a score or with an unknown dynamiek.

    Examples
    --------
    >>> c = status_dynamiek([-1, 1, 1, float("nan")], ["negatief", "negatief", "positief", "stabiel"], 0.0)
    >>> c.yb.tolist(), c.labels[3]
    ([0, 3, 5, -1], 'hoge draagkracht, daalt')
    """
    dk = _floats(draagkracht)
    status = np.where(dk >= grens, 1, 0)
    dyn = pd.Index(DYNAMIEK_CLASSES).get_indexer(np.asarray(klassen, dtype=object))
    yb = np.where(~np.isfinite(dk) | (dyn < 0), MISSING, status * 3 + dyn)
    labels = [f"{s}, {w}" for s in STATUS_CLASSES for w in DYNAMIEK_WORDS]
    return _classification(yb, np.arange(6), labels, missing_label="geen score of geen dynamiek", name="Categorical")


def score_labels(breaks: Sequence[float] = SCORE_BREAKS) -> tuple[str, ...]:
    """Legend labels for classes split at ``breaks``: ``< a``, ``a – b``, …, ``≥ z``."""
    b = [compact(x, 3) for x in breaks]
    return (f"< {b[0]}", *(f"{lo} – {hi}" for lo, hi in zip(b, b[1:])), f"≥ {b[-1]}")


def axis_score(values) -> Classification:
    """Five classes of an axis score around 0 (:data:`SCORE_BREAKS`)."""
    return user_defined(values, SCORE_BREAKS, score_labels())


def indicator(values, k: int = 5) -> Classification:
    """One indicator in ``k`` quantile classes."""
    return quantiles(values, k)


def dekking(dekking_draagkracht, dekking_fysieke_kansen) -> Classification:
    """Coverage classes of the lower of both axes' coverage."""
    d = np.minimum(_floats(dekking_draagkracht), _floats(dekking_fysieke_kansen))
    return user_defined(d, DEKKING_BREAKS, DEKKING_LABELS)


def stabiliteit(values) -> Classification:
    """Five classes of the placement's stability (share of alternative recipes in the same quadrant)."""
    return user_defined(values, STABILITY_BREAKS, STABILITY_LABELS)
