"""One call from files to an evaluation: shared by the CLI and the benchmark."""

from __future__ import annotations

from pathlib import Path

from ..dataset import Dataset
from ..errors import DataError
from ..workspace import Workspace
from .doelen import Doelen
from .evaluate import Evaluatie, evaluate
from .menukaart_link import contra_warnings
from .model import Scenario, load_scenario_json


def read_scenario_file(path: str | Path, ds: Dataset, periode: tuple[int, int], menukaart) -> Scenario:
    """Read and validate a scenario JSON file against a dataset, the target period and the catalogue."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"Scenariobestand {path} bestaat niet. Controleer het pad.")
    return load_scenario_json(path.read_bytes(), buurtcodes=ds.codes, periode=periode, menukaart=menukaart)


def evaluate_scored(scenario: Scenario, frame, result, doelen: Doelen, grens_draagkracht: float, menukaart) -> Evaluatie:
    """:func:`evaluate` plus the contra-indications of the chosen items of catalogue ``menukaart``."""
    ev = evaluate(scenario, frame, result.scores, doelen, grens_draagkracht)
    ev.waarschuwingen += contra_warnings(scenario, frame, result, menukaart)
    return ev


def evaluate_dataset(scenario: Scenario, ds: Dataset, ws: Workspace, jaar: int | None = None) -> Evaluatie:
    """Score ``ds`` as configured (recipe and reference) and evaluate ``scenario`` against its gemeente's targets."""
    frame, result = ws.scored(ds, jaar)
    doelen = ws.doelen_for(frame["gemeentecode"])
    return evaluate_scored(scenario, frame, result, doelen, ws.cfg.recipe.grens_draagkracht, ws.menukaart)
