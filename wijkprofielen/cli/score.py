"""``score``: place every buurt of a dataset on the two axes."""

from __future__ import annotations

import sys

from ..config import load_config
from ..dataset import load_dataset
from ..domain import REFERENCES
from ..scoring import score_table
from ..workspace import Workspace
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
    ws = Workspace(load_config(args.config))
    ds = load_dataset(args.data)
    recipe = ws.recipe(args.referentie)
    frame, result = ws.scored(ds, args.jaar, recipe)
    table = score_table(frame, result)
    if not args.zonder_stabiliteit:
        stab = ws.stability(frame, result).tabel  # the same reference as the scores
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
