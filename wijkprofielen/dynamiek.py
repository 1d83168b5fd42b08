"""Dynamiek: the direction in which a buurt moves on each axis, next to where it stands.

Status × dynamiek, as the Berlin *Monitoring Soziale Stadtentwicklung* and the Hamburg
*Sozialmonitoring RISE* classify their areas: the level (the axis score) and its change
over the last years. The classes are a signal for the people who know the buurt, not a
verdict.

The steps, per axis of the recipe:

1. The period: the latest ``periode_jaren`` years the data covers, ending at the peiljaar
   (default the dataset's latest year): Leefbaarometer 2018 → 2024.
2. Per indicator the first and the last year it has in that period. An indicator with one
   year only, or whose two years are of another level (a buurt figure then, a wijk figure
   now), does not count; :attr:`DynamiekResult.overgeslagen` says why.
3. The change ``x(last) − x(first)`` in standard deviations of the reference in the first
   year: the same reference as the scores (the own gemeente, the dataset, or the national
   statistic where that covers the indicator), without the buurten below ``min_inwoners``.
   The start year's spread is the unit, so a buurt's own latest value never changes the
   unit its change is measured in. Clipped to ±``clip`` like the scores.
4. The axis dynamiek is the weighted mean of those changes with the recipe's weights and
   directions (``richting``), so a positive dynamiek always means "moves up on the axis".
   ``dekking`` is the share of the axis weight with a measured change; below
   ``[dynamiek] min_dekking`` the axis has no dynamiek.
5. Classes: beyond ``±drempel`` reference standard deviations ``positief`` or
   ``negatief``, within it ``stabiel`` (a change smaller than the uncertainty of the figures),
   without a dynamiek ``onbekend`` with the reason: a boundary change in the period, too few
   inhabitants, too little coverage.
6. The **signaal** combines status and dynamiek on the draagkracht axis: low and falling is
   ``aandacht: daalt``; high but falling ``let op: daalt vanaf een goede positie``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .config import DynamiekSettings, Recipe
from .dataset import UNKNOWN_YEAR, Dataset
from .domain import AXES, EXTERNAL_REFERENCES
from .formatting import number, percent
from .scoring import ScoreResult, inhabitant_rule

POSITIEF, STABIEL, NEGATIEF, ONBEKEND = "positief", "stabiel", "negatief", "onbekend"
KLASSEN = (POSITIEF, STABIEL, NEGATIEF, ONBEKEND)
KLASSE_LABELS = {POSITIEF: "stijgt", STABIEL: "stabiel", NEGATIEF: "daalt", ONBEKEND: "onbekend"}
SIGNAAL_LAAG_DAALT = "aandacht: daalt"
SIGNAAL_HOOG_DAALT = "let op: daalt vanaf een goede positie"
SIGNALEN = (SIGNAAL_LAAG_DAALT, SIGNAAL_HOOG_DAALT)
# The axis the Leefbaarometer series covers best: its class is the buurt's dynamiek_klasse.
SIGNAAL_AS = "draagkracht"

REDEN_GRENS = "andere grenzen in {jaar} ({verschil} oppervlakte): de cijfers van de jaren zijn niet vergelijkbaar"
REDEN_INWONERS = "te weinig of geen inwoners: geen kwadrant, dus ook geen dynamiek"
REDEN_DEKKING = "te weinig indicatoren met een gemeten verandering (dekking {dekking}, minimaal {minimum})"
REDEN_GEEN = "geen indicator van deze as heeft twee jaren in {van}–{tot}"


@dataclass
class DynamiekResult:
    """The outcome of :func:`dynamiek`.

    Attributes
    ----------
    tabel : DataFrame
        Indexed by buurtcode: ``dynamiek_<as>`` (weighted change in reference standard
        deviations; NaN: none), ``dekking_dynamiek_<as>``, ``klasse_<as>`` (one of
        :data:`KLASSEN`), ``reden_<as>`` ("" or why onbekend), ``dynamiek_klasse`` (the
        class of :data:`SIGNAAL_AS`) and ``signaal`` ("" or one of :data:`SIGNALEN`).
    veranderingen : DataFrame
        Per buurt and indicator: the change in reference standard deviations, direction
        not applied (NaN where not measured).
    verschillen : DataFrame
        Per buurt and indicator: the raw change ``x(last) − x(first)`` in the indicator's unit.
    perioden : dict
        ``{kolom: (first year, last year)}`` of every indicator that counts.
    overgeslagen : dict
        ``{kolom: reason}`` of the recipe's indicators that do not count.
    van_jaar, tot_jaar : int
        The period.
    instellingen : DynamiekSettings
    """

    tabel: pd.DataFrame
    veranderingen: pd.DataFrame
    verschillen: pd.DataFrame
    perioden: dict[str, tuple[int, int]]
    overgeslagen: dict[str, str]
    van_jaar: int
    tot_jaar: int
    instellingen: DynamiekSettings = field(default_factory=DynamiekSettings)

    @property
    def periode(self) -> str:
        return f"{self.van_jaar}–{self.tot_jaar}"

    def klasse(self, buurtcode: str, axis: str = SIGNAAL_AS) -> str:
        """The class of one buurt on one axis (``onbekend`` for an unknown code)."""
        return str(self.tabel[f"klasse_{axis}"].get(buurtcode, ONBEKEND))

    def counts(self, axis: str = SIGNAAL_AS) -> dict[str, int]:
        """How many buurten fall in each class."""
        vc = self.tabel[f"klasse_{axis}"].value_counts()
        return {k: int(vc.get(k, 0)) for k in KLASSEN}


def klasse(values, drempel: float) -> np.ndarray:
    """Class per dynamiek value: beyond ``±drempel`` positief or negatief, else stabiel; NaN onbekend.

    >>> klasse([0.5, 0.1, -0.25, -0.3, float("nan")], 0.25).tolist()
    ['positief', 'stabiel', 'stabiel', 'negatief', 'onbekend']
    """
    v = np.asarray(values, dtype=float)
    out = np.where(v > drempel, POSITIEF, np.where(v < -drempel, NEGATIEF, STABIEL)).astype(object)
    out[np.isnan(v)] = ONBEKEND
    return out


def signaal(status, klassen, grens: float) -> np.ndarray:
    """The combined signal per buurt from its draagkracht score and its dynamiek class.

    >>> signaal([-0.5, 0.5, 0.5, float("nan")], ["negatief", "negatief", "stabiel", "negatief"], 0.0).tolist()
    ['aandacht: daalt', 'let op: daalt vanaf een goede positie', '', '']
    """
    s = np.asarray(status, dtype=float)
    falling = np.asarray(klassen, dtype=object) == NEGATIEF
    out = np.full(len(s), "", dtype=object)
    with np.errstate(invalid="ignore"):
        out[falling & (s < grens)] = SIGNAAL_LAAG_DAALT
        out[falling & (s >= grens)] = SIGNAAL_HOOG_DAALT
    return out


def periode(ds: Dataset, settings: DynamiekSettings, jaar: int | None = None) -> tuple[int, int]:
    """``(van, tot)``: the latest ``periode_jaren`` years of the data up to ``jaar``."""
    years = [j for j in ds.jaren() if jaar is None or j <= jaar]
    tot = max(years) if years else (jaar or UNKNOWN_YEAR)
    return tot - settings.periode_jaren, tot


def _indicator_years(ds: Dataset, kolom: str, van: int, tot: int) -> tuple[tuple[int, int] | None, str]:
    years = [j for j in ds.jaren(kolom) if van <= j <= tot]
    if len(years) < 2:
        return None, f"één jaar of minder in {van}–{tot}"
    first, last = years[0], years[-1]
    meta = ds.indicatoren.get(kolom)
    if meta is not None and meta.niveau_in(first) != meta.niveau_in(last):
        return None, f"{meta.niveau_in(first)}cijfer {first} en {meta.niveau_in(last)}cijfer {last} zijn niet vergelijkbaar"
    return (first, last), ""


def _spread(start: pd.Series, groups: np.ndarray, include: np.ndarray, reference, kolom: str,
            group_of_ref: np.ndarray | None) -> np.ndarray:
    """The reference standard deviation of the start year's values, per buurt."""
    ref = start.where(include)
    sd = ref.groupby(groups, sort=False).transform("std", ddof=0).to_numpy(dtype=float, copy=True)
    if reference is not None and reference.naam in EXTERNAL_REFERENCES and group_of_ref is not None:
        for g in pd.unique(group_of_ref):
            st = reference.stats.get(g, {}).get(kolom)
            if st is not None and st.sd is not None and st.sd > 0:
                sd[group_of_ref == g] = st.sd
    return sd


