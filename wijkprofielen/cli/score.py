"""``score``: place every buurt of a dataset on the two axes."""

from __future__ import annotations

import sys
from dataclasses import replace

from ..config import REFERENCES, load_config
from ..dataset import load_dataset
from ..reference import for_config
from ..scoring import score, score_table
from ..stability import settings, stability
from ._output import write_table


def register(sub) -> None:
    p = sub.add_parser("score", help="bereken draagkracht, fysieke kansen en kwadrant per buurt")
    p.add_argument("--data", required=True, help="dataset: GeoParquet, GeoPackage, GeoJSON of CSV met buurtcode")
    p.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    p.add_argument("--jaar", type=int, help="peiljaar: per indicator het laatste jaar tot en met dit jaar")
    p.add_argument("--out", help="uitvoer .csv of .json; zonder: CSV naar het scherm")
    p.add_argument("--referentie", choices=REFERENCES,
                   help="vergelijk met: gemeente, dataset, nederland of stedelijkheid (standaard: uit config.toml)")
    p.add_argument("--zonder-stabiliteit", action="store_true", help="laat de kolommen stabiliteit en grensgeval weg")
    p.set_defaults(func=run)


def run(args) -> int:
    cfg = load_config(args.config)
    ds = load_dataset(args.data)
    frame = ds.frame(args.jaar)
    recipe = cfg.recipe.with_options(referentie=args.referentie) if args.referentie else cfg.recipe
    result = score(frame, recipe, for_config(replace(cfg, recipe=recipe), frame))
    table = score_table(frame, result)
    if not args.zonder_stabiliteit:
        stab = stability(frame, recipe, settings(cfg), result, result.referentie).tabel  # the same reference as the scores
        table = table.join(stab[["stabiliteit", "grensgeval"]].round({"stabiliteit": 4}), on="buurtcode")
    table.insert(table.columns.get_loc("kwadrant") + 1, "referentie", recipe.referentie)
    write_table(table, args.out)
    if result.referentie_terugval:
        print("let op: niet in de referentie, vergeleken met de eigen gemeente: " + ", ".join(result.referentie_terugval),
              file=sys.stderr)
    if result.ontbrekende_kolommen:
        print(
            "let op: niet in deze dataset, buiten de score gelaten: " + ", ".join(result.ontbrekende_kolommen),
            file=sys.stderr,
        )
    if ds.synthetisch:
        print("let op: synthetische voorbeeldgegevens", file=sys.stderr)
    return 0
