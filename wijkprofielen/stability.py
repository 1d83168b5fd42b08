"""How sure is a placement: the share of reasonable alternative recipes that keep a buurt in its quadrant.

Around the configured recipe we draw alternatives (settings in ``[stabiliteit]``):

* **gewichten**: weights per axis drawn from a Dirichlet distribution centred on the
  configured weights; a higher ``concentratie`` means smaller perturbations;
* **normalisatie**: every second weight draw uses the other normalisation method
  (``zscore`` ↔ ``percentiel``), when ``andere_normalisatie`` is on;
* **weglaten**: each indicator left out in turn (configured weights otherwise), when
  ``weglaten`` is on.

``stabiliteit`` is the share of all these draws in which the buurt stays in the quadrant of
the configured recipe (0 … 1); the same share per family is kept as well. A buurt whose
score lies within ``grensgeval_marge`` of a quadrant line is a ``grensgeval``.

Everything is matrix algebra over (buurten × draws) blocks: axis score = (values @ weights)
/ (available @ weights), with missing values never counted as zero, exactly as in
:func:`wijkprofielen.scoring.score`. Only blocks of draws are looped over, to bound memory.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .config import Recipe, StabilitySettings
from .domain import AXES, NORMALISATIONS
from .scoring import QUADRANT_MISSING, ScoreResult, normalised_values, score

FAMILIES = ("gewichten", "normalisatie", "weglaten")
# A draw whose score crosses a line by less than this has not moved: it guards against
# rounding differences between the matrix products and the scoring of the base recipe.
_EPS = 1e-9
_BLOCK_CELLS = 4_000_000  # buurten × draws per block (about 32 MB per float64 matrix)


@dataclass
class StabilityResult:
    """The outcome of :func:`stability`.

    Attributes
    ----------
    tabel : DataFrame
        Indexed by buurtcode: ``stabiliteit`` (0 … 1, NaN without a placement),
        ``grensgeval`` (bool), ``afstand_tot_grens`` and ``stabiliteit_<familie>`` for
        each family that had draws.
    trekkingen : dict
        Number of draws per family.
    settings : StabilitySettings
    """

    tabel: pd.DataFrame
    trekkingen: dict[str, int]
    settings: StabilitySettings

    @property
    def totaal(self) -> int:
        return sum(self.trekkingen.values())


def dirichlet_weights(weights: np.ndarray, concentration: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` weight vectors around ``weights`` (same sum); zero weights stay zero.

    Drawn as normalised gamma variates, the textbook construction of a Dirichlet
    distribution with parameters ``concentration * weights / weights.sum()``.
    """
    w = np.asarray(weights, dtype="float64")
    total = w.sum()
    out = np.broadcast_to(w, (n, len(w))).copy()
    active = w > 0
    if not math.isfinite(concentration) or active.sum() < 2:
        return out
    g = rng.standard_gamma(concentration * w[active] / total, size=(n, int(active.sum())))
    sums = g.sum(axis=1, keepdims=True)
    ok = sums[:, 0] > 0  # extremely small alphas can underflow to all zeros: keep the base weights
    out[np.ix_(ok, np.flatnonzero(active))] = g[ok] / sums[ok] * total
    return out


