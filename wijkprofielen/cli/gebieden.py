"""``gebieden``: import, list and export a team's own gebieden in the shared store."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import opslag
from ..config import load_config
from ..dataset import load_dataset
from ..errors import WijkprofielenError
from ..gebieden import GebiedenStore, read_gebieden, to_csv, to_json
from ._output import write_bytes, write_table, write_text


def register(sub) -> None:
    p = sub.add_parser("gebieden", help="eigen gebieden (sets buurten) importeren, tonen en exporteren")
    p.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    p.add_argument("--database", help="SQLAlchemy-URL; standaard WIJKPROFIELEN_DATABASE of [opslag] database")
    acties = p.add_subparsers(dest="actie", metavar="ACTIE")
    acties.required = True
    i = acties.add_parser("import", help="gebieden uit CSV/XLSX (gebied,buurtcode) of JSON opslaan; een bekende naam "
                                         "krijgt een nieuwe versie als er iets veranderde")
    i.add_argument("bestand", help="CSV, XLSX of JSON met gebieden")
    i.add_argument("--data", help="dataset om de buurtcodes tegen te controleren (aanbevolen)")
    i.add_argument("--gemeente", help="gemeentecode om de gebieden bij op te slaan, bijv. GM0796")
    lijst = acties.add_parser("lijst", help="de opgeslagen gebieden")
    lijst.add_argument("--gemeente", help="alleen gebieden van deze gemeente")
    lijst.add_argument("--out", help="uitvoer .csv of .json; zonder: CSV naar het scherm")
    e = acties.add_parser("export", help="opgeslagen gebieden als JSON (verliesvrij) of CSV")
    e.add_argument("--naam", action="append", help="alleen dit gebied (mag vaker); standaard alle")
    e.add_argument("--gemeente", help="alleen gebieden van deze gemeente")
    e.add_argument("--out", help="uitvoer .json of .csv; zonder: JSON naar het scherm")
    p.set_defaults(func=run)


def run(args) -> int:
    cfg = load_config(args.config)
    store = GebiedenStore(args.database or opslag.configured_url(cfg))
    if args.actie == "import":
        codes = load_dataset(args.data).codes if args.data else None
        gebieden = read_gebieden(args.bestand, codes)
        for naam, versie in store.import_gebieden(gebieden, args.gemeente).items():
            print(f"gebied '{naam}' opgeslagen (versie {versie})")
        return 0
    if args.actie == "lijst":
        rows = [{"naam": g.naam, "gemeentecode": g.gemeentecode or "", "versie": g.versie, "n_buurten": g.n_buurten,
                 "opgeslagen_op": g.opgeslagen_op.isoformat(timespec="seconds")} for g in store.list(args.gemeente)]
        write_table(pd.DataFrame(rows, columns=["naam", "gemeentecode", "versie", "n_buurten", "opgeslagen_op"]), args.out)
        return 0
    gebieden = store.load_all(args.gemeente)
    if args.naam:
        known = {g.naam.casefold() for g in gebieden}
        unknown = [n for n in args.naam if n.casefold() not in known]
        if unknown:
            raise WijkprofielenError(f"Gebied {', '.join(repr(n) for n in unknown)} staat niet in de opslag. "
                                     "Zie 'wijkprofielen gebieden lijst'.")
        wanted = {n.casefold() for n in args.naam}
        gebieden = [g for g in gebieden if g.naam.casefold() in wanted]
    fmt = Path(args.out).suffix.lower() if args.out else ".json"
    if fmt not in (".json", ".csv"):
        raise WijkprofielenError(f"Uitvoerformaat '{fmt}' wordt niet ondersteund. Gebruik een .json- of .csv-bestand.")
    if fmt == ".csv":
        write_bytes(args.out, to_csv(gebieden))
    else:
        write_text(to_json(gebieden), args.out)
    return 0
