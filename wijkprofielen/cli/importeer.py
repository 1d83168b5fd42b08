"""``import``: build one dataset from boundary, Kerncijfers, Leefbaarometer, income and local files,
or from the CBS wijk- en buurtkaart (one gemeente or the whole country)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .. import options
from ..config import load_config
from ..dataset import save_dataset
from ..errors import DataError
from ..importers.invoer import split_year
from ..importers.opslag import atomic_write
from ..importers.pipeline import build_dataset, check_gemeente
from ..importers.wijkbuurtkaart import build_from_wijkbuurtkaart
from ._args import argument


def register(sub) -> None:
    p = sub.add_parser("import", help="importeer CBS-grenzen, Kerncijfers, Leefbaarometer, inkomen en lokale gegevens tot één dataset")
    p.add_argument("--gemeente", help="gemeentecode, bijvoorbeeld GM0796 (niet bij --landelijk)")
    p.add_argument("--buurten", help="buurtgrenzen: GeoJSON, GeoPackage of shapefile (PDOK/CBS); BESTAND@JAAR mag")
    p.add_argument("--wijkbuurtkaart", metavar="ZIP", help="CBS wijk- en buurtkaart (zip of GeoPackage): grenzen en kerncijfers van alle buurten")
    p.add_argument("--landelijk", action="store_true", help="met --wijkbuurtkaart: alle landbuurten van Nederland in één dataset")
    p.add_argument("--kerncijfers", action="append", default=[], metavar="F[@JAAR]", help="CBS Kerncijfers (CSV of OData-JSON); herhaalbaar")
    p.add_argument("--leefbaarometer", help="Leefbaarometer 3 buurtscores: de open-data-zip, de CSV erin of een WFS-antwoord (GeoJSON)")
    p.add_argument("--inkomen", metavar="F[@JAAR]", help="CBS-maatwerktabel inkomen per wijk (CSV met ';')")
    p.add_argument("--lokaal", action="append", default=[], metavar="F[@JAAR]", help="eigen gegevens per buurtcode (CSV of XLSX); herhaalbaar")
    p.add_argument("--grenzen-ander-jaar", action="append", default=[], metavar="F@JAAR",
                   help="buurtgrenzen van een ander jaar: buurten met een andere oppervlakte krijgen in dat jaar een markering; herhaalbaar")
    p.add_argument("--out", required=True, help="uitvoer, bijvoorbeeld geodata/GM0796.parquet")
    p.add_argument("--rapport", help="dekkingsrapport als JSON")
    p.add_argument("--naam", help="naam van de dataset (standaard de gemeentecode)")
    p.add_argument("--max-mb", type=argument("--max-mb", options.number(0.0001, 100_000), float), help="grootste toegestane bestand in MB (standaard geen grens; de Data-pagina gebruikt [import] max_mb)")
    p.add_argument("--bij-afwijking", choices=["weigeren", "ontbrekend"], default="weigeren",
                   help="waarden buiten het bereik van de indicator: import weigeren (standaard) of als ontbrekend bewaren, met de reden in het rapport")
    p.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    p.set_defaults(func=run)


def run(args) -> int:
    settings = load_config(args.config).imports
    out = Path(args.out)
    if out.suffix.lower() != ".parquet":
        raise DataError(f"--out {args.out}: de dataset wordt als GeoParquet geschreven. Gebruik een naam op .parquet, bijvoorbeeld geodata/{args.gemeente}.parquet.")
    for target in (out, Path(args.rapport) if args.rapport else None):
        if target is not None and not target.parent.exists():
            raise DataError(f"Map {target.parent} bestaat niet. Maak die eerst aan of kies een ander pad.")
    if args.wijkbuurtkaart:
        return _wijkbuurtkaart(args, settings, out)
    if args.landelijk:
        raise DataError("--landelijk leest de CBS wijk- en buurtkaart: geef die met --wijkbuurtkaart ZIP.")
    if not args.gemeente or not args.buurten:
        raise DataError("Geef --gemeente en --buurten (of --wijkbuurtkaart ZIP met --gemeente of --landelijk).")
    ds, rapport = build_dataset(
        args.gemeente,
        split_year(args.buurten),
        kerncijfers=[split_year(k) for k in args.kerncijfers],
        leefbaarometer=args.leefbaarometer,
        inkomen=split_year(args.inkomen) if args.inkomen else None,
        lokaal=[split_year(f) for f in args.lokaal],
        mapping=settings.kolommen,
        naam=args.naam or out.stem,
        max_mb=args.max_mb,
        tolerance_m=settings.web_tolerantie_m, regels=settings.regels,
        andere_grenzen=[split_year(f) for f in args.grenzen_ander_jaar],
        bij_afwijking=args.bij_afwijking,
    )
    return write_import(ds, rapport, out, args.rapport)


def _wijkbuurtkaart(args, settings, out: Path) -> int:
    if args.landelijk == bool(args.gemeente):
        raise DataError("--wijkbuurtkaart: geef --gemeente GMxxxx voor één gemeente, of --landelijk voor heel Nederland.")
    if args.buurten or args.kerncijfers or args.inkomen or args.lokaal:
        raise DataError("--wijkbuurtkaart neemt grenzen en kerncijfers uit de kaart; --buurten, --kerncijfers, --inkomen en --lokaal "
                        "horen bij een import per gemeente zonder --wijkbuurtkaart.")
    ds, rapport = build_from_wijkbuurtkaart(args.wijkbuurtkaart, None if args.landelijk else check_gemeente(args.gemeente),
                                            args.leefbaarometer, naam=args.naam or out.stem,
                                            tolerance_m=settings.web_tolerantie_m, bij_afwijking=args.bij_afwijking,
                                            regels=settings.regels)
    return write_import(ds, rapport, out, args.rapport)


def write_import(ds, rapport, out: Path, rapport_pad: str | None) -> int:
    """Save an imported dataset and its coverage report; print the report (shared with ``download``)."""
    save_dataset(ds, out)
    if rapport_pad:
        atomic_write(rapport_pad, json.dumps(rapport.to_dict(), ensure_ascii=False, indent=1) + "\n")
    print(rapport.tekst())
    print(f"geschreven: {out} ({len(ds.codes)} buurten, {len(ds.kolommen)} indicatoren)", file=sys.stderr)
    return 0