def _axis_matrices(normed: pd.DataFrame, result: ScoreResult, axis: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Direction-applied values (NaN → 0), availability, and configured weights of one axis."""
    inds = [i for i in result.recipe.axis(axis).indicatoren if i.kolom not in result.ontbrekende_kolommen]
    d = np.column_stack([i.richting * normed[i.kolom].to_numpy(dtype="float64") for i in inds]) if inds \
        else np.empty((len(normed), 0))
    avail = ~np.isnan(d)
    return np.where(avail, d, 0.0), avail.astype("float64"), np.array([i.gewicht for i in inds], dtype="float64")


def _stays(values: np.ndarray, avail: np.ndarray, weights: np.ndarray, min_dekking: float, grens: float,
           base_high: np.ndarray) -> np.ndarray:
    """(buurten × draws) bool: the axis has a score on the same side of the line as the base.

    Written without a division: score ≥ grens ⇔ num − grens·den ≥ 0 (den > 0), and the
    side is folded in with a sign, so each block is a few in-place passes over memory.
    """
    num = values @ weights.T
    den = avail @ weights.T
    sign = np.where(base_high, 1.0, -1.0)[:, None]
    num -= grens * den
    num *= sign
    num += _EPS * den  # a crossing smaller than _EPS is rounding, not a move
    ok = num >= 0
    ok &= den >= (min_dekking - 1e-12) * weights.sum(axis=1)[None, :]
    if min_dekking <= 1e-12:
        ok &= den > 0
    return ok


def _draws(frame: pd.DataFrame, recipe: Recipe, opts: StabilitySettings, base: ScoreResult, reference) -> tuple:
    """The alternative recipes.

    Returns ``(methods, mats, weights, method, family)``: the normalisation methods used,
    per method and axis the matrices of :func:`_axis_matrices`, per axis a (draws × k)
    weight array, and per draw its method and family.
    """
    reference = base.referentie or reference
    other = [m for m in NORMALISATIONS if m != recipe.normalisatie][0]
    methods = [recipe.normalisatie] + ([other] if opts.andere_normalisatie else [])
    mats = {}
    for m in methods:
        normed = base.genormaliseerd if m == recipe.normalisatie else normalised_values(frame, recipe, reference, m)[0]
        mats[m] = {axis: _axis_matrices(normed, base, axis) for axis in AXES}

    rng = np.random.default_rng(opts.seed)
    conc = opts.concentratie if opts.gewichten_varieren else math.inf
    # One draw = (weights per axis, normalisation, family).
    weights = {axis: dirichlet_weights(mats[recipe.normalisatie][axis][2], conc, opts.trekkingen, rng) for axis in AXES}
    method = np.array([methods[i % len(methods)] for i in range(opts.trekkingen)], dtype=object)
    family = np.where(method == recipe.normalisatie, "gewichten", "normalisatie").astype(object)
    if opts.weglaten:
        extra = {axis: [] for axis in AXES}
        for axis in AXES:
            w = mats[recipe.normalisatie][axis][2]
            for j in np.flatnonzero(w > 0):
                if (w > 0).sum() < 2:
                    break  # leaving out the only indicator would leave no axis
                left = w.copy()
                left[j] = 0.0
                extra[axis].append(left)
                other_axis = [a for a in AXES if a != axis][0]
                extra[other_axis].append(mats[recipe.normalisatie][other_axis][2])
        if extra[AXES[0]]:
            for axis in AXES:
                weights[axis] = np.vstack([weights[axis], np.array(extra[axis])])
            k = len(extra[AXES[0]])
            method = np.concatenate([method, np.full(k, recipe.normalisatie, dtype=object)])
            family = np.concatenate([family, np.full(k, "weglaten", dtype=object)])

    return methods, mats, weights, method, family


def stability(frame: pd.DataFrame, recipe: Recipe, opts: StabilitySettings | None = None,
              base: ScoreResult | None = None, reference=None) -> StabilityResult:
    """Stability and grensgeval per buurt under alternative recipes.

    Parameters
    ----------
    frame : DataFrame
        As for :func:`~wijkprofielen.scoring.score`.
    recipe : Recipe
        The configured recipe; its quadrant is the one a buurt should stay in.
    opts : StabilitySettings, optional
        Defaults to :class:`StabilitySettings()`.
    base : ScoreResult, optional
        The score of ``recipe`` on ``frame`` when already computed.
    reference : ReferenceSet, optional
        For an external reference, as for :func:`~wijkprofielen.scoring.score`.

    Returns
    -------
    StabilityResult
    """
    opts = opts or StabilitySettings()
    base = base or score(frame, recipe, reference)
    methods, mats, weights, method, family = _draws(frame, recipe, opts, base, reference)

    scores = base.scores
    n = len(scores)
    dk, fk = scores["draagkracht"].to_numpy(), scores["fysieke_kansen"].to_numpy()
    high = {"draagkracht": dk >= recipe.grens_draagkracht, "fysieke_kansen": fk >= recipe.grens_fysieke_kansen}
    grens = {"draagkracht": recipe.grens_draagkracht, "fysieke_kansen": recipe.grens_fysieke_kansen}
    fam_onehot = np.stack([family == f for f in FAMILIES], axis=1).astype("float64")
    counts = np.zeros((n, len(FAMILIES)))
    block = max(1, _BLOCK_CELLS // max(n, 1))
    for m in methods:
        idx = np.flatnonzero(method == m)
        for start in range(0, len(idx), block):
            sel = idx[start:start + block]
            stay = np.ones((n, len(sel)), dtype=bool)
            for axis in AXES:
                values, avail, _ = mats[m][axis]
                stay &= _stays(values, avail, weights[axis][sel], recipe.min_dekking, grens[axis], high[axis])
            counts += stay.astype("float64") @ fam_onehot[sel]

    per_family = fam_onehot.sum(axis=0)
    placed = (scores["kwadrant"] != QUADRANT_MISSING).to_numpy()
    tabel = pd.DataFrame(index=scores.index)
    with np.errstate(invalid="ignore", divide="ignore"):
        tabel["stabiliteit"] = np.where(placed, counts.sum(axis=1) / per_family.sum(), np.nan)
    afstand = np.minimum(np.abs(dk - recipe.grens_draagkracht), np.abs(fk - recipe.grens_fysieke_kansen))
    tabel["grensgeval"] = placed & (afstand <= opts.grensgeval_marge)
    tabel["afstand_tot_grens"] = np.where(placed, afstand, np.nan)
    for j, f in enumerate(FAMILIES):
        if per_family[j]:
            tabel[f"stabiliteit_{f}"] = np.where(placed, counts[:, j] / per_family[j], np.nan)
    return StabilityResult(tabel, {f: int(per_family[j]) for j, f in enumerate(FAMILIES)}, opts)


def score_intervals(frame: pd.DataFrame, recipe: Recipe, opts: StabilitySettings | None = None,
                    base: ScoreResult | None = None, reference=None, q: tuple[float, float] = (0.1, 0.9)) -> pd.DataFrame:
    """Per buurt the ``q`` quantiles of both axis scores over the draws, for an uncertainty cross.

    Only draws with the configured normalisation are used (weights and left-out
    indicators): the other normalisation has another scale, so its scores cannot be put on
    the same axes. Meant for the buurten of one chart: it holds (buurten × draws) scores.

    Returns
    -------
    DataFrame
        Indexed by buurtcode: ``draagkracht_laag``, ``draagkracht_hoog``,
        ``fysieke_kansen_laag``, ``fysieke_kansen_hoog`` (NaN without a placement).
    """
    opts = opts or StabilitySettings()
    base = base or score(frame, recipe, reference)
    methods, mats, weights, method, _ = _draws(frame, recipe, opts, base, reference)
    sel = np.flatnonzero(method == recipe.normalisatie)
    placed = (base.scores["kwadrant"] != QUADRANT_MISSING).to_numpy()
    out = pd.DataFrame(index=base.scores.index)
    for axis in AXES:
        values, avail, _ = mats[recipe.normalisatie][axis]
        w = weights[axis][sel]
        num, den = values @ w.T, avail @ w.T
        with np.errstate(invalid="ignore", divide="ignore"):
            s = np.where((den > 0) & (den >= (recipe.min_dekking - 1e-12) * w.sum(axis=1)[None, :]), num / den, np.nan)
        s[~placed] = np.nan
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: buurten without a placement
            lo, hi = np.nanquantile(s, q, axis=1)
        out[f"{axis}_laag"], out[f"{axis}_hoog"] = lo, hi
    return out


BADGES = {
    "stevig": ("Stevig geplaatst", "Blijft in vrijwel alle alternatieve recepten in dit kwadrant."),
    "gevoelig": ("Gevoelig voor keuzes", "Wisselt van kwadrant bij een deel van de redelijke alternatieve keuzes."),
    "grensgeval": ("Grensgeval", "Ligt dicht bij een kwadrantgrens; een kleine verandering verplaatst de buurt."),
    "geen": ("Niet geplaatst", "Onvoldoende gegevens voor een plaats in het assenkruis."),
}


def badge(stabiliteit: float, grensgeval: bool, opts: StabilitySettings | None = None) -> str:
    """The badge key (see :data:`BADGES`) for one buurt."""
    opts = opts or StabilitySettings()
    if stabiliteit != stabiliteit:  # NaN: no placement
        return "geen"
    if grensgeval:
        return "grensgeval"
    return "stevig" if stabiliteit >= opts.drempel_stevig else "gevoelig"


def stability_opacity(values, lo: float = 0.25) -> np.ndarray:
    """Opacity 0 … 1 for points or areas: ``lo`` at stability 0 (or unknown), 1 at stability 1."""
    v = np.asarray(values, dtype="float64")
    return np.where(np.isnan(v), lo, lo + (1 - lo) * np.clip(v, 0, 1))


# Stability columns in the exported scores.
EXPORT_COLUMNS = ("stabiliteit", "grensgeval")


def join_stability(result: ScoreResult, stabiliteit) -> ScoreResult:
    """A copy of ``result`` whose scores carry :data:`EXPORT_COLUMNS` of ``stabiliteit``.

    ``stabiliteit`` is a :class:`StabilityResult` or its ``tabel``. The original result is
    left as it is (the app caches and shares it).
    """
    tabel = getattr(stabiliteit, "tabel", stabiliteit)[list(EXPORT_COLUMNS)]
    scores = result.scores.drop(columns=list(EXPORT_COLUMNS), errors="ignore").join(tabel)
    return replace(result, scores=scores)