def _boundary_reasons(ds: Dataset, codes: pd.Index, van: int, tot: int) -> pd.Series:
    out = pd.Series("", index=codes, dtype=object)
    for j in sorted({int(k) for k in (ds.meta.get("grenswijzigingen") or {})}):
        if van <= j <= tot:
            for code, change in ds.grenswijziging(j).items():
                if code in out.index and not out[code]:
                    out[code] = REDEN_GRENS.format(jaar=j, verschil=percent(change, signed=True))
    return out


def dynamiek(ds: Dataset, result: ScoreResult, settings: DynamiekSettings | None = None, jaar: int | None = None,
             recipe: Recipe | None = None) -> DynamiekResult:
    """The dynamiek of every buurt of ``ds`` on both axes of ``recipe`` (default ``result.recipe``).

    Parameters
    ----------
    ds : Dataset
    result : ScoreResult
        The scores at the end of the period: the status of the signaal, and the external
        reference (``result.referentie``) where the recipe uses one.
    settings : DynamiekSettings, optional
        ``[dynamiek]``; default its defaults.
    jaar : int, optional
        The last year of the period; default the dataset's latest year.
    """
    settings = settings or DynamiekSettings()
    recipe = recipe or result.recipe
    van, tot = periode(ds, settings, jaar)
    codes = pd.Index(ds.gebieden["buurtcode"].astype(str), name="buurtcode")
    # Only what the inhabitants rule reads: a full frame would copy every geometry.
    light = pd.DataFrame({"buurtcode": codes})
    inwoners = ds.keuze(tot).get("inwoners")
    if inwoners is not None:
        light["inwoners"] = ds.frame_values("inwoners", inwoners).reindex(codes).to_numpy()
    include, _, _ = inhabitant_rule(light, recipe)
    gemeenten = ds.gebieden["gemeentecode"].astype(str).to_numpy()
    groups = gemeenten if recipe.referentie == "gemeente" else np.zeros(len(codes), dtype=int)
    reference = result.referentie
    group_of_ref = None
    if reference is not None and getattr(reference, "naam", None) in EXTERNAL_REFERENCES:
        group_of_ref = (pd.Series(gemeenten).map(reference.groep_per_gemeente).to_numpy()
                        if reference.groep_per_gemeente else np.full(len(codes), None))
        groups = gemeenten  # loaded buurten: the own gemeente where the national statistic has no spread

    perioden, overgeslagen, changes, diffs = {}, {}, {}, {}
    for kolom in recipe.kolommen:
        if kolom in changes or kolom in overgeslagen:
            continue
        if kolom not in ds.kolommen:
            overgeslagen[kolom] = "niet in de dataset"
            continue
        years, reden = _indicator_years(ds, kolom, van, tot)
        if years is None:
            overgeslagen[kolom] = reden
            continue
        perioden[kolom] = years
        start = ds.waarden[(kolom, years[0])].reindex(codes).astype("float64")
        end = ds.waarden[(kolom, years[1])].reindex(codes).astype("float64")
        diff = end - start
        sd = _spread(start, groups, include, reference, kolom, group_of_ref)
        with np.errstate(invalid="ignore", divide="ignore"):
            z = np.where(sd > 0, diff.to_numpy() / sd, np.nan)
        diffs[kolom] = diff.to_numpy()
        changes[kolom] = np.clip(z, -recipe.clip, recipe.clip)
    veranderingen = pd.DataFrame(changes, index=codes, dtype="float64")
    verschillen = pd.DataFrame(diffs, index=codes, dtype="float64")

    grens = _boundary_reasons(ds, codes, van, tot)
    out = pd.DataFrame(index=codes)
    for axis_name in AXES:
        inds = recipe.axis(axis_name).indicatoren
        total = sum(i.gewicht for i in inds)
        used = [i for i in inds if i.kolom in changes and i.gewicht > 0]
        n = len(codes)
        if used:
            d = np.column_stack([i.richting * changes[i.kolom] for i in used])
            w = np.array([i.gewicht for i in used], dtype=float)
        else:
            d, w = np.empty((n, 0)), np.empty(0)
        wa = ~np.isnan(d) * w
        w_sum = wa.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(w_sum > 0, np.nansum(np.nan_to_num(d) * w, axis=1) / w_sum, np.nan)
            dekking = w_sum / total if total > 0 else np.zeros(n)
        enough = dekking >= settings.min_dekking - 1e-12
        reden = np.full(n, "", dtype=object)
        reden[~enough] = [REDEN_DEKKING.format(dekking=percent(x), minimum=percent(settings.min_dekking)) for x in dekking[~enough]]
        if not used:
            reden[:] = REDEN_GEEN.format(van=van, tot=tot)
        reden[~include] = REDEN_INWONERS
        flagged = grens.to_numpy() != ""
        reden[flagged] = grens.to_numpy()[flagged]
        value = np.where(reden == "", value, np.nan)
        out[f"dynamiek_{axis_name}"] = value
        out[f"dekking_dynamiek_{axis_name}"] = dekking
        out[f"klasse_{axis_name}"] = klasse(value, settings.drempel)
        out[f"reden_{axis_name}"] = reden
    out["dynamiek_klasse"] = out[f"klasse_{SIGNAAL_AS}"]
    status = result.scores[SIGNAAL_AS].reindex(codes).to_numpy(dtype=float)
    out["signaal"] = signaal(status, out["dynamiek_klasse"].to_numpy(), recipe.grens_draagkracht)
    return DynamiekResult(out, veranderingen, verschillen, perioden, overgeslagen, van, tot, settings)


