"""``menukaart`` and ``suggest``: the catalogue and the suggestions for one buurt."""

from __future__ import annotations

import json
import sys

from ..dataset import load_dataset
from ..errors import WijkprofielenError
from ..menukaart import CATEGORIEEN, Interventie, Suggestie
from ..workspace import Workspace
from ._args import whole, year
from ._config import add_config_options, configured


def register(sub) -> None:
    p = sub.add_parser("menukaart", help="toon de menukaart, of met --data en --buurt de suggesties voor een buurt")
    _common(p)
    p.add_argument("--data", help="dataset (GeoParquet, GeoPackage, GeoJSON of CSV); samen met --buurt")
    p.add_argument("--buurt", help="buurtcode (BU…): toon de gesuggereerde interventies voor deze buurt")
    p.set_defaults(func=run_menukaart)
    s = sub.add_parser("suggest", help="gesuggereerde interventies voor één buurt, best passend eerst")
    _common(s)
    s.add_argument("--data", required=True, help="dataset (GeoParquet, GeoPackage, GeoJSON of CSV)")
    s.add_argument("--buurt", required=True, help="buurtcode (BU…)")
    s.set_defaults(func=run_suggest)


def _common(p) -> None:
    add_config_options(p)
    p.add_argument("--format", choices=["md", "json"], default="md", help="uitvoer: md (standaard) of json")
    p.add_argument("--json", action="store_const", const="json", dest="format", help="hetzelfde als --format json")
    p.add_argument("--jaar", type=year(), help="peiljaar (bij --data)")
    p.add_argument("--top", type=whole("--top", 1, 10_000), help="hoogstens zoveel suggesties")


def run_menukaart(args) -> int:
    if args.data or args.buurt:
        if not (args.data and args.buurt):
            raise WijkprofielenError("Geef --data en --buurt samen op, of geen van beide voor de hele menukaart.")
        return run_suggest(args)
    if args.top is not None or args.jaar is not None:
        raise WijkprofielenError("--top en --jaar horen bij suggesties: geef ook --data en --buurt op.")
    mk = Workspace(configured(args)).menukaart
    if args.format == "json":
        _write_json([i.to_dict() for i in mk.values()])
    else:
        sys.stdout.write(catalogue_markdown(list(mk.values())))
    return 0


def run_suggest(args) -> int:
    ws = Workspace(configured(args))
    cfg = ws.cfg
    ds = load_dataset(args.data)
    frame, result = ws.scored(ds, args.jaar)  # the configured catalogue and reference, as in the app
    # Suggestions first, then the items te controleren: --top cuts that one ranking.
    out = ws.advise(frame, result, args.buurt).alle[:args.top]
    if args.format == "json":
        _write_json([s.to_dict() for s in out])
    else:
        kw = result.scores.at[str(args.buurt), "kwadrant"]
        sys.stdout.write(suggestions_markdown(out, f"{args.buurt} · {cfg.kwadrant_namen.get(kw, kw)}"))
    if ds.synthetisch:
        print("let op: synthetische voorbeeldgegevens", file=sys.stderr)
    return 0


def _write_json(rows) -> None:
    sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")


def catalogue_markdown(items: list[Interventie]) -> str:
    """The catalogue as Markdown, grouped by category."""
    lines = ["# Menukaart", ""]
    current = None
    for i in sorted(items, key=lambda i: list(CATEGORIEEN).index(i.categorie)):
        if i.categorie != current:
            current = i.categorie
            lines += [f"## {i.categorie_label}", ""]
        lines += [
            f"### {i.titel} (`{i.id}`)", "",
            f"- Trekker: {', '.join(i.trekker)}",
            f"- Kwadranten: {', '.join(i.kwadranten)}",
            f"- Voorwaarden: {'; '.join(v.label for v in i.voorwaarden) or 'geen'}",
            f"- Contra-indicaties: {'; '.join(v.label for v in i.contra) or 'geen'}",
            f"- Waarom: {i.waarom}", f"- Bron: {i.bron}", f"- Bewijs: {i.bewijs}", "",
        ]
    return "\n".join(lines)


def suggestions_markdown(out: list[Suggestie], title: str) -> str:
    """Ranked suggestions as Markdown, then apart the items te controleren with what to check."""
    lines = [f"# Menukaart voor {title}", "", "Suggesties zijn signalen, geen oordelen: het begin van het gesprek met de buurt.", ""]
    firm = [s for s in out if not s.te_controleren]
    if not firm:
        lines.append("Met de bekende gegevens past geen interventie zeker bij deze buurt.")
    for n, s in enumerate(firm, 1):
        i = s.interventie
        lines += [f"{n}. **{i.titel}** ({i.categorie_label}; trekker: {', '.join(i.trekker)})",
                  f"   - Waarom hier: {'; '.join(s.redenen)}",
                  f"   - Bron: {i.bron}", f"   - Bewijs: {i.bewijs}"]
    open_ = [s for s in out if s.te_controleren]
    if open_:
        lines += ["", "## Te controleren", "",
                  "Een cijfer dat beslist of deze interventies passen, ontbreekt. Controleer het eerst.", ""]
    for s in open_:
        i = s.interventie
        lines.append(f"- **{i.titel}** ({i.categorie_label}; trekker: {', '.join(i.trekker)})")
        lines += [f"   - {c.tekst}" for c in s.controles]
    return "\n".join(lines) + "\n"
