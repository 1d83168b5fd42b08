"""``score``: place every buurt, wijk or gebied of a dataset on the two axes."""

from __future__ import annotations

import sys

from ..dataset import load_dataset
from ..domain import NIVEAUS, QUADRANT_NO_INHABITANTS, QUADRANT_TOO_SMALL, REFERENCES
from ..dynamiek import dynamiek_columns
from ..errors import WijkprofielenError
from ..gebieden import read_gebieden
from ..methode import missing_indicators
from ..scoring import score_table
from ..stability import share_floor
from ..workspace import Workspace
from ._args import year
from ._config import add_config_options, configured
from ._output import write_table


def register(sub) -> None:
    p = sub.add_parser("score", help="bereken draagkracht, fysieke kansen en kwadrant per buurt, wijk of gebied")
    p.add_argument("--data", required=True, help="dataset: GeoParquet, GeoPackage, GeoJSON of CSV met buurtcode")
    add_config_options(p)
    p.add_argument("--jaar", type=year(), help="peiljaar: per indicator het laatste jaar tot en met dit jaar")
    p.add_argument("--out", help="uitvoer .csv of .json; zonder: CSV naar het scherm")
    p.add_argument("--referentie", choices=REFERENCES,
                   help="vergelijk met: gemeente, dataset, nederland of stedelijkheid (standaard: uit config.toml)")
    p.add_argument("--zonder-stabiliteit", action="store_true",
                   help="laat de kolommen stabiliteit, grensgeval en afhankelijk_van weg")
    p.add_argument("--niveau", choices=NIVEAUS, default="buurt",
                   help="een rij per buurt (standaard), per CBS-wijk of per eigen gebied (met --gebieden)")
    p.add_argument("--gebieden", help="gebieden: CSV of XLSX met kolommen gebied,buurtcode, of de JSON-export")
    p.add_argument("--met-waarden", action="store_true",
                   help="voeg de indicatorwaarden van het peiljaar toe, onder hun namen uit de catalogus")
    p.set_defaults(func=run)


def run(args) -> int:
    ws = Workspace(configured(args))
    ds = load_dataset(args.data)
    recipe = ws.recipe(args.referentie)
    if args.niveau != "buurt":
        return _run_level(args, ws, ds, recipe)
    if args.gebieden:
        raise WijkprofielenError("--gebieden hoort bij --niveau gebied. Voeg '--niveau gebied' toe.")
    frame, result = ws.scored(ds, args.jaar, recipe)
    table = score_table(frame, result)
    dyn = ws.dynamiek(ds, result, jaar=args.jaar)
    table = table.join(dynamiek_columns(dyn), on="buurtcode")
    if args.met_waarden:
        table = table.join(frame.set_index(frame["buurtcode"].astype(str))[ds.kolommen], on="buurtcode")
    if not args.zonder_stabiliteit:
        stab = ws.stability(frame, result).tabel  # the same reference as the scores
        stab = stab.assign(stabiliteit=stab["stabiliteit"].map(share_floor))  # 1009/1010 never becomes 1
        table = table.join(stab[["stabiliteit", "grensgeval", "afhankelijk_van"]], on="buurtcode")
    table.insert(table.columns.get_loc("kwadrant") + 1, "referentie", recipe.referentie)
    table.insert(table.columns.get_loc("referentie") + 1, "recept", ws.cfg.recept)
    write_table(table, args.out)
    _warnings(result, recipe, ds)
    if dyn.overgeslagen:
        print(f"dynamiek {dyn.periode}: niet meegeteld: " + "; ".join(f"{k} ({r})" for k, r in dyn.overgeslagen.items()),
              file=sys.stderr)
    return 0


def _run_level(args, ws: Workspace, ds, recipe) -> int:
    """One row per wijk (``wijkcode``, ``wijknaam``) or gebied (``gebied``), scored against wijken."""
    if args.niveau == "gebied" and not args.gebieden:
        raise WijkprofielenError("Niveau 'gebied' vraagt om --gebieden: een CSV (gebied,buurtcode) of de JSON-export.")
    gebieden = read_gebieden(args.gebieden, ds.codes) if args.gebieden else None
    if args.niveau == "wijk" and gebieden:
        raise WijkprofielenError("--gebieden hoort bij --niveau gebied, niet bij wijk.")
    profiel = ws.level(ds, args.niveau, gebieden, args.jaar, recipe)
    table = profiel.tabel()
    keys = ["wijkcode", "wijknaam"] if args.niveau == "wijk" else ["gebied", None]
    table = table.rename(columns={"eenheid": keys[0]})
    table = table.rename(columns={"naam": keys[1]}) if keys[1] else table.drop(columns=["naam"])
    table.insert(table.columns.get_loc("kwadrant") + 1, "referentie", profiel.referentie)
    table.insert(table.columns.get_loc("referentie") + 1, "recept", ws.cfg.recept)
    if args.met_waarden:
        values = profiel.eenheden.frame.set_index("eenheid")[ds.kolommen]
        table = table.join(values, on=keys[0])
    write_table(table, args.out)
    _warnings(profiel.result, recipe, ds)
    niet = profiel.spreiding.loc[~profiel.spreiding["eenduidig"], "eenheid"].tolist()
    if niet:
        print(f"let op: niet eenduidig (buurten in tegenovergestelde kwadranten): {', '.join(map(str, niet))}", file=sys.stderr)
    return 0


def _warnings(result, recipe, ds) -> None:
    for kolom in result.referentie_terugval:
        print(f"let op: {kolom} vergeleken met de eigen gemeente: {result.terugval_redenen.get(kolom, 'niet in de referentie')}",
              file=sys.stderr)
    for axis in result.recipe.assen:
        if result.recept_dekking[axis.naam] < recipe.min_dekking - 1e-12:
            print(f"let op: {axis.label}: deze dataset heeft {result.recept_dekking[axis.naam]:.0%} van het gewicht van het "
                  f"recept, minder dan min_dekking {recipe.min_dekking:.0%}: geen buurt krijgt een score op deze as",
                  file=sys.stderr)
    for m in missing_indicators(result):
        print(f"let op: ontbreekt ({m['as']}, {m['aandeel_gewicht']} van het gewicht): {m['kolom']}; toevoegen: "
              f"{m['toevoegen']}", file=sys.stderr)
    k = result.scores["kwadrant"]
    if result.inwonersregel == "geen inwoners":
        print("let op: de data heeft geen kolom inwoners; min_inwoners is niet toegepast", file=sys.stderr)
    elif (k.isin((QUADRANT_TOO_SMALL, QUADRANT_NO_INHABITANTS))).any():
        print(f"let op: geen kwadrant: {int((k == QUADRANT_TOO_SMALL).sum())} buurten onder {recipe.min_inwoners} inwoners, "
              f"{int((k == QUADRANT_NO_INHABITANTS).sum())} zonder inwonersaantal", file=sys.stderr)
    if ds.synthetisch:
        print("let op: synthetische voorbeeldgegevens", file=sys.stderr)