DYNAMIEK_COLUMNS = ["dynamiek_draagkracht", "dynamiek_fysieke_kansen", "dynamiek_klasse", "signaal"]


def dynamiek_columns(result: DynamiekResult) -> pd.DataFrame:
    """The columns the score table and the exports carry, by buurtcode."""
    return result.tabel[DYNAMIEK_COLUMNS]


def buurt_tabel(result: DynamiekResult, ds: Dataset, recipe: Recipe, buurtcode: str) -> pd.DataFrame:
    """One buurt's measured changes: per indicator of the recipe the years, the values, the change
    in its unit and in reference standard deviations, and whether that is up or down on the axis."""
    rows = []
    for axis in recipe.assen:
        for i in axis.indicatoren:
            if i.kolom not in result.perioden:
                continue
            first, last = result.perioden[i.kolom]
            z = result.veranderingen.at[buurtcode, i.kolom] if buurtcode in result.veranderingen.index else np.nan
            meta = ds.indicatoren.get(i.kolom)
            rows.append({"as": axis.label, "indicator": meta.label if meta else i.kolom, "van_jaar": first,
                         "van": ds.waarden.at[buurtcode, (i.kolom, first)], "tot_jaar": last,
                         "tot": ds.waarden.at[buurtcode, (i.kolom, last)],
                         "verschil": result.verschillen.at[buurtcode, i.kolom],
                         "in_sd": z, "op_de_as": (np.nan if np.isnan(z) else i.richting * z)})
    return pd.DataFrame(rows, columns=["as", "indicator", "van_jaar", "van", "tot_jaar", "tot", "verschil", "in_sd",
                                       "op_de_as"])


