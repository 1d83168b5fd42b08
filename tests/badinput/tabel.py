"""Print the corpus table: cases, clear errors, correct imports, silent wrong results, crashes.

Run from the repository root: ``.venv/bin/python tests/badinput/tabel.py`` (``-v`` lists every
case with its outcome). Exit code 1 when any case is a silent wrong result, a crash or an
unclear error.
"""

from __future__ import annotations

import sys
import warnings
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the repository's package, not an installed one

from cases import CASES, CLEAR, CORRECT, CRASH, SILENT, UNCLEAR, outcome  # noqa: E402


def main(argv: list[str]) -> int:
    counts: Counter = Counter()
    per_class: dict[str, Counter] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning that would reach stderr counts as a crash
        for case in CASES:
            kind, detail = outcome(case)
            counts[kind] += 1
            per_class.setdefault(case.klasse, Counter())[kind] += 1
            if "-v" in argv or kind in (SILENT, CRASH, UNCLEAR):
                print(f"{kind:22} {case.name}: {detail[:300]}")
    cols = [CLEAR, CORRECT, SILENT, CRASH, UNCLEAR]
    print(f"\n| klasse | gevallen | {' | '.join(cols)} |")
    print("|---|---:|" + "---:|" * len(cols))
    for klasse, c in per_class.items():
        print(f"| {klasse} | {sum(c.values())} | " + " | ".join(str(c[k]) for k in cols) + " |")
    print(f"| **totaal** | {len(CASES)} | " + " | ".join(str(counts[k]) for k in cols) + " |")
    return 1 if counts[SILENT] or counts[CRASH] or counts[UNCLEAR] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
