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
import re
import sys

from ..errors import WijkprofielenError

# argparse's own error messages (Python 3.11–3.13) in Dutch; a message not listed stays as it is.
_DUTCH = [
    (re.compile(r"the following arguments are required: (.+)"), r"deze argumenten ontbreken: \1"),
    (re.compile(r"argument (.+?): invalid choice: (.+?) \(choose from (.+)\)"), r"argument \1: onbekende keuze \2 (kies uit: \3)"),
    (re.compile(r"unrecognized arguments: (.+)"), r"onbekende argumenten: \1"),
    (re.compile(r"argument (.+?): expected one argument"), r"argument \1: hier hoort één waarde bij"),
    (re.compile(r"argument (.+?): not allowed with argument (.+)"), r"argument \1: niet samen met \2"),
    (re.compile(r"one of the arguments (.+) is required"), r"een van deze argumenten is nodig: \1"),
    (re.compile(r"ambiguous option: (.+?) could match (.+)"), r"optie \1 is niet eenduidig: bedoeld is een van \2"),
]


def dutch(message: str) -> str:
    """An argparse error message in Dutch."""
    for pattern, replacement in _DUTCH:
        if pattern.fullmatch(message):
            return pattern.sub(replacement, message)
    return message


class _DutchParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own messages, in Dutch
        self.print_usage(sys.stderr)
        command = self.prog.split()[1:]  # "wijkprofielen scenario export" -> scenario export
        self.exit(2, f"fout: ongeldige argumenten: {dutch(message)}\n"
                     f"Zie '{' '.join(['python -m wijkprofielen', *command, '--help'])}'.\n")


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
