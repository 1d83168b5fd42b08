"""``agenda``: import, list and export the afspraken and the uitvoeringsagenda of a year."""

from __future__ import annotations

import os
from pathlib import Path

from .. import opslag
from ..agenda.model import validation_for
from ..agenda.monitor import monitor_dataset
from ..agenda.store import AgendaStore
from ..agenda.uitvoering import agenda_table, csv_bytes, pdf_bytes, xlsx_bytes
from ..config import load_config
from ..dataset import load_dataset
from ..errors import WijkprofielenError
from ..workspace import Workspace
from ._args import year
from ._output import write_bytes, write_text

FORMATS = ("xlsx", "csv", "pdf", "json")


def _common(p) -> None:
    p.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    p.add_argument("--database", help="SQLAlchemy-URL; standaard WIJKPROFIELEN_DATABASE of [opslag] database")


def register(sub) -> None:
    p = sub.add_parser("agenda", help="prestatieafspraken en de uitvoeringsagenda van een jaar")
    a = p.add_subparsers(dest="actie", metavar="ACTIE")
    a.required = True
    i = a.add_parser("import", help="afspraken-JSON controleren en opslaan (nieuwe afspraken en nieuwe versies)")
    i.add_argument("--afspraken", required=True, help="JSON met {\"afspraken\": [...]}")
    i.add_argument("--data", help="dataset waartegen de buurt- en wijkcodes worden gecontroleerd")
    i.add_argument("--door", default=os.environ.get("USER") or "opdrachtregel", help="wie de wijziging doet (standaard de gebruikersnaam)")
    _common(i)
    i.set_defaults(func=run_import)
    lijst = a.add_parser("lijst", help="opgeslagen afspraken (laatste versie)")
    lijst.add_argument("--gemeente", help="alleen deze gemeente (GMxxxx)")
    lijst.add_argument("--jaar", type=year(), help="alleen afspraken die in dit jaar lopen")
    _common(lijst)
    lijst.set_defaults(func=run_list)
    e = a.add_parser("export", help="de uitvoeringsagenda van een jaar (xlsx, csv, pdf) of alle afspraken als JSON")
    e.add_argument("--jaar", type=year(), help="jaar van de uitvoeringsagenda (nodig voor xlsx, csv en pdf)")
    e.add_argument("--format", choices=FORMATS, help="xlsx, csv, pdf of json (standaard: uit de extensie van --out)")
    e.add_argument("--out", help="uitvoerbestand; zonder: csv en json naar het scherm")
    e.add_argument("--data", help="dataset voor buurtnamen, kwadrant en signaal")
    e.add_argument("--gemeente", help="alleen deze gemeente (GMxxxx)")
    _common(e)
    e.set_defaults(func=run_export)


def _store(args, ws: Workspace) -> AgendaStore:
    return AgendaStore(args.database or opslag.configured_url(ws.cfg))


def run_import(args) -> int:
    ws = Workspace(load_config(args.config))
    path = Path(args.afspraken)
    if not path.is_file():
        raise WijkprofielenError(f"Afsprakenbestand {path} bestaat niet. Controleer het pad.")
    if args.data:
        validation = validation_for(load_dataset(args.data).frame(), ws.cfg.recipe.kolommen, ws.known_interventions())
    else:
        validation = {"kolommen": set(ws.cfg.recipe.kolommen), "interventies": set(ws.known_interventions())}
    r = _store(args, ws).import_json(path.read_bytes(), door=args.door, **validation)
    print(f"{len(r.nieuw)} nieuw, {len(r.bijgewerkt)} met een nieuwe versie, {len(r.ongewijzigd)} ongewijzigd")
    return 0


def run_list(args) -> int:
    ws = Workspace(load_config(args.config))
    for v in _store(args, ws).latest(args.gemeente):
        a = v.afspraak
        if args.jaar is None or a.loopt_in(args.jaar):
            print(f"{a.id}\t{a.buurtcode}\t{a.partij}\t{a.start_jaar}–{a.eind_jaar}\t{a.status}\tversie {v.versie}\t{a.titel}")
    return 0


def run_export(args) -> int:
    ws = Workspace(load_config(args.config))
    fmt = args.format or (Path(args.out).suffix.lower().lstrip(".") if args.out else "")
    if fmt not in FORMATS:
        raise WijkprofielenError("Kies het formaat met --format xlsx, csv, pdf of json (of een --out met die extensie).")
    store = _store(args, ws)
    if fmt == "json":
        write_text(store.export_json(args.gemeente), args.out)
        return 0
    if args.jaar is None:
        raise WijkprofielenError(f"Geef met --jaar het jaar van de uitvoeringsagenda (bijvoorbeeld --jaar 2026) voor {fmt}.")
    if fmt in ("xlsx", "pdf") and not args.out:
        raise WijkprofielenError(f"Een {fmt}-bestand gaat niet naar het scherm. Geef --out agenda.{fmt}.")
    items = store.list(args.gemeente)
    frame = monitor = None
    ds = load_dataset(args.data) if args.data else None
    if ds is not None:
        frame = ds.frame()
        monitor = monitor_dataset(items, ds, ws, args.jaar)
    table = agenda_table(items, args.jaar, frame, monitor, ws.cfg.kwadrant_namen, ws.known_interventions())
    if fmt == "csv":
        data = csv_bytes(table)
        if not args.out:
            write_text(data.decode("utf-8-sig"), None)
            return 0
    elif fmt == "xlsx":
        data = xlsx_bytes(table, args.jaar)
    else:
        gemeente = ", ".join(sorted(set(frame["gemeentenaam"].astype(str)))) if frame is not None else (args.gemeente or "")
        data = pdf_bytes(table, args.jaar, gemeente, bool(ds is not None and ds.synthetisch))
    write_bytes(args.out, data)
    print(f"{len(table)} afspraken in de uitvoeringsagenda {args.jaar}: {args.out}")
    return 0
