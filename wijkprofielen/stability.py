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

Leaving one indicator out is only a handful of the draws, so a high share can hide that a
single indicator decides the placement. ``afhankelijk_van`` names every indicator whose
removal alone moves the buurt out of its quadrant (always computed, also with ``weglaten``
off); such a buurt is never "stevig geplaatst". Coverage in every draw is measured against
that draw's whole recipe, absent indicators included, as in the scoring.

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
from .domain import AXES, NORMALISATIONS, PLACED_QUADRANTS
from .scoring import ScoreResult, normalised_values, score

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
        ``grensgeval`` (bool), ``afhankelijk_van`` (comma-separated columns whose removal
        alone changes the quadrant; empty otherwise), ``afstand_tot_grens`` and
        ``stabiliteit_<familie>`` for each family that had draws.
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


def _axis_columns(result: ScoreResult, axis: str) -> list[str]:
    return [i.kolom for i in result.recipe.axis(axis).indicatoren if i.kolom not in result.ontbrekende_kolommen]


def _absent_weight(result: ScoreResult, axis: str) -> float:
    """The recipe weight of the axis that the dataset does not carry: missing in every draw."""
    return float(sum(i.gewicht for i in result.recipe.axis(axis).indicatoren if i.kolom in result.ontbrekende_kolommen))


