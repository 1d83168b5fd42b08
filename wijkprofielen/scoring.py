"""Place buurten on the two axes: transparent, configurable scoring.

For each axis the recipe lists indicators with a direction (``richting``), a weight
(``gewicht``) and a sub-axis. The steps, all vectorised:

1. Normalise every indicator against a reference set of buurten: by default the buurten
   of the same gemeente (``referentie = "gemeente"``), or all buurten in the dataset.
   ``zscore`` gives (x − mean) / sd, clipped to ±``clip``; ``percentiel`` gives the
   mid-rank percentile mapped to −1 … 1. Both are invariant to the unit of a column.
2. Multiply by the direction, so higher always means higher on the axis.
3. The axis score is the weighted mean of the buurt's *available* indicators. Missing
   values never count as zero: they lower ``dekking``, the share of the axis weight **of
   the whole recipe** that is available. An indicator the dataset does not carry at all is
   missing weight too (listed in :attr:`ScoreResult.ontbrekende_kolommen`). Below
   ``min_dekking`` the axis has no score.
4. The quadrant follows from both scores and the configured boundaries.
5. A buurt with fewer than ``min_inwoners`` inhabitants gets no quadrant
   (``te_weinig_inwoners``), nor does a buurt without an inhabitant count
   (``geen_inwonersaantal``: no Kerncijfers row); both stay out of the reference
   statistics (mean, spread, percentiles), so they never move other buurten. A dataset
   without an ``inwoners`` column cannot apply the rule; :attr:`ScoreResult.inwonersregel`
   says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import indicators
from .config import Recipe
from .domain import (
    AXES, EXTERNAL_REFERENCES, INVERTED_SUBAXES, PLACED_QUADRANTS, QUADRANT_MISSING, QUADRANT_NO_INHABITANTS,
    QUADRANT_TOO_SMALL, SUBAXES,
)
from .errors import ConfigError, DataError
from .reference import ReferenceSet, normalise_external


@dataclass
class ScoreResult:
    """The outcome of :func:`score`.

    Attributes
    ----------
    scores : DataFrame
        Indexed by buurtcode: ``draagkracht``, ``fysieke_kansen``,
        ``dekking_draagkracht``, ``dekking_fysieke_kansen`` (share of the whole recipe's
        axis weight), the sub-scores ``sub_draagkracht``, ``sub_draaglast`` (high =
        heavier load), ``sub_ruimte``, ``sub_opgave``, and ``kwadrant`` (one of
        :data:`~wijkprofielen.domain.QUADRANTS`).
    bijdragen : DataFrame
        Per buurt and ``(as, kolom)``: the indicator's contribution to the axis score.
        Contributions of one axis add up to the axis score; NaN where the value is missing.
    genormaliseerd : DataFrame
        Per buurt and column: the normalised value before the direction is applied.
    recipe : Recipe
        The recipe used.
    ontbrekende_kolommen : list of str
        Recipe columns that are absent from the dataset and were left out.
    recept_dekking : dict
        Per axis, the share of the recipe weight that the dataset carries at all.
    referentie : ReferenceSet or None
        The external reference used (None for ``gemeente``/``dataset``).
    referentie_terugval : list of str
        Columns the external reference does not cover, normalised against the gemeente.
    terugval_redenen : dict
        ``{kolom: reason}`` for each fall-back column (not in the reference, or another
        year or level than the reference statistic).
    herkomst : dict or None
        ``{kolom: {(jaar, niveau), …}}``: the year and level of the scored values.
    inwonersregel : str
        ``"toegepast"``, ``"uit"`` (``min_inwoners = 0``) or ``"geen inwoners"`` (the data
        has no ``inwoners`` column, so no buurt could be excluded).
    """

    scores: pd.DataFrame
    bijdragen: pd.DataFrame
    genormaliseerd: pd.DataFrame
    recipe: Recipe
    ontbrekende_kolommen: list[str]
    recept_dekking: dict[str, float]
    referentie: object = None
    referentie_terugval: list[str] = field(default_factory=list)
    terugval_redenen: dict[str, str] = field(default_factory=dict)
    herkomst: dict | None = None
    inwonersregel: str = "toegepast"

    def gebruikte_kolommen(self, axis: str) -> list[str]:
        """Columns the axis score rests on for this dataset."""
        return [i.kolom for i in self.recipe.axis(axis).indicatoren if i.kolom not in self.ontbrekende_kolommen]

    def ontbrekend(self, axis: str) -> list[str]:
        """Recipe columns of ``axis`` (with weight) that the dataset does not carry."""
        return [i.kolom for i in self.recipe.axis(axis).indicatoren
                if i.kolom in self.ontbrekende_kolommen and i.gewicht > 0]

    def geplaatst(self) -> pd.Series:
        """True for buurten with a quadrant."""
        return self.scores["kwadrant"].isin(PLACED_QUADRANTS)


def check_recipe_columns(recipe: Recipe, columns) -> list[str]:
    """Return recipe columns absent from ``columns``; raise for columns nobody knows.

    A column that is neither in the data nor in the indicator catalogue is a typo in the
    recipe, not a data gap, so it raises :class:`ConfigError`.
    """
    present = set(columns)
    known = indicators.catalogue()
    unknown = [k for k in recipe.kolommen if k not in present and k not in known]
    if unknown:
        raise ConfigError(
            f"Recept: kolom(men) {', '.join(unknown)} bestaan niet in de data en zijn geen bekende indicator. "
            "Controleer de spelling in config.toml (zie wijkprofielen/indicatoren.toml voor de namen)."
        )
    return [k for k in recipe.kolommen if k not in present]


def normalise(values: pd.DataFrame, method: str, groups: pd.Series | None = None, clip: float = 3.0,
              include: np.ndarray | None = None) -> pd.DataFrame:
    """Normalise each column against its reference group.

    Parameters
    ----------
    values : DataFrame
        Numeric columns; NaN stays NaN.
    method : {"zscore", "percentiel"}
    groups : Series, optional
        Reference group per row (e.g. gemeentecode). None: all rows form one group.
    clip : float
        z-scores are clipped to ``[-clip, clip]``.
    include : array of bool, optional
        Rows that form the reference (mean, spread, percentiles); the other rows are
        normalised against it without changing it. None: every row.

    Examples
    --------
    >>> df = pd.DataFrame({"x": [1.0, 2.0, 3.0]})
    >>> normalise(df, "percentiel")["x"].round(3).tolist()
    [-0.667, 0.0, 0.667]
    """
    if groups is None:
        groups = pd.Series(0, index=values.index)
    if values.shape[1] == 0:  # no recipe column in the data: nothing to normalise (groupby would fail)
        return values.astype("float64")
    keys = groups.to_numpy()
    ref = values if include is None else values.where(pd.Series(np.asarray(include, dtype=bool), index=values.index), axis=0)
    grouped = ref.groupby(keys, sort=False)
    count = grouped.transform("count")
    if method == "zscore":
        mean = grouped.transform("mean")
        # The cythonised group std: a Python lambda per group costs ~0.35 s for 340 gemeenten.
        sd = grouped.transform("std", ddof=0)
        z = (values - mean) / sd.where(sd > 0)
        # A constant indicator, or a reference of one buurt, carries no contrast: neutral.
        z = z.mask(values.notna() & z.isna() & (count > 0), 0.0)
        return z.clip(-clip, clip)
    if method == "percentiel":
        out = 2 * (grouped.rank(method="average") - 0.5) / count - 1
        outside = values.notna() & ref.isna()
        if outside.to_numpy().any():  # excluded rows: their mid-rank position among the reference rows
            for g in pd.unique(keys[outside.any(axis=1).to_numpy()]):
                rows = keys == g
                for kolom in values.columns[outside[rows].any(axis=0).to_numpy()]:
                    ordered = np.sort(ref.loc[rows, kolom].dropna().to_numpy(dtype="float64"))
                    mask = rows & outside[kolom].to_numpy()
                    out.loc[mask, kolom] = _mid_rank(ordered, values.loc[mask, kolom].to_numpy(dtype="float64"))
        return out
    raise ConfigError(f"Normalisatie {method!r} is onbekend. Kies 'zscore' of 'percentiel'.")


def _mid_rank(ordered: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The mid-rank position of ``x`` in the sorted reference values, mapped to −1 … 1."""
    if not len(ordered):
        return np.full(len(x), np.nan)
    lo = np.searchsorted(ordered, x, side="left")
    hi = np.searchsorted(ordered, x, side="right")
    return np.where(np.isnan(x), np.nan, (lo + hi) / len(ordered) - 1)


