"""Where each object of a revision is used: pyHanko's reverse reference cache, built incrementally.

pyHanko's diff analysis asks, for the few objects an update overwrites, by which paths from the trailer
the previous revision reached them (``HistoricalResolver._get_usages_of_ref``). It answers by walking every
path through the whole object graph of that revision — most of the time of validating a document with
many revisions. Here the graph's edges are kept from one revision to the next (an update changes a handful
of objects), and the paths to an object are found upwards from it, only when asked, with pyHanko's rules:
``/Parent`` is not followed, a page-tree node is only entered along its path through the page tree, and a
path never visits an object twice. Documents with a structure tree (tagged PDF) keep pyHanko's own walk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader, RawPdfPath

Key = str | int
Edge = tuple[Any, tuple[Key, ...]]  # (parent reference, or TRAILER; key path inside the parent)
TRAILER = "trailer"
MAX_PATHS = 10_000  # per object; beyond that the file is absurd and pyHanko's own walk decides


class TooManyPaths(Exception):
    pass


def _edges(obj: Any, prefix: tuple[Key, ...] = ()) -> Iterator[tuple[tuple[Key, ...], generic.Reference]]:
    if isinstance(obj, generic.IndirectObject):
        yield prefix, obj.reference
    elif isinstance(obj, generic.DictionaryObject):
        for key, value in obj.items():
            if key == "/Parent":
                continue
            yield from _edges(value, (*prefix, str(key)))
    elif isinstance(obj, generic.ArrayObject):
        for index, value in enumerate(obj):
            yield from _edges(value, (*prefix, index))


class UsageGraph:
    """The reference graph of one document, advanced revision by revision."""

    def __init__(self, reader: PdfFileReader) -> None:
        self.reader = reader
        self.revision = -1
        self.children: dict[Any, list[tuple[tuple[Key, ...], generic.Reference]]] = {}
        self.parents: dict[generic.Reference, set[Edge]] = defaultdict(set)
        self.page_paths: dict[generic.Reference, tuple[Key, ...]] = {}
        self._root_ref: generic.Reference | None = None

    def advance(self, revision: int) -> HistoricalResolver:
        """Bring the graph to ``revision`` (only forwards) and return that revision's resolver."""
        if revision < self.revision:
            raise ValueError("the usage graph only moves forwards")
        resolver = self.reader.get_historical_resolver(revision)
        touched: set[generic.Reference] = set()
        for rev in range(self.revision + 1, revision + 1):
            res = self.reader.get_historical_resolver(rev)
            changed = set(res.explicit_refs_in_revision()) | set(res.refs_freed_in_revision())  # type: ignore[no-untyped-call]
            for ref in changed:
                self._set(ref, res(ref))
            self._set(TRAILER, res.trailer_view)
            touched |= changed
            self.revision = rev
        root_ref = resolver.trailer_view.raw_get("/Root")
        root_ref = root_ref.reference if isinstance(root_ref, generic.IndirectObject) else None
        # the page tree is walked again only when a revision touched the catalog or a page-tree node
        if not self.page_paths or root_ref != self._root_ref or touched & ({root_ref} | set(self.page_paths)):
            self._page_tree(resolver)
            self._root_ref = root_ref
        return resolver

    def _set(self, node: Any, obj: Any) -> None:
        for path, child in self.children.pop(node, ()):
            self.parents[child].discard((node, path))
        edges = list(_edges(obj))
        self.children[node] = edges
        for path, child in edges:
            self.parents[child].add((node, path))

    def _page_tree(self, resolver: HistoricalResolver) -> None:
        self.page_paths = {}
        pages_ref = resolver.root.raw_get("/Pages")
        root_path: tuple[Key, ...] = ("/Root", "/Pages")
        if isinstance(pages_ref, generic.IndirectObject):
            self.page_paths[pages_ref.reference] = root_path
        stack = [(pages_ref.get_object(), root_path)]
        while stack:
            node, path = stack.pop()
            for index, kid in enumerate(node.get("/Kids", ())):
                kid_path = (*path, "/Kids", index)
                if isinstance(kid, generic.IndirectObject):
                    if kid.reference in self.page_paths:
                        raise TooManyPaths("kringverwijzing in de paginaboom")
                    self.page_paths[kid.reference] = kid_path
                kid_obj = kid.get_object()
                if kid_obj.get("/Type") == "/Pages":
                    stack.append((kid_obj, kid_path))

    def paths_to(self, target: generic.Reference) -> set[RawPdfPath]:
        """Every path from the trailer to ``target`` in the current revision, as pyHanko would list it."""
        found: set[tuple[Key, ...]] = set()
        # (node, path below node to target, references on that path)
        stack: list[tuple[Any, tuple[Key, ...], frozenset[generic.Reference]]] = [
            (target, (), frozenset({target}))
        ]
        while stack:
            node, below, on_path = stack.pop()
            if node == TRAILER:
                found.add(below)
                if len(found) > MAX_PATHS:
                    raise TooManyPaths(str(target))
                continue
            if node != target and node in self.page_paths:
                # an intermediate page-tree node: only along its canonical path through the page tree
                canonical = self.page_paths[node]
                if self._canonical_ok(canonical, on_path):
                    found.add((*canonical, *below))
                continue
            for parent, key_path in self.parents.get(node, ()):
                if parent != TRAILER and parent in on_path:
                    continue
                if parent != TRAILER and parent not in self.children:
                    continue  # not in this revision
                stack.append(
                    (parent, (*key_path, *below), on_path | {parent} if parent != TRAILER else on_path)
                )
            if len(stack) > 50 * MAX_PATHS:
                raise TooManyPaths(str(target))
        return {RawPdfPath(*p) for p in found}

    def _canonical_ok(self, canonical: tuple[Key, ...], on_path: frozenset[generic.Reference]) -> bool:
        """The page-tree ancestors on the canonical path must not already be on this path."""
        ancestors = [ref for ref, path in self.page_paths.items() if canonical[: len(path)] == path]
        return not any(ref in on_path for ref in ancestors if self.page_paths[ref] != canonical)


class LazyUsages(dict[generic.Reference, set[RawPdfPath]]):
    """A stand-in for pyHanko's reverse reference cache: each entry computed when first asked."""

    def __init__(self, graph: UsageGraph) -> None:
        super().__init__()
        self.graph = graph

    def __bool__(self) -> bool:  # pyHanko reads it as ``cache or {}``
        return True

    def __missing__(self, ref: generic.Reference) -> set[RawPdfPath]:
        paths = self.graph.paths_to(ref)
        self[ref] = paths
        return paths


def has_structure_tree(resolver: HistoricalResolver) -> bool:
    try:
        return "/StructTreeRoot" in resolver.root
    except Exception:
        return True
