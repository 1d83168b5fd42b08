"""One call from files to an evaluation: shared by the CLI and the benchmark."""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..dataset import Dataset
from ..errors import DataError
from ..scoring import score
from .doelen import Doelen, doelen_for
from .evaluate import Evaluatie, evaluate
from .menukaart_link import contra_warnings
from .model import Scenario, load_scenario_json


def read_scenario_file(path: str | Path, ds: Dataset, periode: tuple[int, int]) -> Scenario:
    """Read and validate a scenario JSON file against a dataset and the target period."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"Scenariobestand {path} bestaat niet. Controleer het pad.")
    return load_scenario_json(path.read_bytes(), buurtcodes=ds.codes, periode=periode)


def evaluate_scored(scenario: Scenario, frame, result, doelen: Doelen, grens_draagkracht: float) -> Evaluatie:
    """:func:`evaluate` plus the menukaart's contra-indications of the chosen items."""
    ev = evaluate(scenario, frame, result.scores, doelen, grens_draagkracht)
    ev.waarschuwingen += contra_warnings(scenario, frame, result)
    return ev


def evaluate_dataset(scenario: Scenario, ds: Dataset, cfg: Config, jaar: int | None = None) -> Evaluatie:
    """Score ``ds`` with the config's recipe and evaluate ``scenario`` against its gemeente's targets."""
    frame = ds.frame(jaar)
    doelen = doelen_for(cfg, frame["gemeentecode"].tolist())
    return evaluate_scored(scenario, frame, score(frame, cfg.recipe), doelen, cfg.recipe.grens_draagkracht)