def _axis_matrices(normed: pd.DataFrame, result: ScoreResult, axis: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Direction-applied values (NaN → 0), availability, and configured weights of one axis."""
    inds = [i for i in result.recipe.axis(axis).indicatoren if i.kolom not in result.ontbrekende_kolommen]
    d = np.column_stack([i.richting * normed[i.kolom].to_numpy(dtype="float64") for i in inds]) if inds \
        else np.empty((len(normed), 0))
    avail = ~np.isnan(d)
    return np.where(avail, d, 0.0), avail.astype("float64"), np.array([i.gewicht for i in inds], dtype="float64")


def _stays(values: np.ndarray, avail: np.ndarray, weights: np.ndarray, min_dekking: float, grens: float,
           base_high: np.ndarray, absent: float = 0.0, split: bool = False):
    """(buurten × draws) bool: the axis has a score on the same side of the line as the base.

    Written without a division: score ≥ grens ⇔ num − grens·den ≥ 0 (den > 0), and the
    side is folded in with a sign, so each block is a few in-place passes over memory.
    With ``split``: the pair (same side, has a score) instead.
    """
    num = values @ weights.T
    den = avail @ weights.T
    sign = np.where(base_high, 1.0, -1.0)[:, None]
    num -= grens * den
    num *= sign
    num += _EPS * den  # a crossing smaller than _EPS is rounding, not a move
    side = num >= 0
    covered = den >= (min_dekking - 1e-12) * (weights.sum(axis=1) + absent)[None, :]
    if min_dekking <= 1e-12:
        covered &= den > 0
    if split:
        return side, covered
    side &= covered
    return side


def _draws(frame: pd.DataFrame, recipe: Recipe, opts: StabilitySettings, base: ScoreResult, reference) -> tuple:
    """The alternative recipes.

    Returns ``(methods, mats, weights, method, family, weggelaten)``: the normalisation
    methods used, per method and axis the matrices of :func:`_axis_matrices`, per axis a
    (draws × k) weight array, per draw its method and family, and per draw the column it
    leaves out ("" for the other families). The leave-one-out draws are always made (for
    ``afhankelijk_van``); with ``weglaten`` off they do not count in the stability.
    """
    reference = base.referentie or reference
    other = [m for m in NORMALISATIONS if m != recipe.normalisatie][0]
    methods = [recipe.normalisatie] + ([other] if opts.andere_normalisatie else [])
    mats = {}
    for m in methods:
        normed = base.genormaliseerd if m == recipe.normalisatie else \
            normalised_values(frame, recipe, reference, m, herkomst=base.herkomst)[0]
        mats[m] = {axis: _axis_matrices(normed, base, axis) for axis in AXES}

    rng = np.random.default_rng(opts.seed)
    conc = opts.concentratie if opts.gewichten_varieren else math.inf
    # One draw = (weights per axis, normalisation, family).
    weights = {axis: dirichlet_weights(mats[recipe.normalisatie][axis][2], conc, opts.trekkingen, rng) for axis in AXES}
    method = np.array([methods[i % len(methods)] for i in range(opts.trekkingen)], dtype=object)
    family = np.where(method == recipe.normalisatie, "gewichten", "normalisatie").astype(object)
    weggelaten = [""] * opts.trekkingen
    extra = {axis: [] for axis in AXES}
    for axis in AXES:
        w = mats[recipe.normalisatie][axis][2]
        kolommen = _axis_columns(base, axis)
        for j in np.flatnonzero(w > 0):
            if (w > 0).sum() < 2:
                break  # leaving out the only indicator would leave no axis
            left = w.copy()
            left[j] = 0.0
            extra[axis].append(left)
            other_axis = [a for a in AXES if a != axis][0]
            extra[other_axis].append(mats[recipe.normalisatie][other_axis][2])
            weggelaten.append(kolommen[j])
    if extra[AXES[0]]:
        for axis in AXES:
            weights[axis] = np.vstack([weights[axis], np.array(extra[axis])])
        k = len(extra[AXES[0]])
        method = np.concatenate([method, np.full(k, recipe.normalisatie, dtype=object)])
        family = np.concatenate([family, np.full(k, "weglaten", dtype=object)])

    return methods, mats, weights, method, family, np.array(weggelaten, dtype=object)


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
    methods, mats, weights, method, family, weggelaten = _draws(frame, recipe, opts, base, reference)

    scores = base.scores
    n = len(scores)
    dk, fk = scores["draagkracht"].to_numpy(), scores["fysieke_kansen"].to_numpy()
    high = {"draagkracht": dk >= recipe.grens_draagkracht, "fysieke_kansen": fk >= recipe.grens_fysieke_kansen}
    grens = {"draagkracht": recipe.grens_draagkracht, "fysieke_kansen": recipe.grens_fysieke_kansen}
    absent = {axis: _absent_weight(base, axis) for axis in AXES}

    def stays(m: str, sel: np.ndarray) -> np.ndarray:
        stay = np.ones((n, len(sel)), dtype=bool)
        for axis in AXES:
            values, avail, _ = mats[m][axis]
            stay &= _stays(values, avail, weights[axis][sel], recipe.min_dekking, grens[axis], high[axis], absent[axis])
        return stay

    counted = (family != "weglaten") | opts.weglaten
    fam_onehot = (np.stack([family == f for f in FAMILIES], axis=1) & counted[:, None]).astype("float64")
    counts = np.zeros((n, len(FAMILIES)))
    block = max(1, _BLOCK_CELLS // max(n, 1))
    for m in methods:
        idx = np.flatnonzero((method == m) & counted)
        for start in range(0, len(idx), block):
            sel = idx[start:start + block]
            counts += stays(m, sel).astype("float64") @ fam_onehot[sel]

    per_family = fam_onehot.sum(axis=0)
    placed = scores["kwadrant"].isin(PLACED_QUADRANTS).to_numpy()
    # A flip: without the indicator, the remaining values place the buurt in another quadrant.
    # The coverage threshold is left out here: near the threshold every indicator would
    # "flip" the buurt by removing its score, which says nothing about what drives the position.
    left_out = np.flatnonzero(family == "weglaten")
    side = np.ones((n, len(left_out)), dtype=bool)
    covered = np.ones((n, len(left_out)), dtype=bool)
    for axis in AXES:
        values, avail, _ = mats[recipe.normalisatie][axis]
        s, c = _stays(values, avail, weights[axis][left_out], 0.0, grens[axis], high[axis], split=True)
        side &= s
        covered &= c
    flips = ~side & covered & placed[:, None]
    tabel = pd.DataFrame(index=scores.index)
    with np.errstate(invalid="ignore", divide="ignore"):
        tabel["stabiliteit"] = np.where(placed, counts.sum(axis=1) / per_family.sum(), np.nan)
    afstand = np.minimum(np.abs(dk - recipe.grens_draagkracht), np.abs(fk - recipe.grens_fysieke_kansen))
    tabel["grensgeval"] = placed & (afstand <= opts.grensgeval_marge)
    tabel["afhankelijk_van"] = [", ".join(dict.fromkeys(weggelaten[left_out[row]])) for row in flips]
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
    methods, mats, weights, method, family, _ = _draws(frame, recipe, opts, base, reference)
    sel = np.flatnonzero((method == recipe.normalisatie) & ((family != "weglaten") | opts.weglaten))
    placed = base.scores["kwadrant"].isin(PLACED_QUADRANTS).to_numpy()
    out = pd.DataFrame(index=base.scores.index)
    for axis in AXES:
        values, avail, _ = mats[recipe.normalisatie][axis]
        w = weights[axis][sel]
        num, den = values @ w.T, avail @ w.T
        threshold = (recipe.min_dekking - 1e-12) * (w.sum(axis=1) + _absent_weight(base, axis))
        with np.errstate(invalid="ignore", divide="ignore"):
            s = np.where((den > 0) & (den >= threshold[None, :]), num / den, np.nan)
        s[~placed] = np.nan
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows: buurten without a placement
            lo, hi = np.nanquantile(s, q, axis=1)
        out[f"{axis}_laag"], out[f"{axis}_hoog"] = lo, hi
    return out


BADGES = {
    "stevig": ("Stevig geplaatst", "Blijft in vrijwel alle alternatieve recepten in dit kwadrant, ook als één indicator "
               "wordt weggelaten."),
    "afhankelijk": ("Hangt af van één indicator", "Wisselt van kwadrant als één indicator wordt weggelaten, ook al blijft "
                    "de buurt in de meeste alternatieve recepten op haar plaats."),
    "gevoelig": ("Gevoelig voor keuzes", "Wisselt van kwadrant bij een deel van de redelijke alternatieve keuzes."),
    "grensgeval": ("Grensgeval", "Ligt dicht bij een kwadrantgrens; een kleine verandering verplaatst de buurt."),
    "geen": ("Niet geplaatst", "Onvoldoende gegevens voor een plaats in het assenkruis."),
}


def badge(stabiliteit: float, grensgeval: bool, opts: StabilitySettings | None = None, afhankelijk_van: str = "") -> str:
    """The badge key (see :data:`BADGES`) for one buurt; never "stevig" when one indicator decides."""
    opts = opts or StabilitySettings()
    if stabiliteit != stabiliteit:  # NaN: no placement
        return "geen"
    if grensgeval:
        return "grensgeval"
    if stabiliteit < opts.drempel_stevig:
        return "gevoelig"
    return "afhankelijk" if isinstance(afhankelijk_van, str) and afhankelijk_van else "stevig"


def badges(tabel: pd.DataFrame, opts: StabilitySettings | None = None) -> list[str]:
    """:func:`badge` for every row of a stability table."""
    dep = tabel["afhankelijk_van"] if "afhankelijk_van" in tabel else [""] * len(tabel)
    return [badge(s, bool(g), opts, a) for s, g, a in zip(tabel["stabiliteit"], tabel["grensgeval"], dep)]


def share_floor(value: float, digits: int = 4) -> float:
    """A share rounded down to ``digits`` decimals, so 1009/1010 never becomes 1.0."""
    if value != value:
        return value
    scale = 10 ** digits
    return math.floor(value * scale + 1e-9) / scale


def stability_opacity(values, lo: float = 0.25) -> np.ndarray:
    """Opacity 0 … 1 for points or areas: ``lo`` at stability 0 (or unknown), 1 at stability 1."""
    v = np.asarray(values, dtype="float64")
    return np.where(np.isnan(v), lo, lo + (1 - lo) * np.clip(v, 0, 1))


# Stability columns in the exported scores.
EXPORT_COLUMNS = ("stabiliteit", "grensgeval", "afhankelijk_van")


def join_stability(result: ScoreResult, stabiliteit) -> ScoreResult:
    """A copy of ``result`` whose scores carry :data:`EXPORT_COLUMNS` of ``stabiliteit``.

    ``stabiliteit`` is a :class:`StabilityResult` or its ``tabel``. The original result is
    left as it is (the app caches and shares it).
    """
    tabel = getattr(stabiliteit, "tabel", stabiliteit)
    tabel = tabel[[c for c in EXPORT_COLUMNS if c in tabel.columns]]
    scores = result.scores.drop(columns=list(EXPORT_COLUMNS), errors="ignore").join(tabel)
    return replace(result, scores=scores)
