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
pattern *P* with at least :data:`TREE_MIN_ROWS` rows one :class:`scipy.spatial.cKDTree` holds
its rows over the columns of *P*, scaled by ``sqrt(w)``. Within one pattern the shared set
*S = Q ∩ P* of a query with pattern *Q* is the same for every row, so the denominator is
constant and the tree's Euclidean order is the order of the distance above. When the buurt has
every column of *P* (*S = P*, the usual case: most buurten have every value) the tree gives
that pattern's *k* nearest, ties at the k-th distance all included (a ball query). A large
pattern (:data:`PROJECT_MIN_ROWS`) with a column the buurt lacks answers from a tree over the
shared columns, built on first use and kept. The rows of the other patterns are compared one
by one (vectorised). Every candidate's distance is then computed with one formula and the best *k*
kept, so the result equals the brute force (:func:`peers_brute_force`) exactly.

Candidates are the buurten that form the reference (at least ``min_inwoners`` inhabitants:
the same rule as the scores). With ``referentie = "gemeente"`` only buurten of the buurt's own
gemeente count; with ``dataset``, ``nederland`` or ``stedelijkheid`` every buurt of the
loaded data (a national dataset gives national peers), normalised against that reference.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import indicators
from .config import Recipe, VergelijkSettings
from .domain import PEER_METRICS, QUADRANT_NO_INHABITANTS, QUADRANT_TOO_SMALL
from .errors import ConfigError, DataError
from .scoring import ScoreResult

if TYPE_CHECKING:
    from scipy.spatial import cKDTree


def column_weights(recipe: Recipe, columns: Iterable[str], metriek: str = "rms") -> np.ndarray:
    """The weight of each column in the distance: 1, or the recipe's weight summed over both axes."""
    columns = list(columns)
    if metriek == "rms":
        return np.ones(len(columns))
    if metriek != "gewogen":
        raise ConfigError(f"Vergelijk: metriek {metriek!r} is onbekend. Kies uit: {', '.join(PEER_METRICS)}.")
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
    """The ``k`` smallest distances, ties broken by buurtcode."""
    codes = np.asarray(codes, dtype=str)
    if len(afstand) > k:  # keep the k smallest and everything tied with the k-th
        keep = afstand <= np.partition(afstand, k - 1)[k - 1]
        codes, afstand, gedeeld = codes[keep], afstand[keep], gedeeld[keep]
    order = np.lexsort((codes, afstand))[:k]
    return pd.DataFrame({"buurtcode": codes[order].astype(object), "afstand": afstand[order],
                         "gedeelde_indicatoren": gedeeld[order].astype("int64")})


TREE_MIN_ROWS = 64  # a missingness pattern with fewer rows is searched by brute force: a tree would not pay
PROJECT_MIN_ROWS = 1024  # from this size a pattern also gets trees over fewer columns, built on first use


