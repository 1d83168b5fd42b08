"""Vergelijkbare buurten: per buurt the *k* buurten that look most like it.

The distance is taken over the recipe's indicators **normalised against the reference**
(:attr:`~wijkprofielen.scoring.ScoreResult.genormaliseerd`, before the direction is applied),
so a unit or a scale never weighs more than another indicator. For buurten *a* and *b* with
the set *S* of indicators that both have a value (the *gedeelde indicatoren*)::

    afstand(a, b) = sqrt( Σ_{i ∈ S} w_i (a_i − b_i)² / Σ_{i ∈ S} w_i )

the root mean square difference over *S*; ``w_i = 1`` for ``metriek = "rms"``, the recipe's
weight (summed over both axes) for ``"gewogen"``. A missing value is never filled in, so it
can never make two buurten look alike; a pair with fewer than ``min_gedeelde_indicatoren``
shared indicators is never comparable. A buurt is never its own peer. Ties are broken by
buurtcode, so the answer is deterministic.

**The index.** Rows are grouped by *missingness pattern* (which indicators a buurt has). Per
pattern *P* one :class:`scipy.spatial.cKDTree` holds its rows over the columns of *P*, scaled
by ``sqrt(w)``. Within one pattern the shared set *S = Q ∩ P* of a query with pattern *Q* is the
same for every row, so the denominator is constant and the tree's Euclidean order is the
order of the distance above: the *k* nearest of each pattern, merged, are exactly the *k*
nearest overall. A query whose *S* is smaller than *P* uses a tree over the columns of *S*,
built once on first use and kept. Ties at the k-th distance are all collected (a ball query)
before the merge, and every candidate's distance is recomputed with one formula, so the
result equals the brute force (:func:`peers_brute_force`) exactly.

Candidates are the buurten that form the reference (at least ``min_inwoners`` inhabitants:
the same rule as the scores). With ``referentie = "gemeente"`` only buurten of the buurt's own
gemeente count; with ``dataset``, ``nederland`` or ``stedelijkheid`` every buurt of the
loaded data (a national dataset gives national peers), normalised against that reference.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from . import indicators
from .config import Recipe, VergelijkSettings
from .domain import QUADRANT_NO_INHABITANTS, QUADRANT_TOO_SMALL
from .errors import DataError
from .scoring import ScoreResult

METRICS = ("rms", "gewogen")
PEER_COLUMNS = ["buurtcode", "afstand", "gedeelde_indicatoren"]


def column_weights(recipe: Recipe, columns: Iterable[str], metriek: str = "rms") -> np.ndarray:
    """The weight of each column in the distance: 1, or the recipe's weight summed over both axes."""
    columns = list(columns)
    if metriek == "rms":
        return np.ones(len(columns))
    if metriek != "gewogen":
        raise DataError(f"Metriek {metriek!r} is onbekend. Kies uit: {', '.join(METRICS)}.")
    totals = dict.fromkeys(columns, 0.0)
    for (_, kolom), gewicht in recipe.weights().items():
        if kolom in totals:
            totals[kolom] += gewicht
    return np.array([totals[c] for c in columns], dtype="float64")


