"""``export``: wijkprofiel PDF/HTML, all buurten as GeoPackage/CSV, manifest, batch, the map print."""

from __future__ import annotations

import sys
from pathlib import Path

from ..dataset import load_dataset
from ..errors import WijkprofielenError
from ..domain import NIVEAUS
from ..export.exporter import Exporter
from ..export.kaartopties import FORMATS as KAART, PAPIER, KaartOpties, check_opties, selection
from ..export.niveau import level_csv, level_gpkg, level_manifest_bytes
from ..gebieden import read_gebieden
from ..workspace import Workspace
from ..workshop.export_link import closed_placements
from ._args import year
from ._config import add_config_options, configured
from ._output import write_bytes

SINGLE = ("pdf", "html")
ALL = ("gpkg", "csv", "json")
BATCH = ("pdf", "zip")
KAART_ONLY = ("kleur", "indicator", "papier", "liggend", "labels", "klassenummers", "arcering")


def register(sub) -> None:
    p = sub.add_parser(
        "export", help="exporteer een wijkprofiel (pdf/html), alle buurten (gpkg/csv), het manifest (json) of een batch",
        description="Eén buurt: --buurt CODE --format pdf|html. Alle buurten: --format gpkg|csv|json (json = manifest). "
                    "Batch: --wijk WKCODE of --gemeente GMCODE met --format pdf|zip. Kaart: --kaart met --format "
                    "pdf|png|svg, eventueel --kleur, --gemeente of --wijk, --papier, --liggend en --labels.")
    p.add_argument("--data", required=True, help="dataset: GeoParquet, GeoPackage, GeoJSON of CSV")
    add_config_options(p)
    p.add_argument("--jaar", type=year(), help="peiljaar: per indicator het laatste jaar tot en met dit jaar")
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--buurt", metavar="CODE", help="buurtcode, bijvoorbeeld BU07960101")
    scope.add_argument("--wijk", metavar="WKCODE", help="alle buurten van deze wijk (batch)")
    scope.add_argument("--gemeente", metavar="GMCODE", help="alle buurten van deze gemeente (batch)")
    p.add_argument("--format", required=True, choices=sorted(set(SINGLE + ALL + BATCH + KAART)), help="uitvoerformaat")
    p.add_argument("--out", required=True, help="doelbestand")
    ws = p.add_mutually_exclusive_group()
    ws.add_argument("--workshops", dest="workshops", action="store_const", const=True, default=None,
                    help="plaatsingen uit afgesloten workshops (geanonimiseerd) uit [opslag] database / "
                         "WIJKPROFIELEN_DATABASE verplicht opnemen: fout als de opslag niet te openen is. "
                         "Standaard worden ze opgenomen als de opslag er is")
    ws.add_argument("--geen-workshops", dest="workshops", action="store_const", const=False,
                    help="wijkprofielen zonder workshopplaatsingen")
    p.add_argument("--zonder-stabiliteit", action="store_true",
                   help="laat de stabiliteit van de plaatsing weg (sneller bij een landelijke dataset)")
    kaart = p.add_argument_group("kaart afdrukken (--kaart)")
    kaart.add_argument("--kaart", action="store_true",
                       help="de kaart als PDF of SVG (vector) of PNG (300 dpi), met legenda, schaalstok en bronnen")
    kaart.add_argument("--kleur", metavar="KLEURING", help="kleuring van de kaart, bijvoorbeeld kwadrant (standaard), "
                                                           "bivariaat, draagkracht, fysieke_kansen, indicator, dekking")
    kaart.add_argument("--indicator", metavar="KOLOM", help="de indicator bij --kleur indicator, bijvoorbeeld lbm_afw")
    kaart.add_argument("--papier", metavar="A4|A3", help="papierformaat (standaard A4)")
    kaart.add_argument("--liggend", action="store_true", help="liggend in plaats van staand")
    kaart.add_argument("--labels", action="store_true", help="buurtnamen op de kaart")
    kaart.add_argument("--klassenummers", action="store_true",
                       help="het klassenummer op elke buurt (en in de legenda): leesbaar zonder kleur")
    kaart.add_argument("--arcering", action="store_true", help="een arcering per klasse: leesbaar in zwart-wit")
    p.add_argument("--niveau", choices=NIVEAUS, default="buurt",
                   help="alle wijken of gebieden (--gebieden) als gpkg/csv met samengevoegde grenzen, of hun manifest (json)")
    p.add_argument("--gebieden", help="gebieden: CSV of XLSX met kolommen gebied,buurtcode, of de JSON-export")
    p.set_defaults(func=run)


