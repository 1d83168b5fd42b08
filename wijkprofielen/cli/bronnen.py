"""``bronnen controleer``: does every configured source still answer in the shape the importers expect?"""

from __future__ import annotations

import json

from ..config import load_config
from ..importers.controle import IN_ORDE, controleer
from ._args import year


def register(sub) -> None:
    p = sub.add_parser("bronnen", help="bronnen van 'download' nagaan")
    acties = p.add_subparsers(dest="actie", metavar="ACTIE")
    acties.required = True
    c = acties.add_parser("controleer", help="stel elke bron één kleine vraag en controleer de vorm van het antwoord (velden, pagina's, CRS)")
    c.add_argument("--jaar", type=year(), default=2024, help="jaar voor de OGC API, de Kerncijfers en de wijk- en buurtkaart (standaard 2024)")
    c.add_argument("--wfs-jaar", type=year("--wfs-jaar"), default=2022, help="jaar voor de PDOK WFS (standaard 2022)")
    c.add_argument("--json", action="store_true", help="uitkomst als JSON")
    c.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    c.set_defaults(func=run)


def run(args) -> int:
    settings = load_config(args.config).imports
    uitkomsten = controleer(settings, args.jaar, args.wfs_jaar)
    if args.json:
        print(json.dumps([u.to_dict() for u in uitkomsten], ensure_ascii=False, indent=1))
    else:
        for u in uitkomsten:
            print(f"{u.status:>15}  {u.bron}: {u.toelichting}\n{'':>17}{u.adres}")
    return 0 if all(u.status == IN_ORDE for u in uitkomsten) else 1
