"""Benchmarks for ``python -m wijkprofielen bench``.

Each module here defines ``run(options) -> dict`` and may define ``add_arguments(parser)``.
The bench command runs every module (or those named with ``--alleen``) and prints one
JSON object with all their fields. Speed and memory targets are checked here, not in
timed unit tests.
"""

from __future__ import annotations

import importlib
import pkgutil
import resource
import time
from types import ModuleType


def modules() -> dict[str, ModuleType]:
    """Benchmark modules by name, in alphabetical order."""
    out = {}
    for mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not mod.name.startswith("_"):
            out[mod.name] = importlib.import_module(f"{__name__}.{mod.name}")
    return out


def timed(fn, *args, repeat: int = 1, **kwargs):
    """Run ``fn`` ``repeat`` times; return (last result, best wall time in seconds)."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - t0)
    return result, best


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
