"""``download``: fetch PDOK boundaries, CBS Kerncijfers and Leefbaarometer scores, then import."""

from __future__ import annotations

from pathlib import Path

from ..config import load_config
from ..importers.download import download_all
from ..importers.opslag import dataset_path
from ..importers.pipeline import build_dataset, check_gemeente
from .importeer import write_import


def register(sub) -> None:
    p = sub.add_parser("download", help="download grenzen (PDOK), Kerncijfers (CBS) en Leefbaarometer en importeer ze")
    p.add_argument("--gemeente", required=True, help="gemeentecode, bijvoorbeeld GM0796")
    p.add_argument("--jaar", required=True, type=int, help="jaar van grenzen en Kerncijfers, bijvoorbeeld 2024")
    p.add_argument("--out", help="dataset (standaard geodata/<gemeente>.parquet)")
    p.add_argument("--bronmap", help="map voor de gedownloade bestanden (standaard geodata/bronnen/<gemeente>-<jaar>)")
    p.add_argument("--rapport", help="dekkingsrapport als JSON")
    p.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    p.set_defaults(func=run)


def run(args) -> int:
    settings = load_config(args.config).imports
    gemeente = check_gemeente(args.gemeente)
    files = download_all(settings, gemeente, args.jaar, Path(args.bronmap) if args.bronmap else None)
    out = Path(args.out) if args.out else dataset_path(gemeente)
    ds, rapport = build_dataset(gemeente, files["buurten"], kerncijfers=[files["kerncijfers"]],
                                leefbaarometer=files["leefbaarometer"], naam=out.stem, max_mb=None,
                                tolerance_m=settings.web_tolerantie_m, regels=settings.regels)
    return write_import(ds, rapport, out, args.rapport)
