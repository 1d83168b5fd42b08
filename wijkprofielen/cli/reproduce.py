"""``reproduce``: recompute a snapshot from its manifest; exit 0 only if identical."""

from __future__ import annotations

import sys

from ..export.manifest import reproduce


def register(sub) -> None:
    p = sub.add_parser("reproduce", help="herbereken een export uit het manifest; exit 0 alleen als alles gelijk is")
    p.add_argument("manifest", help="manifest.json uit 'export --format json'")
    p.add_argument("--data", help="databestand als het niet meer op het vastgelegde pad staat (hash moet gelijk zijn)")
    p.set_defaults(func=run)


def run(args) -> int:
    diffs, notes = reproduce(args.manifest, args.data)
    for note in notes:
        print(f"let op: {note}", file=sys.stderr)
    if diffs:
        print("niet gelijk aan het manifest:")
        for d in diffs:
            print(f"- {d}")
        return 1
    print("identiek: dataset, recept en alle scores komen overeen met het manifest.")
    return 0