def beschrijving(result: DynamiekResult, recipe: Recipe, buurtcode: str) -> list[str]:
    """One Dutch line per axis for a buurt: the class, the value in reference standard deviations
    and the period, or why it is unknown; then the signaal, if any.

    Used by the Wijkprofiel page and the one-pager, so both say the same.
    """
    row = result.tabel.loc[buurtcode]
    lines = []
    for axis in recipe.assen:
        k = row[f"klasse_{axis.naam}"]
        if k == ONBEKEND:
            lines.append(f"{axis.label}: onbekend ({row[f'reden_{axis.naam}']})")
        else:
            lines.append(f"{axis.label}: {KLASSE_LABELS[k]} ({number(row[f'dynamiek_{axis.naam}'], 2, signed=True)} "
                         f"standaarddeviatie, {result.periode})")
    if row["signaal"]:
        lines.append(f"Signaal: {row['signaal']}")
    return lines


def uitleg(settings: DynamiekSettings) -> str:
    """The method in two sentences, for captions and the one-pager."""
    return (f"Dynamiek: de verandering van de indicatoren van elke as over de laatste {settings.periode_jaren} jaar, "
            "in standaarddeviaties van de referentie in het beginjaar, gewogen zoals in het recept. Binnen "
            f"±{number(settings.drempel, 2)} is een buurt stabiel: kleinere veranderingen vallen binnen de marge van de "
            "cijfers. Een signaal is een reden om het gesprek te voeren, geen oordeel.")
