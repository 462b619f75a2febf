"""The import rules of docs/architecture.md, checked on the source: data flows one way.

Imports inside functions count too (a lazy import is still a dependency).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "corridor"

#: package -> packages it must never import.
FORBIDDEN = {
    "access": ["coalition", "archive", "assess", "web", "cli", "channels", "evidence", "demo", "maps"],
    "channels": ["store", "web", "cli", "coalition", "access", "archive", "assess", "evidence", "demo"],
    "geo": ["store", "web", "cli", "coalition", "access", "archive", "assess", "channels", "evidence", "demo"],
    "coalition": ["web", "cli", "assess", "archive", "demo"],
    "archive": ["web", "cli", "assess", "coalition", "demo"],
    "assess": ["web", "cli"],
    "evidence": ["web", "cli", "assess", "coalition", "archive"],
    "store": ["web", "cli", "coalition", "archive", "assess", "channels", "evidence", "demo"],
}


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            if node.module == "corridor":
                out += [(node.lineno, f"corridor.{a.name}") for a in node.names]
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_package_imports_nothing_above_it(package):
    bad = []
    for path in sorted((SRC / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, module in imports_of(path):
            parts = module.split(".")
            if parts[0] == "corridor" and len(parts) > 1 and parts[1] in FORBIDDEN[package]:
                bad.append(f"{path.relative_to(SRC)}:{line} imports {module}")
    assert not bad, "\n".join(bad)
