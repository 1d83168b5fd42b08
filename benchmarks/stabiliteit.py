"""Stability analysis speed: ``--stab-trekkingen`` draws over a synthetic frame of ``--stab-buurten`` buurten.

The frame is generated here (random indicator values with 5 % gaps, 40 gemeenten), so the
figure does not depend on which data happens to be on the machine. Target: 1,000 draws over
15,000 buurten in at most 2 s.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wijkprofielen.config import load_config
from wijkprofielen.reference import _national_table_cached, national_reference, reference_dir
from wijkprofielen.scoring import score
from wijkprofielen.stability import StabilitySettings, stability
from . import timed


def add_arguments(parser) -> None:
    parser.add_argument("--stab-buurten", type=int, default=15_000, help="stabiliteit-bench: aantal buurten (standaard 15000)")
    parser.add_argument("--stab-trekkingen", type=int, default=1000, help="stabiliteit-bench: aantal trekkingen (standaard 1000)")


def synthetic_frame(recipe, n: int, seed: int = 7) -> pd.DataFrame:
    """``n`` buurten in 40 gemeenten with every recipe column, 5 % missing at random."""
    rng = np.random.default_rng(seed)
    gm = rng.integers(1, 41, n)
    frame = pd.DataFrame({"buurtcode": [f"BU{i:08d}" for i in range(n)], "gemeentecode": [f"GM{g:04d}" for g in gm]})
    for k in recipe.kolommen:
        v = rng.normal(size=n)
        v[rng.random(n) < 0.05] = np.nan
        frame[k] = v
    return frame


def run(options) -> dict:
    cfg = load_config(getattr(options, "config", None))
    recipe = cfg.recipe
    n = getattr(options, "stab_buurten", 15_000)
    m = getattr(options, "stab_trekkingen", 1000)
    frame = synthetic_frame(recipe, n)
    base = score(frame, recipe)
    opts = StabilitySettings(trekkingen=m)
    result, secs = timed(stability, frame, recipe, opts, base, repeat=3)
    out = {
        "stabiliteit_buurten": n,
        "stabiliteit_trekkingen": result.totaal,
        "stabiliteit_s": round(secs, 3),
        "stabiliteit_doel_s": 2.0,
        "stabiliteit_gemiddeld": round(float(result.tabel["stabiliteit"].mean()), 3),
    }
    folder = reference_dir(cfg.referentie)
    if folder is not None and (folder / "kwb2024_85984NED_extract_NL.csv").exists():
        _national_table_cached.cache_clear()
        ref, secs = timed(national_reference, folder)
        out["referentie_nederland_buurten"] = ref.stats[None]["bevolkingsdichtheid"].n
        out["referentie_nederland_laden_s"] = round(secs, 3)
    return out
