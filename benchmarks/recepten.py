"""The shipped recipes on a real dataset, compared with an earlier score table.

``python -m wijkprofielen bench --alleen recepten --recepten-data geodata/GM0796.parquet
--recepten-basis score_oud.csv`` gives per recipe: the quadrant counts, the correlation
between the axes (Pearson, Spearman, n), the buurten without a quadrant and why, the
buurten that depend on one indicator, and the five buurten whose position moved most among
those that changed quadrant against the earlier table (a CSV of ``score``), with what
moved. Without ``--recepten-data`` it reports that it was skipped.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wijkprofielen.config import load_config
from wijkprofielen.dataset import load_dataset
from wijkprofielen.domain import AXES, PLACED_QUADRANTS
from wijkprofielen.scoring import axis_correlation, score_table
from wijkprofielen.workspace import Workspace

SUBS = ("sub_draagkracht", "sub_draaglast", "sub_ruimte", "sub_opgave")


def add_arguments(p) -> None:
    p.add_argument("--recepten-data", help="recepten: dataset om elk meegeleverd recept op te scoren")
    p.add_argument("--recepten-basis", help="recepten: eerdere uitvoer van 'score' (CSV) om mee te vergelijken")


def moved(new: pd.DataFrame, old: pd.DataFrame, top: int = 5) -> list[dict]:
    """The ``top`` buurten with another quadrant than in ``old`` whose position moved most.

    Buurten that lost their quadrant (no score now) come after those placed elsewhere, with
    the reason (their new code).
    """
    both = new.set_index("buurtcode").join(old.set_index("buurtcode"), rsuffix="_oud", how="inner")
    changed = both[both["kwadrant"] != both["kwadrant_oud"]].copy()
    changed["afstand"] = np.hypot(changed["draagkracht"] - changed["draagkracht_oud"],
                                  changed["fysieke_kansen"] - changed["fysieke_kansen_oud"])
    changed["geplaatst"] = changed["kwadrant"].isin(PLACED_QUADRANTS)
    changed = changed.sort_values(["geplaatst", "afstand"], ascending=[False, False]).head(top)
    rows = []
    for code, r in changed.iterrows():
        subs = {s: round(float(r[s] - r[f"{s}_oud"]), 2) for s in SUBS if f"{s}_oud" in r and pd.notna(r[s])}
        rows.append({
            "buurtcode": code, "buurtnaam": r["buurtnaam"], "van": r["kwadrant_oud"], "naar": r["kwadrant"],
            "draagkracht": [_r(r["draagkracht_oud"]), _r(r["draagkracht"])],
            "fysieke_kansen": [_r(r["fysieke_kansen_oud"]), _r(r["fysieke_kansen"])],
            "afstand": _r(r["afstand"]), "subscore_verschil": subs,
            "afhankelijk_van": r.get("afhankelijk_van", ""),
        })
    return rows


def _r(x) -> float | None:
    return None if pd.isna(x) else round(float(x), 2)


def compare(data: str, basis: str | None, config: str | None = None) -> dict:
    """The figures of every shipped recipe on ``data``, against ``basis`` when given."""
    cfg = load_config(config)
    ds = load_dataset(data)
    old = pd.read_csv(basis) if basis else None
    out = {}
    for naam in cfg.recepten:
        ws = Workspace(cfg.with_recept(naam))
        frame, result = ws.scored(ds)
        stab = ws.stability(frame, result).tabel
        table = score_table(frame, result).join(stab[["stabiliteit", "afhankelijk_van"]], on="buurtcode")
        k = table["kwadrant"]
        out[naam] = {
            "kwadranten": {q: int(n) for q, n in k.value_counts().items()},
            "correlatie_assen": {key: (_r(v) if isinstance(v, float) else v)
                                 for key, v in axis_correlation(result).items()},
            "dekking_recept": {a: round(result.recept_dekking[a], 3) for a in AXES},
            "ontbrekend": result.ontbrekende_kolommen,
            "zonder_kwadrant": {q: int(n) for q, n in k[~k.isin(PLACED_QUADRANTS)].value_counts().items()},
            "afhankelijk_van_een_indicator": int((table["afhankelijk_van"].fillna("") != "").sum()),
            "referentie_terugval": result.terugval_redenen,
        }
        if old is not None:
            was = old.set_index("buurtcode")["kwadrant"].reindex(table["buurtcode"])
            out[naam]["ander_kwadrant_dan_basis"] = int((table.set_index("buurtcode")["kwadrant"] != was).sum())
            out[naam]["meest_verschoven"] = moved(table, old)
    return out


def run(options) -> dict:
    data = getattr(options, "recepten_data", None)
    if not data:
        return {"recepten": "overgeslagen: geef --recepten-data (en --recepten-basis)"}
    return {"recepten": compare(data, getattr(options, "recepten_basis", None), getattr(options, "config", None))}
