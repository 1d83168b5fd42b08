"""Dependencies point one way: every import (also inside functions) of the package, without cycles."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "wijkprofielen"


def _modules() -> dict[str, Path]:
    out = {}
    for f in PACKAGE.rglob("*.py"):
        parts = list(f.relative_to(ROOT).with_suffix("").parts)
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = f
    return out


def _imports(module: str, path: Path):
    """``(base, names)`` of every import statement in ``module``, relative imports resolved; also inside functions."""
    here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield None, [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(here[: len(here) - node.level + 1] + ([node.module] if node.module else []))
            yield base, [a.name for a in node.names]


def import_graph() -> dict[str, set[str]]:
    """``{module: modules of the package it imports}``, counting imports inside functions too."""
    mods = _modules()
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, f in mods.items():
        for base, names in _imports(m, f):
            if base is None:
                targets = names
            else:
                subs = [f"{base}.{n}" for n in names]
                # ``from pkg import name`` depends on pkg itself only when a name is not a submodule.
                targets = subs + ([base] if any(t not in mods for t in subs) else [])
            graph[m] |= {t for t in targets if t in mods and t != m}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while (w := stack.pop()) != v:
                comp.append(w)
            if comp:
                found.append(sorted([v, *comp]))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_configuration_layer_imports_nothing_else_of_the_project():
    graph = import_graph()
    assert graph["wijkprofielen.domain"] == set()
    assert graph["wijkprofielen.options"] == {"wijkprofielen.errors"}
    assert graph["wijkprofielen.config"] == {"wijkprofielen.domain", "wijkprofielen.errors", "wijkprofielen.options"}


def test_no_import_cycles_anywhere_in_the_package():
    assert cycles(import_graph()) == []


def test_only_the_ui_imports_the_ui_and_streamlit():
    graph = import_graph()
    assert {m for m, ts in graph.items() if not m.startswith("wijkprofielen.ui") and any(t.startswith("wijkprofielen.ui") for t in ts)} == set()
    for m, f in _modules().items():
        if m.startswith("wijkprofielen.ui"):
            continue
        used = {base or n for base, names in _imports(m, f) for n in names}
        assert not any(n == "streamlit" or n.startswith("streamlit.") for n in used), m


def imported_names(module: str) -> set[str]:
    """``package.module.name`` of every ``from … import name`` in ``module``."""
    return {f"{base}.{n}" for base, names in _imports(module, _modules()[module]) if base is not None for n in names}


def test_only_the_loaders_assemble_the_pipeline_in_the_ui():
    """Pages get configuration, menukaart, reference and scores from ``ui.loaders`` (one Workspace)."""
    builders = {"wijkprofielen.workspace.Workspace", "wijkprofielen.reference.resolve", "wijkprofielen.scoring.score",
                "wijkprofielen.menukaart.load_menukaart", "wijkprofielen.menukaart.suggest", "wijkprofielen.stability.stability",
                "wijkprofielen.config.load_config", "wijkprofielen.scenario.doelen.doelen_for",
                "wijkprofielen.workspace.compare_references"}
    users = {m for m in _modules() if m.startswith("wijkprofielen.ui") and imported_names(m) & builders}
    assert users == {"wijkprofielen.ui.loaders"}


def test_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
