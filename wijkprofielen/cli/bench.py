"""``bench``: run the benchmarks and print one JSON object.

The benchmarks live in the repository next to the package (``benchmarks/``), not in it:
they drive the app with ``streamlit.testing`` and build synthetic national data, which an
installed package does not need. This module is the one place that imports them, from the
repository root (the folder holding both ``wijkprofielen/`` and ``benchmarks/``); without
that folder, as in an installed package, ``bench`` says so.
"""

from __future__ import annotations

import importlib
import json
import platform
import sys
from pathlib import Path
from types import ModuleType

from .. import __version__
from ..errors import WijkprofielenError

CHECKOUT = Path(__file__).resolve().parents[2]


def _benchmarks() -> ModuleType | None:
    """The checkout's top-level ``benchmarks`` package, or None outside a checkout."""
    if not (CHECKOUT / "benchmarks" / "__init__.py").is_file():
        return None
    if str(CHECKOUT) not in sys.path:
        sys.path.append(str(CHECKOUT))
    mod = importlib.import_module("benchmarks")
    if Path(mod.__file__).resolve().parent != CHECKOUT / "benchmarks":
        return None  # another package of that name comes first on sys.path
    return mod


BENCHMARKS = _benchmarks()


def register(sub) -> None:
    p = sub.add_parser("bench", help="meet snelheid en geheugen; drukt JSON af")
    p.add_argument("--config", help="configuratiebestand (standaard config.toml)")
    p.add_argument("--alleen", action="append", metavar="NAAM", help="alleen deze benchmark(s); herhaalbaar")
    p.add_argument("--json", metavar="PAD", help="schrijf dezelfde JSON ook naar dit bestand")
    for mod in BENCHMARKS.modules().values() if BENCHMARKS else ():
        if hasattr(mod, "add_arguments"):
            mod.add_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    if BENCHMARKS is None:
        raise WijkprofielenError(
            f"bench draait vanuit een checkout van de repository: naast {CHECKOUT / 'wijkprofielen'} staat geen map "
            "benchmarks/. Clone de repository en start daar 'python -m wijkprofielen bench'."
        )
    mods = BENCHMARKS.modules()
    chosen = args.alleen or list(mods)
    unknown = [n for n in chosen if n not in mods]
    if unknown:
        raise WijkprofielenError(f"Onbekende benchmark(s): {', '.join(unknown)}. Kies uit: {', '.join(mods)}.")
    out: dict = {"versie": __version__, "python": platform.python_version()}
    for name in chosen:
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        out.update(mods[name].run(args))
    out["piek_geheugen_mb"] = round(BENCHMARKS.peak_rss_mb(), 1)
    text = json.dumps(out, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    return 0
