"""``bench``: run the benchmarks and print one JSON object."""

from __future__ import annotations

import json
import platform
import sys

from .. import __version__
from ..benchmarks import modules, peak_rss_mb
from ..errors import WijkprofielenError


def register(sub) -> None:
    p = sub.add_parser("bench", help="meet snelheid en geheugen; drukt JSON af")
    p.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    p.add_argument("--alleen", action="append", metavar="NAAM", help="alleen deze benchmark(s); herhaalbaar")
    for mod in modules().values():
        if hasattr(mod, "add_arguments"):
            mod.add_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    mods = modules()
    chosen = args.alleen or list(mods)
    unknown = [n for n in chosen if n not in mods]
    if unknown:
        raise WijkprofielenError(f"Onbekende benchmark(s): {', '.join(unknown)}. Kies uit: {', '.join(mods)}.")
    out: dict = {"versie": __version__, "python": platform.python_version()}
    for name in chosen:
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        out.update(mods[name].run(args))
    out["piek_geheugen_mb"] = round(peak_rss_mb(), 1)
    print(json.dumps(out, indent=1, ensure_ascii=False))
    return 0
