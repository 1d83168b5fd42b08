"""``vergelijk``: the buurten most like one buurt (vergelijkbare buurten)."""

from __future__ import annotations

import json

from .. import options
from ..config import Config
from ..dataset import load_dataset
from ..domain import REFERENCE_LABELS, REFERENCES
from ..errors import DataError
from ..export.tables import records
from ..formatting import integer, number
from ..options import closest
from ..workspace import Workspace
from ._args import argument, whole, year
from ._config import add_config_options, configured
from ._output import write_text

FIELDS = ["buurtcode", "buurtnaam", "gemeentenaam", "afstand", "gedeelde_indicatoren", "kwadrant"]


def register(sub) -> None:
    p = sub.add_parser("vergelijk", help="vergelijkbare buurten: de buurten die het meest op een buurt lijken")
    p.add_argument("--data", required=True, help="dataset: GeoParquet, GeoPackage, GeoJSON of CSV met buurtcode")
    p.add_argument("--buurt", required=True, help="buurtcode (BU…) van de buurt")
    p.add_argument("--referentie", type=argument("--referentie", options.choice(*REFERENCES)),
                   help="vergelijk binnen: gemeente, dataset, nederland of stedelijkheid (standaard: uit config.toml)")
    p.add_argument("--k", type=whole("--k", 1, 100), help="aantal vergelijkbare buurten (standaard [vergelijk] k)")
    p.add_argument("--jaar", type=year(), help="peiljaar: per indicator het laatste jaar tot en met dit jaar")
    p.add_argument("--format", choices=("json", "md"), default="json", help="uitvoer: json (standaard) of md (Markdown)")
    p.add_argument("--out", help="uitvoerbestand; zonder: naar het scherm")
    add_config_options(p)
    p.set_defaults(func=run)


def markdown(code: str, naam: str, table, cfg: Config, referentie: str) -> str:
    lines = [f"# Vergelijkbare buurten van {naam} ({code})", "",
             f"Vergeleken met {REFERENCE_LABELS[referentie]}; afstand: {cfg.vergelijk.metriek} over de genormaliseerde indicatoren die beide "
             f"buurten hebben (ten minste {cfg.vergelijk.min_gedeelde_indicatoren}). 0 = gelijk.", ""]
    if table.empty:
        return "\n".join(lines + ["Geen vergelijkbare buurten: te weinig gedeelde indicatoren.", ""])
    lines += ["| Buurt | Gemeente | Afstand | Gedeelde indicatoren | Kwadrant |", "|---|---|---|---|---|"]
    for r in table.itertuples():
        lines.append(f"| {r.buurtnaam} ({r.buurtcode}) | {r.gemeentenaam} | {number(r.afstand, 3)} | "
                     f"{integer(r.gedeelde_indicatoren)} | {cfg.kwadrant_namen.get(r.kwadrant, r.kwadrant)} |")
    return "\n".join(lines + [""])


def run(args) -> int:
    ws = Workspace(configured(args))
    ds = load_dataset(args.data)
    code = args.buurt.strip().upper()
    names = ds.gebieden.set_index(ds.gebieden["buurtcode"].astype(str))["buurtnaam"]
    if code not in names.index:
        raise DataError(f"Buurt '{args.buurt}' staat niet in de dataset {args.data}.{closest(code, names.index)} "
                        "Geef een buurtcode (BU…) uit deze dataset; 'python -m wijkprofielen score --data …' toont ze alle.")
    recipe = ws.recipe(args.referentie)
    frame, result = ws.scored(ds, args.jaar, recipe)
    table = ws.peers(frame, result, code, k=args.k)[FIELDS]
    if args.format == "json":
        text = json.dumps(records(table), ensure_ascii=False, indent=1)
    else:
        text = markdown(code, str(names[code]), table, ws.cfg, recipe.referentie)
    write_text(text, args.out)
    return 0
