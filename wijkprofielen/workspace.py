"""One place that assembles the pipeline: configuration → menukaart, reference → scores.

The CLI, the exports, the scenarios and the pages get the configured catalogue, the
configured reference and the scores from a :class:`Workspace`, so they all show the same
thing::

    ws = Workspace(load_config())
    frame, result = ws.scored(dataset, jaar=2024)
    ws.suggest(frame, result, "BU07960101")

A reference other than the own gemeente is always explicit: the recipe's ``referentie`` or
the ``name`` given to :meth:`Workspace.reference`, read from ``[referentie] map``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from .config import Config, Doelen, Recipe, load_config
from .dataset import Dataset
from .errors import WijkprofielenError
from .gebieden import Gebied, Niveauprofiel, aggregate, score_units, spread
from .menukaart import Advies, Menukaart, Suggestie, advise, default_menukaart, load_menukaart, suggest
from .reference import ReferenceSet, reference_dir, resolve, value_origins
from .scenario.doelen import doelen_for
from .scenario.model import known_interventions
from .scoring import ScoreResult, score
from .stability import StabilityResult, score_intervals, stability


@dataclass
class ReferenceComparison:
    """Quadrants of every buurt under several references.

    Attributes
    ----------
    kwadranten : DataFrame
        Indexed by buurtcode, one column per reference that could be computed.
    afhankelijk : Series of bool
        True where the quadrant differs between the references (and the buurt is placed
        under at least one of them).
    niet_beschikbaar : dict
        ``{reference: reason}`` for references that could not be computed.
    """

    kwadranten: pd.DataFrame
    afhankelijk: pd.Series
    niet_beschikbaar: dict[str, str]


def compare_references(frame: pd.DataFrame, recipe: Recipe, names: Sequence[str] = ("gemeente", "nederland", "stedelijkheid"),
                       folder: Path | None = None, herkomst: dict | None = None) -> ReferenceComparison:
    """Score ``frame`` under each reference (external ones read from ``folder``) and find
    the buurten whose quadrant depends on it."""
    columns, missing = {}, {}
    for naam in names:
        try:
            ref = resolve(naam, frame, folder, recipe.min_inwoners)
            columns[naam] = score(frame, recipe.with_options(referentie=naam), ref, herkomst).scores["kwadrant"]
        except WijkprofielenError as exc:
            missing[naam] = str(exc)
    kwadranten = pd.DataFrame(columns)
    if kwadranten.empty:
        return ReferenceComparison(kwadranten, pd.Series(dtype=bool), missing)
    return ReferenceComparison(kwadranten, kwadranten.nunique(axis=1) > 1, missing)


class Workspace:
    """The configured pipeline of one :class:`~wijkprofielen.config.Config`.

    Parameters
    ----------
    cfg : Config, optional
        Default: :func:`~wijkprofielen.config.load_config`.
    """

    def __init__(self, cfg: Config | None = None):
        self.cfg = cfg if cfg is not None else load_config()

    # -- catalogue ----------------------------------------------------------------------------
    @cached_property
    def menukaart(self) -> Menukaart:
        """The configured, validated catalogue (``[menukaart] pad``, else the built-in one)."""
        return load_menukaart(self.cfg.menukaart_pad) if self.cfg.menukaart_pad else default_menukaart()

    def suggest(self, frame: pd.DataFrame, result: ScoreResult, buurtcode: str, top: int | None = None) -> list[Suggestie]:
        """The configured catalogue's suggestions for one buurt, with the configured quadrant names."""
        return suggest(frame, result, buurtcode, self.menukaart, top=top, kwadrant_namen=self.cfg.kwadrant_namen)

    def advise(self, frame: pd.DataFrame, result: ScoreResult, buurtcode: str, top: int | None = None) -> Advies:
        """The configured catalogue for one buurt: suggestions and, apart, the items te controleren."""
        return advise(frame, result, buurtcode, self.menukaart, top=top, kwadrant_namen=self.cfg.kwadrant_namen)

    def known_interventions(self) -> dict[str, str]:
        """``{id: label}`` of every intervention a scenario may use: the scenario catalogue and the menukaart."""
        return known_interventions(self.menukaart)

    # -- reference and scores ---------------------------------------------------------------
    @property
    def reference_dir(self) -> Path | None:
        """The folder of the national extracts (``$WIJKPROFIELEN_REFERENTIE`` or ``[referentie] map``)."""
        return reference_dir(self.cfg.referentie)

    def reference(self, frame: pd.DataFrame, name: str | None = None, min_inwoners: int | None = None) -> ReferenceSet | None:
        """The reference set ``name`` (default: the recipe's ``referentie``); None for gemeente/dataset.

        Buurten below ``min_inwoners`` (default: the recipe's) stay out of its statistics."""
        minimum = self.cfg.recipe.min_inwoners if min_inwoners is None else min_inwoners
        return resolve(name or self.cfg.recipe.referentie, frame, self.reference_dir, minimum)

    def recipe(self, referentie: str | None = None) -> Recipe:
        """The configured recipe, optionally compared with another reference."""
        r = self.cfg.recipe
        return r.with_options(referentie=referentie) if referentie and referentie != r.referentie else r

    def score(self, data: Dataset | pd.DataFrame, jaar: int | None = None, recipe: Recipe | None = None,
              herkomst: dict | None = None) -> ScoreResult:
        """Scores of a dataset (at ``jaar``) or a frame, with ``recipe`` (default: the configured one)
        against that recipe's reference."""
        return self.scored(data, jaar, recipe, herkomst)[1]

    def scored(self, data: Dataset | pd.DataFrame, jaar: int | None = None, recipe: Recipe | None = None,
               herkomst: dict | None = None) -> tuple[pd.DataFrame, ScoreResult]:
        """``(frame, ScoreResult)``: :meth:`score` plus the frame it scored.

        ``herkomst``: the year and level of a frame's values (see
        :func:`~wijkprofielen.reference.value_origins`); taken from the dataset itself."""
        if isinstance(data, Dataset):
            frame, herkomst = data.frame(jaar), value_origins(data, jaar)
        else:
            frame = data
        recipe = recipe or self.cfg.recipe
        return frame, score(frame, recipe, self.reference(frame, recipe.referentie, recipe.min_inwoners), herkomst)

    def stability(self, frame: pd.DataFrame, result: ScoreResult) -> StabilityResult:
        """Stability of ``result``'s placements with the ``[stabiliteit]`` settings and the same reference."""
        return stability(frame, result.recipe, self.cfg.stabiliteit, result, result.referentie)

    def intervals(self, frame: pd.DataFrame, result: ScoreResult) -> pd.DataFrame:
        """Per buurt the range of both axis scores over the same alternative recipes as :meth:`stability`."""
        return score_intervals(frame, result.recipe, self.cfg.stabiliteit, result, result.referentie)

    def compare_references(self, frame: pd.DataFrame, recipe: Recipe | None = None,
                           names: Iterable[str] = ("gemeente", "nederland", "stedelijkheid"),
                           herkomst: dict | None = None) -> ReferenceComparison:
        """Quadrants under several references, external ones from the configured folder."""
        return compare_references(frame, recipe or self.cfg.recipe, tuple(names), self.reference_dir, herkomst)

    # -- levels -------------------------------------------------------------------------------
    def level(self, ds: Dataset, niveau: str, gebieden: Sequence[Gebied] | None = None, jaar: int | None = None,
              recipe: Recipe | None = None, gepubliceerd: pd.DataFrame | None = None) -> Niveauprofiel:
        """The profile of every wijk (``niveau="wijk"``) or gebied of ``ds`` at peiljaar ``jaar``.

        Figures: published first, else computed from the buurten by each indicator's
        ``aggregatie`` (``[gebieden] min_aandeel_inwoners``). Scores: against the wijken of the
        gemeente (or of the dataset), never against buurten. The spread: each buurt scored as a
        buurt with the same recipe. See :mod:`wijkprofielen.gebieden`.
        """
        recipe = recipe or self.cfg.recipe
        minimum = self.cfg.gebieden.min_aandeel_inwoners
        eenheden = aggregate(ds, niveau, gebieden, jaar, minimum, gepubliceerd)
        wijken = aggregate(ds, "wijk", None, jaar, minimum, gepubliceerd) if niveau == "gebied" else None
        frame, result, referentie = score_units(eenheden, recipe, wijken)
        buurt_frame, buurt_result = self.scored(ds, jaar, recipe)
        buurten, spreiding = spread(eenheden, buurt_frame, buurt_result)
        return Niveauprofiel(niveau, eenheden, frame, result, referentie, buurten, spreiding)

    # -- targets ------------------------------------------------------------------------------
    def doelen_for(self, gemeentecodes: Iterable[str]) -> Doelen:
        """The configured targets of the dataset's single gemeente."""
        return doelen_for(self.cfg.doelen, list(gemeentecodes))