def _plaatsingen(args, cfg):
    """The placements source of ``--workshops``: required, off, or when available (default)."""
    if args.workshops is False or not (args.buurt or args.wijk or args.gemeente):
        return None
    try:
        source = closed_placements(cfg=cfg)
    except WijkprofielenError as exc:
        if args.workshops:
            raise
        print(f"let op: export zonder workshopplaatsingen: {exc}", file=sys.stderr)
        return None
    if source is None and args.workshops:
        raise WijkprofielenError("--workshops: er is geen workshopopslag (opslag.database / WIJKPROFIELEN_DATABASE "
                                 "wijst naar een bestand dat niet bestaat). Laat --workshops weg of zet de juiste URL.")
    return source


def _out(args) -> Path:
    out = Path(args.out)
    if not out.parent.exists():
        raise WijkprofielenError(f"Map {out.parent} bestaat niet. Maak die eerst aan of kies een ander --out.")
    return out


def _run_kaart(args, opties: KaartOpties) -> int:
    out = _out(args)
    ds = load_dataset(args.data)
    selection(ds.gebieden, opties)  # an unknown gemeente or wijk fails before scoring
    ex = Exporter(ds, configured(args), jaar=args.jaar, data_pad=args.data, menukaart=None)
    if opties.kleur == "stabiliteit":  # the [stabiliteit] settings, as on the Kaart page
        ex.add_stability(ex.ws.stability(ex.frame, ex.result))
    data = ex.kaart(opties, args.format)
    write_bytes(out, data)
    print(f"kaart geschreven naar {out} ({len(data) / 1024:.0f} kB).", file=sys.stderr)
    if ds.synthetisch:
        print("let op: synthetische voorbeeldgegevens", file=sys.stderr)
    return 0


def _progress(i: int, n: int, naam: str) -> None:
    print(f"\r[{i}/{n}] {naam[:50]:<50}", end="" if i < n else "\n", file=sys.stderr, flush=True)


def _kaart_opties(args) -> KaartOpties | None:
    """The map print's options from the arguments (None without --kaart); every mismatch in Dutch."""
    fmt = args.format
    if not args.kaart:
        given = [f"--{k}" for k in KAART_ONLY if getattr(args, k) not in (None, False)]
        if given:
            raise WijkprofielenError(f"{', '.join(given)} hoort bij de kaart: voeg --kaart toe.")
        if fmt in set(KAART) - set(SINGLE + ALL + BATCH):
            raise WijkprofielenError(f"--format {fmt} is er alleen voor de kaart: voeg --kaart toe.")
        return None
    if args.buurt:
        raise WijkprofielenError("--kaart drukt een hele dataset, gemeente (--gemeente) of wijk (--wijk) af, "
                                 "geen losse buurt. Laat --buurt weg.")
    if fmt not in KAART:
        raise WijkprofielenError(f"De kaart wordt {', '.join(KAART)}, niet {fmt}. Gebruik --format pdf, png of svg.")
    suffix = Path(args.out).suffix.lower().lstrip(".")
    if suffix and suffix != fmt:
        raise WijkprofielenError(f"--out {args.out} eindigt op .{suffix} maar --format is {fmt}. "
                                 f"Maak die gelijk, bijvoorbeeld --out kaart.{fmt}.")
    papier = (args.papier or "A4").upper()
    if papier not in PAPIER:
        raise WijkprofielenError(f"Onbekend papierformaat '{args.papier}'. Kies uit: {', '.join(PAPIER)}.")
    opties = KaartOpties(kleur=args.kleur or "kwadrant", indicator=args.indicator, gemeente=args.gemeente,
                         wijk=args.wijk, papier=papier, liggend=args.liggend, labels=args.labels,
                         klassenummers=args.klassenummers, arcering=args.arcering)
    check_opties(opties)
    return opties