def inhabitant_rule(frame: pd.DataFrame, recipe: Recipe) -> tuple[np.ndarray, np.ndarray, str]:
    """Which buurten form the reference, and why the others get no quadrant.

    Returns
    -------
    include : array of bool
        True where the buurt has at least ``min_inwoners`` inhabitants.
    codes : array of object
        Per buurt ``None``, :data:`QUADRANT_TOO_SMALL` or :data:`QUADRANT_NO_INHABITANTS`.
    regel : str
        ``"toegepast"``, ``"uit"`` or ``"geen inwoners"`` (see :attr:`ScoreResult.inwonersregel`).
    """
    n = len(frame)
    codes = np.full(n, None, dtype=object)
    if recipe.min_inwoners <= 0:
        return np.ones(n, dtype=bool), codes, "uit"
    if "inwoners" not in frame.columns:
        return np.ones(n, dtype=bool), codes, "geen inwoners"
    inwoners = pd.to_numeric(frame["inwoners"], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    unknown = ~np.isfinite(inwoners)
    small = ~unknown & (inwoners < recipe.min_inwoners)
    codes[small] = QUADRANT_TOO_SMALL
    codes[unknown] = QUADRANT_NO_INHABITANTS
    return ~(small | unknown), codes, "toegepast"


def quadrant(draagkracht, fysieke_kansen, recipe: Recipe) -> np.ndarray:
    """Quadrant codes for pairs of scores; NaN on either axis gives ``onvoldoende_data``."""
    dk = np.asarray(draagkracht, dtype=float)
    fk = np.asarray(fysieke_kansen, dtype=float)
    hl_dk = np.where(dk >= recipe.grens_draagkracht, "hoog", "laag")
    hl_fk = np.where(fk >= recipe.grens_fysieke_kansen, "hoog", "laag")
    codes = np.char.add(np.char.add(hl_dk, "_"), hl_fk).astype(object)
    codes[np.isnan(dk) | np.isnan(fk)] = QUADRANT_MISSING
    return codes


def _gemeentecodes(frame: pd.DataFrame, index: pd.Index) -> pd.Series:
    gm = frame["gemeentecode"] if "gemeentecode" in frame.columns else "GM" + frame["buurtcode"].astype(str).str[2:6]
    return pd.Series(gm.to_numpy(), index=index)


def normalised_values(frame: pd.DataFrame, recipe: Recipe, reference=None, method: str | None = None,
                      herkomst: dict | None = None, in_referentie: np.ndarray | None = None):
    """The recipe's indicator columns normalised against the recipe's reference.

    Parameters
    ----------
    frame : DataFrame
    recipe : Recipe
    reference : ReferenceSet, optional
        Required for ``referentie = "nederland"`` or ``"stedelijkheid"`` (see
        :meth:`wijkprofielen.workspace.Workspace.reference`).
    method : str, optional
        Override the recipe's normalisation (used by the stability analysis).
    herkomst : dict, optional
        ``{kolom: {(jaar, niveau), …}}`` of the values (see
        :func:`wijkprofielen.reference.value_origins`); an external reference statistic is
        used only for values of its own year and level.

    Returns
    -------
    normed : DataFrame
        Per buurt and used column, the normalised value (direction not applied).
    absent : list of str
        Recipe columns absent from the data.
    reference : ReferenceSet or None
        The external reference used.
    terugval : dict
        ``{kolom: reason}``: columns the external reference does not cover (or not for
        this year and level), normalised against the gemeente.
    """
    if "buurtcode" not in frame.columns:
        raise DataError("De data mist de kolom 'buurtcode'.")
    method = method or recipe.normalisatie
    absent = check_recipe_columns(recipe, frame.columns)
    index = pd.Index(frame["buurtcode"].astype(str), name="buurtcode")
    used = [k for k in recipe.kolommen if k not in absent]
    raw = pd.DataFrame(index=index)
    for k in used:
        col = frame[k]
        if not pd.api.types.is_numeric_dtype(col):
            col = pd.to_numeric(col, errors="coerce")
        raw[k] = col.to_numpy(dtype="float64", na_value=np.nan)
    raw = raw.mask(~np.isfinite(raw))
    gemeenten = _gemeentecodes(frame, index)
    include = inhabitant_rule(frame, recipe)[0]
    if in_referentie is not None:
        include = include & np.asarray(in_referentie, dtype=bool)
    if recipe.referentie in EXTERNAL_REFERENCES:
        if not isinstance(reference, ReferenceSet) or reference.naam != recipe.referentie:
            raise ConfigError(
                f"Referentie '{recipe.referentie}' vergelijkt met de landelijke CBS-extracten: geef die referentie mee "
                "(Workspace.reference(frame)) of kies referentie \"gemeente\" of \"dataset\"."
            )
        normed, terugval = normalise_external(raw, method, reference, gemeenten, recipe.clip, herkomst, include)
        if terugval:
            normed = normed.join(normalise(raw[list(terugval)], method, gemeenten, recipe.clip, include))
        return normed[used], absent, reference, terugval
    groups = gemeenten if recipe.referentie == "gemeente" else None
    return normalise(raw, method, groups, recipe.clip, include), absent, None, {}


def score(frame: pd.DataFrame, recipe: Recipe, reference=None, herkomst: dict | None = None,
          in_referentie: np.ndarray | None = None) -> ScoreResult:
    """Score every buurt on both axes.

    Parameters
    ----------
    frame : DataFrame
        One row per buurt with ``buurtcode``, indicator columns and, for
        ``referentie = "gemeente"``, ``gemeentecode`` (derived from the buurtcode if absent).
    recipe : Recipe
    reference : ReferenceSet, optional
        Precomputed statistics for an external reference (``nederland``,
        ``stedelijkheid``); see :mod:`wijkprofielen.reference`.
    herkomst : dict, optional
        Year and level of the values per column (see :func:`normalised_values`); default
        ``frame.attrs["herkomst"]`` when present.
    in_referentie : array of bool, optional
        Rows that may form the reference (see :func:`normalised_values`); the other rows
        are scored and placed against it.

    Returns
    -------
    ScoreResult
    """
    herkomst = herkomst if herkomst is not None else frame.attrs.get("herkomst")
    normed, absent, reference, terugval = normalised_values(frame, recipe, reference, herkomst=herkomst,
                                                            in_referentie=in_referentie)
    include, excluded, regel = inhabitant_rule(frame, recipe)
    index = normed.index
    out = pd.DataFrame(index=index)
    contributions = {}
    recept_dekking = {}
    for axis_name in AXES:
        axis = recipe.axis(axis_name)
        inds = [i for i in axis.indicatoren if i.kolom not in absent]
        # Coverage counts against the whole recipe: an absent indicator is missing weight.
        total = sum(i.gewicht for i in axis.indicatoren)
        present_weight = sum(i.gewicht for i in inds)
        recept_dekking[axis_name] = present_weight / total if total else 0.0
        n = len(index)
        if present_weight <= 0:  # only zero weights in the data: nothing to average
            inds = []
        if inds:
            d = np.column_stack([i.richting * normed[i.kolom].to_numpy() for i in inds])
            w = np.array([i.gewicht for i in inds])
        else:
            d, w = np.empty((n, 0)), np.empty(0)
        avail = ~np.isnan(d)
        wa = avail * w
        w_sum = wa.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            axis_score = np.where(w_sum > 0, np.nansum(d * w, axis=1) / w_sum, np.nan)
            dekking = w_sum / total if total > 0 else np.zeros(n)
        has_score = (dekking >= recipe.min_dekking - 1e-12) & include
        axis_score = np.where(has_score & (w_sum > 0), axis_score, np.nan)
        out[axis_name] = axis_score
        out[f"dekking_{axis_name}"] = dekking
        for sub in SUBAXES[axis_name]:
            sel = np.array([i.subas == sub for i in inds], dtype=bool)
            ws = wa[:, sel].sum(axis=1) if sel.any() else np.zeros(n)
            with np.errstate(invalid="ignore", divide="ignore"):
                s = np.where(ws > 0, np.nansum(d[:, sel] * w[sel], axis=1) / ws, np.nan) if sel.any() else np.full(n, np.nan)
            s = np.where(np.isnan(axis_score), np.nan, s)
            out[f"sub_{sub}"] = -s if sub in INVERTED_SUBAXES else s
        with np.errstate(invalid="ignore", divide="ignore"):
            contrib = d * w / w_sum[:, None]
        contrib[~has_score] = np.nan
        for j, i in enumerate(inds):
            contributions[(axis_name, i.kolom)] = contrib[:, j]
    kwadrant = quadrant(out["draagkracht"], out["fysieke_kansen"], recipe)
    kwadrant[~include] = excluded[~include]
    out["kwadrant"] = kwadrant
    bijdragen = pd.DataFrame(contributions, index=index)
    if contributions:
        bijdragen.columns = pd.MultiIndex.from_tuples(list(contributions), names=["as", "kolom"])
    return ScoreResult(out, bijdragen, normed, recipe, absent, recept_dekking, reference, list(terugval),
                       dict(terugval), herkomst, regel)


def axis_correlation(result: ScoreResult) -> dict[str, float]:
    """Pearson and Spearman correlation between the two axis scores over the placed buurten.

    Returns ``{"pearson": r, "spearman": rho, "n": n}``; NaN with fewer than three buurten
    or a constant axis.
    """
    both = result.scores.loc[result.geplaatst(), list(AXES)].astype("float64").dropna()
    n = len(both)
    if n < 3 or (both.std(ddof=0) == 0).any():
        return {"pearson": float("nan"), "spearman": float("nan"), "n": n}
    a, b = both[AXES[0]], both[AXES[1]]
    return {"pearson": float(a.corr(b)), "spearman": float(a.rank().corr(b.rank())), "n": n}


SCORE_COLUMNS = [
    "buurtcode", "buurtnaam", "draagkracht", "fysieke_kansen", "kwadrant",
    "dekking_draagkracht", "dekking_fysieke_kansen",
    "sub_draagkracht", "sub_draaglast", "sub_ruimte", "sub_opgave",
]


def score_table(frame: pd.DataFrame, result: ScoreResult) -> pd.DataFrame:
    """The flat score table for CLI output and exports (one row per buurt)."""
    names = frame.set_index(frame["buurtcode"].astype(str))
    table = result.scores.copy()
    table.insert(0, "buurtnaam", names["buurtnaam"] if "buurtnaam" in names else table.index)
    table = table.reset_index()
    return table[[c for c in SCORE_COLUMNS if c in table.columns] + [c for c in table.columns if c not in SCORE_COLUMNS]]
