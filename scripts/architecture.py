"""The import graph of the house, checked: ``python -m scripts.architecture``.

Prints which of the four packages import which (and, inside ``service/``, which subpackage imports
which), then checks the rules of the house (README, "Tour of the house"):

- ``templates`` and ``signing`` import nothing of ours; ``registry`` imports only ``templates.dossier``
  (the dossier model) and ``templates.errors``; ``service`` may import all three. Any import counts:
  at module level, inside a function, or under ``TYPE_CHECKING``.
- No cycle between modules through module-level imports.
- Function-level imports that close a cycle are listed: they hide a cycle instead of removing it.
  ``--strict`` fails on them too.
- Every function-level import (of anything, ours or a library; migrations excluded) must say why it is not
  at module level, with a comment ``# lazy: <reason>`` on its line or the line above (an optional
  dependency, a measured start-up cost). Those without are listed; ``--imports`` fails on them.
  ``TYPE_CHECKING`` imports are not function-level imports.

Exit code 1 when a rule is broken. Standard library only (``ast``), so it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("templates", "signing", "registry", "service")
# What each package may import of ours (prefixes of module names).
ALLOWED: dict[str, tuple[str, ...]] = {
    "templates": ("templates",),
    "signing": ("signing",),
    "registry": ("registry", "templates.dossier", "templates.errors"),
    "service": PACKAGES,
}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


LAZY = "# lazy:"


class Imports(ast.NodeVisitor):
    """Collect (target, at_module_level) for every import of one module, and the lines of imports inside
    a function."""

    def __init__(self, module: str, is_package: bool) -> None:
        self.module, self.is_package = module, is_package
        self.found: list[tuple[str, bool, int]] = []
        self.in_function: list[int] = []
        self._depth = 0
        self._functions = 0

    def _nested(self, node: ast.AST) -> None:
        self._depth += 1
        self._functions += 1
        self.generic_visit(node)
        self._functions -= 1
        self._depth -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = _nested  # noqa: N815

    def visit_If(self, node: ast.If) -> None:  # noqa: N802
        test = ast.unparse(node.test)
        if test in ("TYPE_CHECKING", "typing.TYPE_CHECKING"):
            self._depth += 1  # type-only: not executed, never a runtime cycle
            self.generic_visit(node)
            self._depth -= 1
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:  # noqa: N802
        if self._functions:
            self.in_function.append(node.lineno)
        for alias in node.names:
            self.found.append((alias.name, self._depth == 0, node.lineno))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # noqa: N802
        if self._functions and node.module != "__future__":
            self.in_function.append(node.lineno)
        target = _resolve(self.module, node, self.is_package)
        for alias in node.names:
            self.found.append((f"{target}.{alias.name}", self._depth == 0, node.lineno))


def _files(root: Path) -> list[Path]:
    return [p for pkg in PACKAGES for p in sorted((root / pkg).rglob("*.py")) if "migrations" not in p.parts]


def _says_why(lines: list[str], lineno: int) -> bool:
    """A ``# lazy: <reason>`` comment on the import's line or on the line above it."""
    here = lines[lineno - 1] if lineno <= len(lines) else ""
    above = lines[lineno - 2].strip() if lineno >= 2 else ""
    return LAZY in here or above.startswith(LAZY)


def unexplained_lazy_imports(root: Path = ROOT) -> list[tuple[str, int, str]]:
    """Function-level imports without a ``# lazy:`` comment: (file relative to root, line, the import)."""
    out: list[tuple[str, int, str]] = []
    for path in _files(root):
        text = path.read_text(encoding="utf-8")
        visitor = Imports(_module_name(path, root), path.name == "__init__.py")
        visitor.visit(ast.parse(text, filename=str(path)))
        lines = text.splitlines()
        for lineno in sorted(set(visitor.in_function)):
            if not _says_why(lines, lineno):
                out.append((path.relative_to(root).as_posix(), lineno, lines[lineno - 1].strip()))
    return out


def collect(root: Path = ROOT) -> tuple[set[str], list[tuple[str, str, bool, int]]]:
    """All our modules, and every import edge (source, target module, module level?, line)."""
    files = _files(root)
    modules = {_module_name(p, root) for p in files}
    edges: list[tuple[str, str, bool, int]] = []
    for path in files:
        name = _module_name(path, root)
        visitor = Imports(name, path.name == "__init__.py")
        visitor.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        for target, top, line in visitor.found:
            # "from pkg import name" names a module or an attribute: take the longest known module.
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name and target.split(".")[0] in PACKAGES:
                edges.append((name, target, top, line))
    return modules, edges


def _sccs(nodes: set[str], graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    counter = 0
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    item = stack.pop()
                    on_stack.discard(item)
                    component.append(item)
                    if item == node:
                        break
                if len(component) > 1:
                    result.append(sorted(component))
    return result


def _group(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "service" and len(parts) > 2 else parts[0]


def main(argv: list[str] | None = None, root: Path = ROOT) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="ook verborgen cycli (importen in functies)")
    parser.add_argument(
        "--imports", action="store_true", help="ook importen in functies zonder '# lazy: <reden>'-commentaar"
    )
    args = parser.parse_args(argv)
    modules, edges = collect(root)

    print("Importen tussen de pakketten (aantal importregels):")
    between: dict[tuple[str, str], int] = defaultdict(int)
    for src, dst, _, _ in edges:
        if _group(src) != _group(dst):
            between[(_group(src), _group(dst))] += 1
    for (src, dst), count in sorted(between.items()):
        print(f"  {src:28} -> {dst:28} {count}")

    failures: list[str] = []
    for src, dst, _, line in edges:
        package = src.split(".")[0]
        if not any(dst == allowed or dst.startswith(allowed + ".") for allowed in ALLOWED[package]):
            failures.append(f"verkeerde richting: {src} (regel {line}) importeert {dst}")

    top_graph: dict[str, set[str]] = {m: set() for m in modules}
    all_graph: dict[str, set[str]] = {m: set() for m in modules}
    for src, dst, top, _ in edges:
        all_graph[src].add(dst)
        if top:
            top_graph[src].add(dst)
    for component in _sccs(modules, top_graph):
        failures.append(f"cyclus via importen op moduleniveau: {' -> '.join(component)}")

    hidden = [c for c in _sccs(modules, all_graph) if c not in _sccs(modules, top_graph)]
    in_cycle = {m for c in hidden for m in c}
    dodges = [
        (src, dst, line)
        for src, dst, top, line in edges
        if not top and src in in_cycle and dst in in_cycle and src.split(".")[0] == dst.split(".")[0]
    ]
    if hidden:
        print(f"\nVerborgen cycli (gesloten door {len(dodges)} importen in functies):")
        for component in hidden:
            print(f"  {len(component)} modules: {', '.join(component)}")
        if args.strict:
            failures += [f"import in functie sluit een cyclus: {s} (regel {n}) -> {d}" for s, d, n in dodges]

    unexplained = unexplained_lazy_imports(root)
    if unexplained:
        print(f"\nImporten in functies zonder '{LAZY} <reden>' ({len(unexplained)}):")
        for file, lineno, statement in unexplained:
            print(f"  {file}:{lineno}: {statement}")
        if args.imports:
            failures.append(f"{len(unexplained)} importen in functies zonder '{LAZY} <reden>' (zie boven)")

    if failures:
        print("\nHuisregels gebroken:")
        for failure in failures:
            print(f"  {failure}")
        return 1
    print("\nHuisregels: in orde (richting van de pakketten, geen cyclus op moduleniveau).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