def _distances(rows: np.ndarray, q: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance and number of shared indicators of each row to ``q`` (NaN: missing); one
    formula for the index and the brute force."""
    shared = ~np.isnan(rows) & ~np.isnan(q)
    diff = np.where(shared, rows - q, 0.0)
    ss = (w * diff * diff).sum(axis=1)
    ws = (w * shared).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sqrt(ss / ws), shared.sum(axis=1)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({"buurtcode": pd.Series(dtype=object), "afstand": pd.Series(dtype="float64"),
                         "gedeelde_indicatoren": pd.Series(dtype="int64")})


def _ranked(codes: np.ndarray, afstand: np.ndarray, gedeeld: np.ndarray, k: int) -> pd.DataFrame:
    out = pd.DataFrame({"buurtcode": codes, "afstand": afstand, "gedeelde_indicatoren": gedeeld.astype("int64")})
    return out.sort_values(["afstand", "buurtcode"], kind="mergesort").head(k).reset_index(drop=True)


class _Part:
    """The candidate rows of one missingness pattern, with their KD-trees per shared column set."""

    def __init__(self, pattern: np.ndarray, rows: np.ndarray, x: np.ndarray):
        self.pattern, self.rows, self._x = pattern, rows, x
        self._trees: dict[bytes, cKDTree] = {}
        self.tree(pattern)  # the tree a query with every indicator of this pattern uses

    def tree(self, cols: np.ndarray) -> cKDTree:
        key = np.packbits(cols).tobytes()
        if key not in self._trees:
            self._trees[key] = cKDTree(self._x[np.ix_(self.rows, np.flatnonzero(cols))])
        return self._trees[key]

    def nearest(self, q: np.ndarray, cols: np.ndarray, k: int) -> np.ndarray:
        """Rows (positions in the index) among the ``k`` nearest on ``cols``, ties at the k-th included."""
        if len(self.rows) <= k:
            return self.rows
        tree, point = self.tree(cols), q[cols]
        d, _ = tree.query(point, k=k)
        radius = float(np.atleast_1d(d)[-1])
        found = tree.query_ball_point(point, radius * (1 + 1e-9) + 1e-12)
        return self.rows[np.asarray(found, dtype=np.intp)]


class PeerIndex:
    """The one-time index of the normalised values for :meth:`query`.

    Parameters
    ----------
    normed : DataFrame
        Indexed by buurtcode; one column per indicator, NaN where missing.
    weights : array, optional
        Per column (see :func:`column_weights`); default 1. Columns of weight 0 are left out.
    min_gedeeld : int
        The minimum number of shared indicators.
    groups : Series, optional
        Per buurtcode the group within which peers are sought (the gemeente for
        ``referentie = "gemeente"``); None: one group.
    candidates : array of bool, optional
        Rows that may be a peer (in ``normed`` order); default every row.
    """

    def __init__(self, normed: pd.DataFrame, weights=None, min_gedeeld: int = 5, groups: pd.Series | None = None,
                 candidates=None):
        w = np.ones(normed.shape[1]) if weights is None else np.asarray(weights, dtype="float64")
        keep = w > 0
        self.columns = list(normed.columns[keep])
        self.codes = normed.index.astype(str).to_numpy()
        self.w = w[keep]
        self.raw = normed.to_numpy(dtype="float64", na_value=np.nan)[:, keep]
        self.x = self.raw * np.sqrt(self.w)  # scaled: the tree's Euclidean distance carries the weights
        self.min_gedeeld = int(min_gedeeld)
        self._row = {c: i for i, c in enumerate(self.codes)}
        group = (np.zeros(len(self.codes), dtype=np.intp) if groups is None
                 else pd.factorize(pd.Series(groups).reindex(self.codes).astype(str).to_numpy())[0])
        self._group = group
        cand = np.ones(len(self.codes), dtype=bool) if candidates is None else np.asarray(candidates, dtype=bool)
        observed = ~np.isnan(self.x)
        usable = cand & (observed.sum(axis=1) >= self.min_gedeeld)
        self._parts: dict[int, list[_Part]] = {}
        if usable.any():
            keys = np.column_stack([group[usable], observed[usable]]).astype(np.int64)
            patterns, inverse = np.unique(keys, axis=0, return_inverse=True)
            where = np.flatnonzero(usable)
            for p, key in enumerate(patterns):
                self._parts.setdefault(int(key[0]), []).append(_Part(key[1:].astype(bool), where[inverse.ravel() == p], self.x))

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, buurtcode: str) -> bool:
        return buurtcode in self._row

    def query(self, buurtcode: str, k: int = 8, exclude: Iterable[str] = ()) -> pd.DataFrame:
        """The ``k`` nearest peers of ``buurtcode``: ``buurtcode``, ``afstand``,
        ``gedeelde_indicatoren``, sorted by distance (then buurtcode); never the buurt itself
        nor the codes in ``exclude``."""
        if buurtcode not in self._row:
            raise DataError(f"Buurt {buurtcode} staat niet in de dataset. Kies een buurtcode uit de data (BU…).")
        i = self._row[buurtcode]
        skip = {buurtcode, *exclude}
        q = self.x[i]
        have = ~np.isnan(q)
        if have.sum() < self.min_gedeeld:
            return _empty()
        rows = []
        for part in self._parts.get(int(self._group[i]), []):
            cols = have & part.pattern
            if cols.sum() >= self.min_gedeeld:
                rows.append(part.nearest(q, cols, k + len(skip)))
        if not rows:
            return _empty()
        rows = np.concatenate(rows)
        rows = rows[~np.isin(self.codes[rows], list(skip))]
        afstand, gedeeld = _distances(self.raw[rows], self.raw[i], self.w)
        return _ranked(self.codes[rows], afstand, gedeeld, k)


def peers_brute_force(normed: pd.DataFrame, buurtcode: str, k: int = 8, min_gedeeld: int = 5, weights=None,
                      candidates=None) -> pd.DataFrame:
    """The same answer as :meth:`PeerIndex.query` by comparing with every row (the reference
    implementation for the tests and the benchmark; one group)."""
    w = np.ones(normed.shape[1]) if weights is None else np.asarray(weights, dtype="float64")
    normed = normed.loc[:, w > 0]
    w = w[w > 0]
    q = normed.loc[buurtcode].to_numpy(dtype="float64", na_value=np.nan)
    if (~np.isnan(q)).sum() < min_gedeeld:
        return _empty()
    afstand, gedeeld = _distances(normed.to_numpy(dtype="float64", na_value=np.nan), q, w)
    codes = normed.index.astype(str).to_numpy()
    keep = (gedeeld >= min_gedeeld) & (codes != buurtcode)
    if candidates is not None:
        keep &= np.asarray(candidates, dtype=bool)
    return _ranked(codes[keep], afstand[keep], gedeeld[keep], k)


def candidates_of(result: ScoreResult) -> np.ndarray:
    """Buurten that may be a peer: those in the reference (enough inhabitants), in score order."""
    return ~result.scores["kwadrant"].isin((QUADRANT_TOO_SMALL, QUADRANT_NO_INHABITANTS)).to_numpy()


def peer_groups(frame: pd.DataFrame, recipe: Recipe) -> pd.Series | None:
    """Per buurtcode the gemeente when the reference is ``gemeente`` (peers stay within it); else None."""
    if recipe.referentie != "gemeente":
        return None
    codes = frame["buurtcode"].astype(str)
    gm = frame["gemeentecode"] if "gemeentecode" in frame.columns else "GM" + codes.str[2:6]
    return pd.Series(gm.astype(str).to_numpy(), index=codes.to_numpy())


def peer_index(result: ScoreResult, settings: VergelijkSettings, frame: pd.DataFrame, candidates=None) -> PeerIndex:
    """The index over ``result``'s normalised values with the ``[vergelijk]`` settings.

    ``frame``: the buurten with their gemeentecode (see :func:`peer_groups`); ``candidates``:
    default :func:`candidates_of`."""
    normed = result.genormaliseerd
    cand = candidates_of(result) if candidates is None else np.asarray(candidates, dtype=bool)
    return PeerIndex(normed, column_weights(result.recipe, normed.columns, settings.metriek),
                     settings.min_gedeelde_indicatoren, peer_groups(frame, result.recipe), cand)


def peer_table(frame: pd.DataFrame, result: ScoreResult, found: pd.DataFrame) -> pd.DataFrame:
    """The peers with name, gemeente and quadrant: ``buurtcode``, ``buurtnaam``, ``gemeentenaam``,
    ``afstand``, ``gedeelde_indicatoren``, ``kwadrant``."""
    info = frame.set_index(frame["buurtcode"].astype(str))
    codes = found["buurtcode"]
    return pd.DataFrame({
        "buurtcode": codes.to_numpy(),
        "buurtnaam": info["buurtnaam"].reindex(codes).astype(str).to_numpy() if "buurtnaam" in info else codes.to_numpy(),
        "gemeentenaam": (info["gemeentenaam"].reindex(codes).astype(str).to_numpy() if "gemeentenaam" in info
                         else np.full(len(codes), "")),
        "afstand": found["afstand"].to_numpy(dtype="float64"),
        "gedeelde_indicatoren": found["gedeelde_indicatoren"].to_numpy(dtype="int64"),
        "kwadrant": result.scores["kwadrant"].reindex(codes).to_numpy(),
    })


def differences(result: ScoreResult, buurtcode: str, peer_codes: Iterable[str]) -> pd.DataFrame:
    """How the buurt differs from its peers on each indicator, the largest differences first.

    Returns ``kolom``, ``indicator`` (label), ``buurt`` (its normalised value),
    ``vergelijkbaar`` (the peers' mean normalised value), ``verschil`` (buurt − peers) and
    ``aantal`` (peers with a value). Indicators the buurt or every peer lacks come last.
    """
    normed = result.genormaliseerd
    peers = normed.reindex(list(peer_codes))
    own = normed.loc[buurtcode]
    mean = peers.mean(axis=0, skipna=True)
    table = pd.DataFrame({
        "kolom": normed.columns,
        "indicator": [indicators.info(k).label for k in normed.columns],
        "buurt": own.to_numpy(dtype="float64", na_value=np.nan),
        "vergelijkbaar": mean.to_numpy(dtype="float64", na_value=np.nan),
        "aantal": peers.notna().sum(axis=0).to_numpy(dtype="int64"),
    })
    table["verschil"] = table["buurt"] - table["vergelijkbaar"]
    order = table["verschil"].abs().sort_values(ascending=False, na_position="last", kind="mergesort").index
    return table.loc[order, ["kolom", "indicator", "buurt", "vergelijkbaar", "verschil", "aantal"]].reset_index(drop=True)
