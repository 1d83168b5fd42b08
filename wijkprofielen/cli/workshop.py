"""``workshop``: export, import and read workshops in the shared store.

The begeleiderssleutel comes from ``--sleutel`` or, better (not in the process list or
shell history), from the environment variable ``WIJKPROFIELEN_SLEUTEL``.
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import opslag
from ..config import load_config
from ..errors import WijkprofielenError
from ..workshop import WorkshopStore, store_settings
from ..workspace import Workspace
from ._output import write_table, write_text

KEY_ENV = "WIJKPROFIELEN_SLEUTEL"


def register(sub) -> None:
    p = sub.add_parser("workshop", help="workshops exporteren, importeren en plaatsingen opvragen")
    p.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    p.add_argument("--database", help="SQLAlchemy-URL; standaard WIJKPROFIELEN_DATABASE of [opslag] database")
    ws = p.add_subparsers(dest="actie", metavar="ACTIE")
    ws.required = True
    e = ws.add_parser("export", help="alle gebeurtenissen van een workshop als JSON (verliesvrij) of CSV")
    e.add_argument("--code", required=True, help="workshopcode")
    e.add_argument("--sleutel", help=f"begeleiderssleutel (of zet {KEY_ENV})")
    e.add_argument("--out", help="uitvoer .json of .csv; zonder: JSON naar het scherm")
    i = ws.add_parser("import", help="een JSON-export terugzetten")
    i.add_argument("bestand", help="JSON-export van een workshop")
    i.add_argument("--kopie", action="store_true", help="als kopie met een nieuwe code en sleutel")
    b = ws.add_parser("plaatsingen", help="plaatsingen van één buurt in alle workshops")
    b.add_argument("--buurt", required=True, help="buurtcode, bijv. BU03630000")
    b.add_argument("--out", help="uitvoer .csv of .json; zonder: CSV naar het scherm")
    b.add_argument("--alleen-gesloten", action="store_true", help="alleen afgesloten workshops")
    b.add_argument("--anoniem", action="store_true", help="namen vervangen door 'Deelnemer n'")
    p.set_defaults(func=run)


def _store(args) -> WorkshopStore:
    """The store, pinning from the configured menukaart (as the app)."""
    ws = Workspace(load_config(args.config))
    return WorkshopStore(args.database or opslag.configured_url(ws.cfg), menukaart=ws.menukaart, **store_settings(ws.cfg))


def run(args) -> int:
    store = _store(args)
    if args.actie == "export":
        key = args.sleutel or os.environ.get(KEY_ENV)
        if not key:
            raise WijkprofielenError(f"Geef de begeleiderssleutel met --sleutel of de omgevingsvariabele {KEY_ENV}.")
        fmt = Path(args.out).suffix.lower() if args.out else ".json"
        if fmt not in (".json", ".csv"):
            raise WijkprofielenError(f"Uitvoerformaat '{fmt}' wordt niet ondersteund. Gebruik een .json- of .csv-bestand.")
        text = store.export_json(args.code, key) if fmt == ".json" else store.export_csv(args.code, key)
        write_text(text, args.out)
        return 0
    if args.actie == "import":
        try:
            data = Path(args.bestand).read_bytes()
        except OSError as exc:
            raise WijkprofielenError(f"Bestand {args.bestand} kan niet worden gelezen ({exc.strerror}).") from None
        ws = store.import_json(data, nieuwe_code=args.kopie)
        print(f"workshop '{ws.naam}' geïmporteerd met code {ws.code}")
        if ws.facilitator_key:
            print(f"nieuwe begeleiderssleutel (bewaar die): {ws.facilitator_key}")
        return 0
    write_table(store.buurt_placements(args.buurt, alleen_gesloten=args.alleen_gesloten, anoniem=args.anoniem), args.out)
    return 0
