"""``score``: place every buurt of a dataset on the two axes."""

from __future__ import annotations

import sys

from ..config import load_config
from ..dataset import load_dataset
from ..scoring import score, score_table
from ._output import write_table


def register(sub) -> None:
    p = sub.add_parser("score", help="bereken draagkracht, fysieke kansen en kwadrant per buurt")
    p.add_argument("--data", required=True, help="dataset: GeoParquet, GeoPackage, GeoJSON of CSV met buurtcode")
    p.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    p.add_argument("--jaar", type=int, help="peiljaar: per indicator het laatste jaar tot en met dit jaar")
    p.add_argument("--out", help="uitvoer .csv of .json; zonder: CSV naar het scherm")
    p.set_defaults(func=run)


def run(args) -> int:
    cfg = load_config(args.config)
    ds = load_dataset(args.data)
    frame = ds.frame(args.jaar)
    result = score(frame, cfg.recipe)
    write_table(score_table(frame, result), args.out)
    if result.ontbrekende_kolommen:
        print(
            "let op: niet in deze dataset, buiten de score gelaten: " + ", ".join(result.ontbrekende_kolommen),
            file=sys.stderr,
        )
    if ds.synthetisch:
        print("let op: synthetische voorbeeldgegevens", file=sys.stderr)
    return 0
