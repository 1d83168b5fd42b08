"""Menukaart speed: loading the catalogue and suggesting for every buurt of the example gemeente."""

from __future__ import annotations

from wijkprofielen.config import load_config
from wijkprofielen.menukaart import load_menukaart, suggest
from wijkprofielen.scoring import score
from wijkprofielen.synthetic import voorbeeldstad
from . import timed


def run(options) -> dict:
    cfg = load_config(options.config)
    frame = voorbeeldstad().frame()
    result = score(frame, cfg.recipe)
    mk, load_s = timed(load_menukaart, repeat=3)
    codes = list(frame["buurtcode"].astype(str))

    def all_buurten():
        return [suggest(frame, result, c, mk) for c in codes]

    out, all_s = timed(all_buurten, repeat=3)
    return {
        "menukaart_interventies": len(mk),
        "menukaart_laden_ms": round(load_s * 1000, 2),
        "menukaart_suggest_ms_per_buurt": round(all_s * 1000 / len(codes), 3),
        "menukaart_suggesties_gemiddeld": round(sum(map(len, out)) / len(codes), 1),
    }
