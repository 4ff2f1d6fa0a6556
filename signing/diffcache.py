"""Modification analysis once per revision, shared by every signature of a document.

pyHanko's ``StandardDiffPolicy.review_file`` compares a signature's own revision with each later revision,
so validating N signatures costs N × N revision comparisons, each re-reading the signed revision. Here every
incremental update is compared once with the revision just before it; a signature's verdict is the worst of
the updates after it (a not-permitted update makes every signature before it fail). Signatures that lock
fields (FieldMDP) or certify the document (DocMDP) get pyHanko's own per-signature review, because what is
permitted then depends on that signature.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader
from pyhanko.sign.diff_analysis import (
    DEFAULT_DIFF_POLICY,
    DiffPolicy,
    DiffResult,
    ModificationLevel,
    SuspiciousModification,
)

from signing.errors import ValidationRefused
from signing.usages import LazyUsages, TooManyPaths, UsageGraph, has_structure_tree

log = logging.getLogger("convenant.signing")


class RevisionDiffCache(DiffPolicy):
    """A diff policy for one reader: each update's analysis is computed once and kept."""

    def __init__(self, deadline: float | None = None, inner: DiffPolicy = DEFAULT_DIFF_POLICY) -> None:
        self.inner = inner
        self.deadline = deadline
        self._updates: dict[int, DiffResult | SuspiciousModification] = {}
        self._graph: UsageGraph | None = None
        self._graph_broken = False

    def prepare(self, reader: PdfFileReader, first_revision: int) -> None:
        """Analyse every update after ``first_revision`` in order (the usage graph only moves forwards)."""
        for revision in range(first_revision + 1, reader.xrefs.total_revisions):
            self.update(reader, revision)

    def apply(
        self, old: HistoricalResolver, new: HistoricalResolver, *args: Any, **kwargs: Any
    ) -> DiffResult:
        return self.inner.apply(old, new, *args, **kwargs)

    def update(self, reader: PdfFileReader, revision: int) -> DiffResult | SuspiciousModification:
        """What revision ``revision`` changed relative to revision ``revision - 1``."""
        result = self._updates.get(revision)
        if result is None:
            check_deadline(self.deadline)
            try:
                result = self._apply(reader, revision)
            except SuspiciousModification as exc:
                log.info("revisie %d: wijziging niet toegestaan: %s", revision, exc)
                result = exc
            self._updates[revision] = result
        return result

    def _apply(self, reader: PdfFileReader, revision: int) -> DiffResult:
        old = self._old_with_usages(reader, revision - 1)
        new = reader.get_historical_resolver(revision)
        if old is None:
            return self.inner.apply(reader.get_historical_resolver(revision - 1), new)
        try:
            return self.inner.apply(old, new)
        except TooManyPaths:
            self._graph_broken = True
            old._indirect_object_access_cache = None
            return self.inner.apply(old, new)
        finally:
            if isinstance(old._indirect_object_access_cache, LazyUsages):
                old._indirect_object_access_cache = None  # anyone else computes it in full, as pyHanko does

    def _old_with_usages(self, reader: PdfFileReader, revision: int) -> HistoricalResolver | None:
        """Revision ``revision``'s resolver with the incremental usage cache in place (None: not usable)."""
        if self._graph_broken:
            return None
        try:
            if self._graph is None:
                self._graph = UsageGraph(reader)
            if revision < self._graph.revision:
                return None
            old = self._graph.advance(revision)
            if has_structure_tree(old) or old._indirect_object_access_cache is not None:
                return None
        except (Exception, RecursionError) as exc:  # a malformed graph: pyHanko's own walk decides
            log.info("gebruiksgraaf niet bruikbaar: %s", exc)
            self._graph_broken = True
            return None
        old._indirect_object_access_cache = LazyUsages(self._graph)
        return old

    def review_file(
        self,
        reader: PdfFileReader,
        base_revision: int | HistoricalResolver,
        field_mdp_spec: Any = None,
        doc_mdp: Any = None,
    ) -> DiffResult | SuspiciousModification:
        if field_mdp_spec is not None or doc_mdp is not None:
            check_deadline(self.deadline)
            return self.inner.review_file(reader, base_revision, field_mdp_spec, doc_mdp)
        base = base_revision if isinstance(base_revision, int) else base_revision.revision
        level = ModificationLevel.NONE
        changed: set[str] = set()
        for revision in range(base + 1, reader.xrefs.total_revisions):
            result = self.update(reader, revision)
            if isinstance(result, SuspiciousModification):
                return result
            level = max(level, result.modification_level)
            changed |= result.changed_form_fields
        return DiffResult(level, changed)


def check_deadline(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() >= deadline:
        raise ValidationRefused(
            "Het valideren is afgebroken: het document vraagt meer rekentijd dan is toegestaan. "
            "Controleer het bestand; een convenant met zeer veel handtekeningen of revisies kan de "
            "beheerder met een ruimere grens laten valideren."
        )