class _Part:
    """The candidate rows of one missingness pattern, with KD-trees over its columns (and subsets)."""

    def __init__(self, pattern: np.ndarray, rows: np.ndarray, x: np.ndarray):
        self.pattern, self.rows, self._x = pattern, rows, x
        self._trees: dict[bytes, cKDTree] = {}
        self._tree(pattern)

    def _tree(self, cols: np.ndarray) -> cKDTree:
        key = np.packbits(cols).tobytes()
        if key not in self._trees:
            from scipy.spatial import cKDTree  # on first use: 25 MB an app server need not hold before

            self._trees[key] = cKDTree(self._x[np.ix_(self.rows, np.flatnonzero(cols))])
        return self._trees[key]

    def nearest(self, q: np.ndarray, cols: np.ndarray, k: int) -> np.ndarray:
        """Rows (positions in the index) among the ``k`` nearest to ``q`` over ``cols``, ties at the k-th included."""
        if len(self.rows) <= k + 1:
            return self.rows
        tree, point = self._tree(cols), q[cols]
        d, found = tree.query(point, k=k + 1)
        if d[k] > d[k - 1] * (1 + 1e-9) + 1e-12:  # no tie at the k-th distance: the k nearest suffice
            return self.rows[found[:k]]
        found = tree.query_ball_point(point, d[k - 1] * (1 + 1e-9) + 1e-12)
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
    tree_min_rows : int
        Patterns with fewer rows are searched by brute force.
    project_min_rows : int
        Patterns with at least this many rows answer a buurt that lacks some of their columns
        from a tree over the shared columns (built on first use, then kept).
    """

    def __init__(self, normed: pd.DataFrame, weights=None, min_gedeeld: int = 5, groups: pd.Series | None = None,
                 candidates=None, tree_min_rows: int = TREE_MIN_ROWS, project_min_rows: int = PROJECT_MIN_ROWS):
        w = np.ones(normed.shape[1]) if weights is None else np.asarray(weights, dtype="float64")
        keep = w > 0
        self.columns = list(normed.columns[keep])
        self.codes = np.asarray(normed.index.astype(str), dtype=str)
        self.w = w[keep]
        self.raw = normed.to_numpy(dtype="float64", na_value=np.nan)[:, keep]
        x = self.raw * np.sqrt(self.w)  # scaled: the tree's Euclidean distance carries the weights
        self.min_gedeeld = int(min_gedeeld)
        self._project_min = int(project_min_rows)
        self._row = {c: i for i, c in enumerate(self.codes)}
        group = (np.zeros(len(self.codes), dtype=np.intp) if groups is None
                 else pd.factorize(pd.Series(groups).reindex(self.codes).astype(str).to_numpy())[0])
        self._group = group
        self._x = x
        cand = np.ones(len(self.codes), dtype=bool) if candidates is None else np.asarray(candidates, dtype=bool)
        observed = ~np.isnan(x)
        usable = cand & (observed.sum(axis=1) >= self.min_gedeeld)
        self._parts: dict[int, list[_Part]] = {}
        self._rest: dict[int, np.ndarray] = {}  # per group the rows of small patterns
        if usable.any():
            keys = np.column_stack([group[usable], observed[usable]]).astype(np.int64)
            patterns, inverse = np.unique(keys, axis=0, return_inverse=True)
            where = np.flatnonzero(usable)
            rest: dict[int, list[np.ndarray]] = {}
            for p, key in enumerate(patterns):
                rows, g = where[inverse.ravel() == p], int(key[0])
                if len(rows) >= tree_min_rows:
                    self._parts.setdefault(g, []).append(_Part(key[1:].astype(bool), rows, x))
                else:
                    rest.setdefault(g, []).append(rows)
            self._rest = {g: np.concatenate(r) for g, r in rest.items()}

    def __len__(self) -> int:
        return len(self.codes)

    def __contains__(self, buurtcode: str) -> bool:
        return buurtcode in self._row

    @property
    def trees(self) -> int:
        """The number of KD-trees (missingness patterns with at least ``tree_min_rows`` rows)."""
        return sum(len(p) for p in self._parts.values())

    def query(self, buurtcode: str, k: int = 8, exclude: Iterable[str] = ()) -> pd.DataFrame:
        """The ``k`` nearest peers of ``buurtcode``: ``buurtcode``, ``afstand``,
        ``gedeelde_indicatoren``, sorted by distance (then buurtcode); never the buurt itself
        nor the codes in ``exclude``.

        A tree answers for a pattern whose columns the buurt all has (then the shared set is
        the pattern), and for a large pattern over the shared columns; the rows of other
        patterns are compared one by one."""
        if buurtcode not in self._row:
            raise DataError(f"Buurt {buurtcode} staat niet in de dataset. Kies een buurtcode uit de data (BU…).")
        i = self._row[buurtcode]
        skip = np.array([i, *(self._row[c] for c in exclude if c in self._row)], dtype=np.intp)
        q = self._x[i]
        have = ~np.isnan(q)
        if have.sum() < self.min_gedeeld:
            return _empty()
        g = int(self._group[i])
        rows = [self._rest.get(g, np.empty(0, dtype=np.intp))]
        for part in self._parts.get(g, []):
            cols = part.pattern & have
            if cols.sum() < self.min_gedeeld:
                continue
            if len(part.rows) >= self._project_min or not (part.pattern & ~have).any():
                rows.append(part.nearest(q, cols, k + len(skip)))
            else:
                rows.append(part.rows)
        rows = np.concatenate(rows)
        rows = rows[~np.isin(rows, skip)]
        afstand, gedeeld = _distances(self.raw[rows], self.raw[i], self.w)
        ok = gedeeld >= self.min_gedeeld
        return _ranked(self.codes[rows[ok]], afstand[ok], gedeeld[ok], k)


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
    codes = found["buurtcode"].to_numpy()
    # The scores have the frame's rows in the frame's order; their index keeps its lookup table.
    pos = result.scores.index.get_indexer(codes)

    def column(name: str) -> np.ndarray:
        return frame[name].iloc[pos].astype(str).to_numpy() if name in frame.columns else np.full(len(codes), "")

    return pd.DataFrame({
        "buurtcode": codes,
        "buurtnaam": column("buurtnaam"),
        "gemeentenaam": column("gemeentenaam"),
        "afstand": found["afstand"].to_numpy(dtype="float64"),
        "gedeelde_indicatoren": found["gedeelde_indicatoren"].to_numpy(dtype="int64"),
        "kwadrant": result.scores["kwadrant"].iloc[pos].to_numpy(),
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
