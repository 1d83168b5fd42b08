"""``monitor``: the monitor prestatieafspraken of a dataset, from a file of afspraken or the store."""

from __future__ import annotations

import json
from pathlib import Path

from .. import opslag
from ..agenda.model import load_afspraken_json, validation_for
from ..agenda.monitor import monitor_dataset
from ..agenda.store import AgendaStore
from ..config import load_config
from ..dataset import load_dataset
from ..errors import WijkprofielenError
from ..workspace import Workspace
from ._args import year
from ._output import write_text


def register(sub) -> None:
    p = sub.add_parser("monitor", help="monitor prestatieafspraken: verandering van de beoogde indicatoren en signalen")
    p.add_argument("--data", required=True, help="dataset (GeoParquet, GeoPackage, GeoJSON of CSV)")
    p.add_argument("--afspraken", help="JSON met {\"afspraken\": [...]}; zonder: de opgeslagen afspraken van de gemeente(n)")
    p.add_argument("--format", choices=("json", "md"), default="json", help="uitvoer: json (standaard) of md (Markdown)")
    p.add_argument("--jaar", type=year(), help="jaar waartegen eindjaren worden getoetst (standaard dit jaar)")
    p.add_argument("--out", help="uitvoerbestand; zonder: naar het scherm")
    p.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    p.add_argument("--database", help="SQLAlchemy-URL; standaard WIJKPROFIELEN_DATABASE of [opslag] database")
    p.set_defaults(func=run)


def run(args) -> int:
    ws = Workspace(load_config(args.config))
    ds = load_dataset(args.data)
    if args.afspraken:
        path = Path(args.afspraken)
        if not path.is_file():
            raise WijkprofielenError(f"Afsprakenbestand {path} bestaat niet. Controleer het pad.")
        items, _ = load_afspraken_json(path.read_bytes(), **validation_for(ds.frame(), ws.cfg.recipe.kolommen,
                                                                            ws.known_interventions()))
    else:
        store = AgendaStore(args.database or opslag.configured_url(ws.cfg))
        gemeenten = set(ds.gebieden["gemeentecode"].astype(str))
        items = [a for gm in sorted(gemeenten) for a in store.list(gm)]
    m = monitor_dataset(items, ds, ws, args.jaar)
    text = json.dumps(m.to_dict(), ensure_ascii=False, indent=1) if args.format == "json" else m.to_markdown(ws.cfg.kwadrant_namen)
    write_text(text, args.out)
    return 0
