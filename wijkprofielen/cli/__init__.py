"""Command line: ``python -m wijkprofielen <command>``.

Each command lives in its own module in this package and defines ``register(sub)``,
which adds an argparse sub-parser whose ``func(args)`` runs the command and returns an
exit code. User errors (:class:`WijkprofielenError`) and bad arguments exit with code 2
and a Dutch message on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from ..errors import WijkprofielenError


class _DutchParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own messages, prefixed in Dutch
        self.print_usage(sys.stderr)
        self.exit(2, f"fout: ongeldige argumenten: {message}\nZie 'python -m wijkprofielen {self.prog.split()[-1]} --help'.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _DutchParser(prog="wijkprofielen", description="Wijkprofielen: buurten op twee assen (draagkracht en fysieke kansen).")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDO", parser_class=_DutchParser)
    sub.required = True
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{__name__}.{mod.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except WijkprofielenError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("afgebroken", file=sys.stderr)
        return 130
