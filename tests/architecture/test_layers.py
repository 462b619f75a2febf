"""The import rules of docs/architecture.md, checked on the source: data flows one way.

The graph is read from the syntax tree of every module under ``src/corridor`` (nothing is
imported). A *unit* is a top-level package (``corridor.channels``) or a top-level module
(``corridor.errors``); an edge ``a -> b`` means some module of ``a`` imports some module of ``b``.

What counts as an import, decided once for every rule here:

- imports inside functions count. A lazy import defers loading (to keep start-up light), not
  the dependency: the code cannot run without the other package, so a cycle through a lazy
  import is still a cycle;
- imports under ``if TYPE_CHECKING:`` count too: naming another package's type is knowing
  about it;
- relative imports are resolved (there are none today);
- modules named as strings and loaded with ``importlib`` are not seen. There are three such
  plug-in lists, all deliberate: the channel registry (``corridor/channels/__init__.py``, names
  within ``channels``), the command table of ``corridor/cli/__init__.py`` (``cli`` may import
  everything) and ``corridor/store/registry.py``, which names the table modules of the
  packages above the store so that Alembic sees every table without the store importing them.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "corridor"
ROOT = "corridor"          #: the unit of ``src/corridor/__init__.py`` (``from corridor import __version__``)

#: unit -> units it must never import (docs/architecture.md, "Import rules").
FORBIDDEN = {
    "access": ["coalition", "archive", "assess", "web", "cli", "channels", "evidence", "demo", "presentation"],
    "channels": ["store", "web", "cli", "coalition", "access", "archive", "assess", "evidence", "demo",
                 "presentation"],
    "geo": ["store", "web", "cli", "coalition", "access", "archive", "assess", "channels", "evidence",
            "demo", "presentation"],
    "presentation": ["store", "web", "cli", "coalition", "access", "archive", "evidence", "demo"],
    "coalition": ["web", "cli", "assess", "archive", "demo", "evidence", "presentation"],
    "archive": ["web", "cli", "assess", "coalition", "demo", "channels", "presentation"],
    "assess": ["web", "cli", "archive", "evidence", "demo", "presentation"],
    "evidence": ["web", "cli", "assess", "coalition", "archive", "access", "channels", "presentation", "demo"],
    "store": ["web", "cli", "coalition", "archive", "assess", "channels", "evidence", "demo", "geo",
              "presentation"],
    "web": ["cli", "demo"],
    "ops": ["web", "cli", "demo", "presentation"],
}

#: Top-level modules that may import other units (all other ``corridor/*.py`` are the foundation:
#: errors, files, paths, settings, i18n, text checks; they import only each other).
COMPOSERS = {"demo", "__main__"}

@dataclass(frozen=True)
class Import:
    path: str          # relative to src/corridor
    line: int
    module: str        # absolute dotted name, e.g. corridor.presentation.basemap
    in_function: bool
    type_only: bool

    def __str__(self) -> str:
        how = ", inside a function" if self.in_function else ""
        how += ", for type checking only" if self.type_only else ""
        return f"{self.path}:{self.line} imports {self.module}{how}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def unit_of(module: str) -> str | None:
    """``corridor.channels.base`` -> ``channels``; ``corridor`` -> ``corridor``; others -> None."""
    parts = module.split(".")
    if parts[0] != ROOT:
        return None
    return parts[1] if len(parts) > 1 else ROOT


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(path: Path) -> list[Import]:
    """Every import in ``path`` that names a module of Corridor, wherever it is written."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    rel = str(path.relative_to(SRC))
    out: list[Import] = []

    def absolute(node: ast.ImportFrom) -> str:
        if node.level == 0:
            return node.module or ""
        base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
        return ".".join(base + ([node.module] if node.module else []))

    def visit(node: ast.AST, in_function: bool, type_only: bool) -> None:
        if isinstance(node, ast.Import):
            out.extend(Import(rel, node.lineno, a.name, in_function, type_only) for a in node.names)
            return
        if isinstance(node, ast.ImportFrom):
            module = absolute(node)
            out.append(Import(rel, node.lineno, module, in_function, type_only))
            for alias in node.names:   # ``from corridor import geo`` imports the package corridor.geo
                sub = f"{module}.{alias.name}"
                if (SRC.parent / Path(*sub.split("."))).is_dir() or \
                        (SRC.parent / Path(*sub.split("."))).with_suffix(".py").is_file():
                    out.append(Import(rel, node.lineno, sub, in_function, type_only))
            return
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, in_function, True)
            for child in node.orelse:
                visit(child, in_function, type_only)
            return
        inner = in_function or isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        for child in ast.iter_child_nodes(node):
            visit(child, inner, type_only)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), False, False)
    return [imp for imp in out if unit_of(imp.module) is not None]


def package_graph() -> dict[str, dict[str, list[Import]]]:
    """unit -> unit it imports -> the imports that make the edge (no self-edges)."""
    graph: dict[str, dict[str, list[Import]]] = defaultdict(lambda: defaultdict(list))
    for path in sorted(SRC.rglob("*.py")):
        source = unit_of(module_name(path))
        graph[source]  # every unit is a node, even one that imports nothing
        for imp in imports_of(path):
            target = unit_of(imp.module)
            if target != source:
                graph[source][target].append(imp)
    return graph


GRAPH = package_graph()


def strongly_connected(edges: dict[str, set[str]]) -> list[list[str]]:
    """The cycles of a directed graph as its strongly connected components of two or more units
    (Tarjan 1972, *SIAM J. Comput.* 1(2):146–160)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(set(edges) | {w for ws in edges.values() for w in ws}):
        if v not in index:
            connect(v)
    return sorted(found)


def describe(cycles: list[list[str]], graph=GRAPH) -> str:
    lines = []
    for component in cycles:
        lines.append("cycle between " + ", ".join(component) + ":")
        for a in component:
            for b in component:
                for imp in graph[a].get(b, []):
                    lines.append(f"  {a} -> {b}: {imp}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------ the rules


def test_the_graph_sees_the_whole_package():
    assert {"access", "archive", "assess", "channels", "cli", "coalition", "evidence", "geo",
            "presentation", "store", "web", "errors"} <= set(GRAPH)
    # a lazy import and a ``from corridor import x`` are both seen
    assert any(imp.in_function for edges in GRAPH.values() for imps in edges.values() for imp in imps)
    assert "geo" in GRAPH["channels"] and "channels" in GRAPH["cli"]


@pytest.mark.parametrize("unit", sorted(FORBIDDEN))
def test_a_package_imports_nothing_above_it(unit):
    bad = [str(imp) for target in FORBIDDEN[unit] for imp in GRAPH[unit].get(target, [])]
    assert not bad, "\n".join(bad)


def test_the_foundation_modules_import_no_package():
    foundation = ({path.stem for path in SRC.glob("*.py")} - COMPOSERS - {"__init__"}) | {ROOT}
    bad = [str(imp) for unit in sorted(foundation) for target, imps in GRAPH[unit].items()
           if target not in foundation for imp in imps]
    assert not bad, "\n".join(bad)


def test_no_cycle_between_packages():
    """No two packages import each other, directly or round a loop (lazy imports included)."""
    cycles = strongly_connected({a: set(targets) for a, targets in GRAPH.items()})
    assert not cycles, describe(cycles)


def test_the_cycle_finder_finds_cycles():
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "d": {"a", "c"}}) == []


def test_every_package_is_on_the_architecture_page():
    page = (SRC.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    packages = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").is_file())
    missing = [name for name in packages if f"`corridor.{name}`" not in page]
    assert not missing, "docs/architecture.md does not describe: " + ", ".join(missing)
