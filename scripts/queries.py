"""Where ``service/`` queries the database: ``python -m scripts.queries``.

A query site is a call of ``select``/``delete``/``update`` or of ``exec``, ``execute``, ``add``,
``add_all``, ``get``, ``delete``, ``merge``, ``scalar``, ``scalars`` or ``query`` on a session or
connection (a name ``db``, ``session``, ``conn`` or ``connection``). The rule of the house (README, "Tour of
the house"): queries live in a domain's ``repository.py``; services call repositories, handlers call
services. Prints every query site outside a repository, per module, and exits 1 when one is found in a
module not listed in ``NOT_YET`` (modules whose queries have not been moved yet; the list only shrinks).

Standard library only (``ast``), like ``scripts.architecture``.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
METHODS = {"exec", "execute", "add", "add_all", "get", "delete", "merge", "scalar", "scalars", "query"}
RECEIVERS = {"db", "session", "conn", "connection"}
SKIPPED: tuple[str, ...] = ()
FUNCTIONS = {"select", "delete", "update"}

# Modules that may still query outside a repository: none any more (never add one).
NOT_YET: frozenset[str] = frozenset()


def _receiver(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def query_sites(path: Path) -> list[int]:
    """Line numbers of the query sites in one module."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if isinstance(f, ast.Name) and f.id in FUNCTIONS:
            lines.append(node.lineno)
        elif isinstance(f, ast.Attribute) and f.attr in METHODS and _receiver(f.value) in RECEIVERS:
            lines.append(node.lineno)
    return sorted(lines)


def outside_repositories(root: Path = ROOT) -> dict[str, list[int]]:
    """Query sites per module of ``service/`` that is not a ``repository.py``."""
    found = {}
    for path in sorted((root / "service").rglob("*.py")):
        module = path.relative_to(root).as_posix()
        if path.name == "repository.py" or module.startswith(SKIPPED):
            continue
        sites = query_sites(path)
        if sites:
            found[module] = sites
    return found


def main(argv: list[str] | None = None, root: Path = ROOT, not_yet: frozenset[str] = NOT_YET) -> int:
    argparse.ArgumentParser(description=__doc__).parse_args(argv)
    found = outside_repositories(root)
    total = sum(len(v) for v in found.values())
    for module, sites in sorted(found.items(), key=lambda kv: -len(kv[1])):
        mark = "" if module in not_yet else "   <- not allowed: move these to the domain's repository.py"
        print(f"{len(sites):4d}  {module}{mark}")
    print(f"{total} query sites outside repositories in {len(found)} modules")
    wrong = sorted(set(found) - not_yet)
    done = sorted(not_yet - set(found))
    for module in done:
        print(f"{module} no longer queries: remove it from NOT_YET in scripts/queries.py")
    return 1 if wrong or done else 0


if __name__ == "__main__":
    sys.exit(main())
