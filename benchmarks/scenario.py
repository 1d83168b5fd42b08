"""Scenario evaluation speed: a generated plan on the example gemeente."""

from __future__ import annotations

import numpy as np

from wijkprofielen.config import load_config
from wijkprofielen.scenario.doelen import doelen_for
from wijkprofielen.scenario.evaluate import evaluate
from wijkprofielen.scenario.model import Maatregel, Scenario
from wijkprofielen.scoring import score
from wijkprofielen.synthetic import voorbeeldstad
from . import timed


def add_arguments(parser) -> None:
    parser.add_argument("--scenario-maatregelen", type=int, default=500, help="aantal maatregelen in het benchmarkscenario")


def plan(codes: list[str], n: int, periode: tuple[int, int], seed: int = 8) -> Scenario:
    """A deterministic mixed scenario of ``n`` measures over ``codes``."""
    rng = np.random.default_rng(seed)
    kinds = [("nieuwbouw", "sociale_huur", 1), ("nieuwbouw", "midden", 1), ("nieuwbouw", "vrij", 1), ("flexwonen", "flex", 1),
             ("sloop_nieuwbouw", "sociale_huur", -1), ("verkoop", "sociale_huur", -1), ("verduurzaming", None, 1),
             ("instroom_beperken", None, 1), ("instroom_opvangen", None, 1)]
    out = []
    for _ in range(n):
        iv, seg, sign = kinds[rng.integers(len(kinds))]
        out.append(Maatregel(str(rng.choice(codes)), iv, seg, sign * int(rng.integers(1, 60)), int(rng.integers(periode[0], periode[1] + 1))))
    return Scenario("benchmark", out)


def run(options) -> dict:
    cfg = load_config(options.config)
    ds = voorbeeldstad()
    frame = ds.frame()
    scores = score(frame, cfg.recipe).scores
    doelen = doelen_for(cfg.doelen, frame["gemeentecode"].tolist())
    n = getattr(options, "scenario_maatregelen", 500)
    sc = plan(ds.codes, n, doelen.periode)
    ev, secs = timed(evaluate, sc, frame, scores, doelen, cfg.recipe.grens_draagkracht, repeat=5)
    return {
        "scenario_maatregelen": n,
        "scenario_buurten": len(frame),
        "scenario_evaluatie_ms": round(secs * 1000, 1),
        "scenario_waarschuwingen": len(ev.waarschuwingen),
    }