def _run_level(args) -> int:
    if args.format not in ALL or args.buurt or args.wijk or args.gemeente:
        raise WijkprofielenError(f"Met --niveau {args.niveau} kan --format alleen {', '.join(ALL)} zijn, zonder --buurt, "
                                 "--wijk of --gemeente.")
    if (args.niveau == "gebied") != bool(args.gebieden):
        raise WijkprofielenError("--gebieden hoort bij --niveau gebied, en --niveau gebied vraagt om --gebieden.")
    cfg = configured(args)
    ds = load_dataset(args.data)
    gebieden = read_gebieden(args.gebieden, ds.codes) if args.gebieden else None
    profiel = Workspace(cfg).level(ds, args.niveau, gebieden, args.jaar)
    if args.format == "json":
        data = level_manifest_bytes(ds, profiel, cfg, jaar=args.jaar)
    else:
        data = (level_gpkg if args.format == "gpkg" else level_csv)(ds, profiel)
    write_bytes(Path(args.out), data)
    print(f"{len(profiel.eenheden.leden)} {args.niveau}en geschreven naar {args.out} ({len(data) / 1024:.0f} kB).",
          file=sys.stderr)
    return 0


def run(args) -> int:
    fmt = args.format
    if args.niveau != "buurt":
        return _run_level(args)
    if args.gebieden:
        raise WijkprofielenError("--gebieden hoort bij --niveau gebied. Voeg '--niveau gebied' toe.")
    kaart = _kaart_opties(args)
    if kaart is not None:
        return _run_kaart(args, kaart)
    if args.buurt and fmt not in SINGLE:
        raise WijkprofielenError(f"Met --buurt kan --format alleen {' of '.join(SINGLE)} zijn, niet {fmt}.")
    if (args.wijk or args.gemeente) and fmt not in BATCH:
        raise WijkprofielenError(f"Een batch (--wijk/--gemeente) wordt pdf of zip, niet {fmt}. Gebruik --format pdf of zip.")
    if not (args.buurt or args.wijk or args.gemeente) and fmt not in ALL:
        raise WijkprofielenError(f"--format {fmt} hoort bij één buurt (--buurt) of een batch (--wijk/--gemeente). "
                                 f"Voor alle buurten: --format {', '.join(ALL)}.")
    out = _out(args)
    cfg = configured(args)
    ds = load_dataset(args.data)
    ex = Exporter(ds, cfg, jaar=args.jaar, data_pad=args.data, plaatsingen=_plaatsingen(args, cfg))
    if not args.zonder_stabiliteit:  # stability as on the app's pages ([stabiliteit] settings)
        ex.add_stability(ex.ws.stability(ex.frame, ex.result))
    if args.buurt:
        data = ex.pdf(args.buurt) if fmt == "pdf" else ex.html(args.buurt)
        what = f"wijkprofiel van {args.buurt}"
    elif args.wijk or args.gemeente:
        codes = ex.codes(wijk=args.wijk, gemeente=args.gemeente)
        data = (ex.batch_pdf if fmt == "pdf" else ex.batch_zip)(codes, progress=_progress)
        what = f"{len(codes)} wijkprofielen van {args.wijk or args.gemeente}"
    else:
        data = {"gpkg": ex.gpkg, "csv": ex.csv, "json": ex.manifest_json}[fmt]()
        what = "manifest" if fmt == "json" else f"{len(ex.frame)} buurten"
    write_bytes(out, data)
    print(f"{what} geschreven naar {out} ({len(data) / 1024:.0f} kB).", file=sys.stderr)
    if ds.synthetisch:
        print("let op: synthetische voorbeeldgegevens", file=sys.stderr)
    return 0
