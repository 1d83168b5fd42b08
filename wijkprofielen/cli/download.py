"""``download``: fetch a gemeente's open sources (or the whole country) and import them."""

from __future__ import annotations

import sys
from pathlib import Path

from tqdm import tqdm

from ..config import load_config
from ..errors import DataError
from ..importers.download import STANDAARD_BRONNEN, download_gemeente, download_landelijk
from ..importers.opslag import dataset_path
from ..importers.pipeline import check_gemeente
from ._args import year
from .importeer import write_import


class Voortgang:
    """One tqdm bar per source on stderr; bytes for files, items for paged services."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.bars: dict[str, tqdm] = {}

    def __call__(self, label: str, done: int, total: int | None, unit: str) -> None:
        bar = self.bars.get(label)
        if bar is None:
            bytes_ = unit == "B"
            bar = self.bars[label] = tqdm(desc=label, total=total, unit=unit, unit_scale=bytes_, unit_divisor=1024 if bytes_ else 1000,
                                          file=self.stream, leave=True, dynamic_ncols=True, mininterval=0.2)
        if total is not None and bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()
        self.bars.clear()


def register(sub) -> None:
    p = sub.add_parser("download", help="haal buurtgrenzen (PDOK), Kerncijfers (CBS) en Leefbaarometer op en importeer ze")
    p.add_argument("--gemeente", help="gemeentecode, bijvoorbeeld GM0796 (niet bij --landelijk)")
    p.add_argument("--landelijk", action="store_true", help="heel Nederland uit de CBS wijk- en buurtkaart plus de Leefbaarometer")
    p.add_argument("--jaar", required=True, type=year(), help="jaar van grenzen en Kerncijfers, bijvoorbeeld 2024")
    p.add_argument("--bronnen", default=",".join(STANDAARD_BRONNEN),
                   help="welke bronnen: pdok, cbs, lbm (open-data-zip), lbm-wfs of ses (inkomen per wijk en buurt), met komma's "
                        "(standaard pdok,cbs,lbm; ses komt er vanzelf bij als de Kerncijfers geen inkomen hebben)")
    p.add_argument("--tabel", help="StatLine-tabel van de Kerncijfers als het pakket die van dit jaar nog niet kent, bijvoorbeeld 86165NED")
    p.add_argument("--ses-tabel", help="StatLine-tabel van het inkomen per wijk en buurt (SES-WOA) als het pakket die van dit jaar "
                                       "nog niet kent, bijvoorbeeld 86092NED")
    p.add_argument("--vernieuw", action="store_true", help="haal alles opnieuw op, ook wat al in geodata/bronnen/ staat")
    p.add_argument("--out", help="dataset (standaard geodata/<gemeente>.parquet, of geodata/Nederland-<jaar>.parquet)")
    p.add_argument("--bronmap", help="map voor de opgehaalde bestanden en bronnen.json (standaard geodata/bronnen)")
    p.add_argument("--rapport", help="dekkingsrapport als JSON")
    p.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    p.set_defaults(func=run)


def run(args) -> int:
    settings = load_config(args.config).imports
    folder = Path(args.bronmap) if args.bronmap else None
    if args.landelijk == bool(args.gemeente):
        raise DataError("Geef --gemeente GMxxxx voor één gemeente, of --landelijk voor heel Nederland (niet allebei).")
    progress = Voortgang()
    try:
        if args.landelijk:
            bronnen = "pdok,lbm" if args.bronnen == ",".join(STANDAARD_BRONNEN) else args.bronnen
            out = Path(args.out) if args.out else dataset_path(f"Nederland-{args.jaar}")
            ds, rapport = download_landelijk(settings, args.jaar, bronnen.split(","), args.vernieuw, folder, progress, naam=out.stem)
        else:
            gemeente = check_gemeente(args.gemeente)
            out = Path(args.out) if args.out else dataset_path(gemeente)
            ds, rapport = download_gemeente(settings, gemeente, args.jaar, args.bronnen, args.vernieuw, folder, args.tabel,
                                            progress, naam=out.stem, ses_tabel=args.ses_tabel)
    finally:
        progress.close()
    for h in ds.meta.get("herkomst", []):
        status = "uit de cache" if h.get("uit_cache") else "opgehaald"
        print(f"{h['soort']}: {h['bestand']} ({status}; {h['url']})", file=sys.stderr)
    return write_import(ds, rapport, out, args.rapport)
