"""Scoring speed on the example gemeente."""

from __future__ import annotations

from wijkprofielen.config import load_config
from wijkprofielen.scoring import score
from wijkprofielen.synthetic import voorbeeldstad
from . import timed


def run(options) -> dict:
    ds, gen_s = timed(voorbeeldstad)
    frame = ds.frame()
    recipe = load_config(options.config).recipe
    _, score_s = timed(score, frame, recipe, repeat=5)
    return {
        "voorbeeld_buurten": len(frame),
        "voorbeeld_genereren_s": round(gen_s, 3),
        "voorbeeld_score_ms": round(score_s * 1000, 2),
    }
