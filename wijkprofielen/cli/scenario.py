"""``scenario``: evaluate a scenario JSON against the city targets, or compare two."""

from __future__ import annotations

import json
import sys

from ..config import load_config
from ..dataset import load_dataset
from ..errors import WijkprofielenError
from ..formatting import amount
from ..scenario.evaluate import compare
from ..scenario.run import evaluate_dataset, read_scenario_file
from ..scenario.store import store_from_config
from ..synthetic import voorbeeldstad
from ..workspace import Workspace
from ._args import whole, year
from ._output import records, write_text


def register(sub) -> None:
    p = sub.add_parser("scenario", help="tel een scenario op tegen de stedelijke doelen (uitzoomen)")
    ssub = p.add_subparsers(dest="actie", metavar="ACTIE")
    ssub.required = True
    for naam, helptext in (("evaluate", "doelen, tekorten en waarschuwingen van één scenario"), ("compare", "scenario A naast B")):
        q = ssub.add_parser(naam, help=helptext)
        q.add_argument("--data", help="dataset (GeoParquet, GeoPackage, GeoJSON of CSV); zonder: de synthetische Voorbeeldstad")
        q.add_argument("--config", help="configuratiebestand (standaard config.toml)")
        q.add_argument("--jaar", type=year(), help="peiljaar van de buurtgegevens")
        q.add_argument("--gemeente", help="gemeentecode (GMxxxx) als de dataset meer gemeenten bevat")
        q.add_argument("--format", choices=("json", "tekst"), default="json", help="uitvoer: json (standaard) of tekst")
        if naam == "evaluate":
            q.add_argument("--scenario", required=True, help="scenario-JSON")
            q.set_defaults(func=run_evaluate)
        else:
            q.add_argument("--a", required=True, help="scenario-JSON A")
            q.add_argument("--b", required=True, help="scenario-JSON B")
            q.set_defaults(func=run_compare)
    # The shared store ([opslag] database / $WIJKPROFIELEN_DATABASE).
    q = ssub.add_parser("lijst", help="opgeslagen scenario's")
    q.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    q.set_defaults(func=run_list)
    q = ssub.add_parser("import", help="scenario-JSON controleren en opslaan als nieuw scenario")
    q.add_argument("--scenario", required=True, help="scenario-JSON")
    q.add_argument("--data", help="dataset waartegen de buurtcodes worden gecontroleerd; zonder: Voorbeeldstad")
    q.add_argument("--gemeente", help="gemeentecode (GMxxxx) als de dataset meer gemeenten bevat")
    q.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    q.set_defaults(func=run_import)
    q = ssub.add_parser("export", help="een opgeslagen scenario als JSON")
    q.add_argument("--id", type=whole("--id", 1), required=True, help="scenario-id (zie 'scenario lijst')")
    q.add_argument("--versie", type=whole("--versie", 1), help="versie (standaard de laatste)")
    q.add_argument("--out", help="uitvoerbestand; zonder: naar het scherm")
    q.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    q.set_defaults(func=run_export)


def _load(args):
    ws = Workspace(load_config(args.config))
    ds = load_dataset(args.data) if args.data else voorbeeldstad()
    if args.gemeente:
        codes = ds.gebieden.loc[ds.gebieden["gemeentecode"] == args.gemeente, "buurtcode"].tolist()
        if not codes:
            raise WijkprofielenError(f"Gemeente {args.gemeente} komt niet voor in de dataset. Kies uit: "
                                     f"{', '.join(sorted(ds.gebieden['gemeentecode'].unique())[:10])}.")
        ds = ds.subset(codes)
    return ws, ds, ws.doelen_for(ds.gebieden["gemeentecode"])


def run_evaluate(args) -> int:
    ws, ds, doelen = _load(args)
    scenario = read_scenario_file(args.scenario, ds, doelen.periode, ws.menukaart)
    ev = evaluate_dataset(scenario, ds, ws, args.jaar)
    if args.format == "json":
        out = ev.to_dict()
        if ds.synthetisch:
            out["let_op"] = "synthetische voorbeeldgegevens"
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    else:
        print(f"Scenario '{scenario.naam}' tegen {doelen.naam} ({doelen.periode[0]}–{doelen.periode[1]})")
        for r in ev.doelen.itertuples():
            print(f"  {r.label}: gepland {amount(r.gepland, r.eenheid)}, streef {amount(r.streef, r.eenheid)}, tekort {amount(r.tekort, r.eenheid)}")
        for w in ev.waarschuwingen:
            print(f"  let op ({w.soort}): {w.tekst}")
    if ds.synthetisch:
        print("let op: synthetische voorbeeldgegevens", file=sys.stderr)
    return 0


def run_compare(args) -> int:
    ws, ds, doelen = _load(args)
    a = read_scenario_file(args.a, ds, doelen.periode, ws.menukaart)
    b = read_scenario_file(args.b, ds, doelen.periode, ws.menukaart)
    if a.naam == b.naam and args.a == args.b:
        raise WijkprofielenError("Scenario A en B zijn hetzelfde bestand. Geef twee verschillende scenario's.")
    ea, eb = evaluate_dataset(a, ds, ws, args.jaar), evaluate_dataset(b, ds, ws, args.jaar)
    table = compare(ea, eb)
    if args.format == "json":
        out = {"a": a.naam, "b": b.naam, "doelen": records(table.round(2)),
               "waarschuwingen_a": [w.to_dict() for w in ea.waarschuwingen], "waarschuwingen_b": [w.to_dict() for w in eb.waarschuwingen]}
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    else:
        print(f"A: {a.naam}  |  B: {b.naam}")
        for r in table.itertuples():
            print(f"  {r.label}: A {amount(r.gepland_a, r.eenheid)}, B {amount(r.gepland_b, r.eenheid)} (streef {amount(r.streef, r.eenheid)})")
    return 0


def run_list(args) -> int:
    for s in store_from_config(load_config(args.config)).list():
        print(f"{s.id}\t{s.gemeentecode or '-'}\tversie {s.versie}\t{s.opgeslagen_op:%Y-%m-%d %H:%M}\t{s.naam}")
    return 0


def run_import(args) -> int:
    ws, ds, doelen = _load(args)
    scenario = read_scenario_file(args.scenario, ds, doelen.periode, ws.menukaart)
    sid = store_from_config(ws.cfg).create(scenario, doelen.gemeentecode)
    print(f"opgeslagen als scenario {sid}: {scenario.naam}")
    return 0


def run_export(args) -> int:
    write_text(store_from_config(load_config(args.config)).export_json(args.id, args.versie), args.out)
    return 0
