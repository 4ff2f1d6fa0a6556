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

log = logging.getLogger("convenant.signing")


class RevisionDiffCache(DiffPolicy):
    """A diff policy for one reader: each update's analysis is computed once and kept."""

    def __init__(self, deadline: float | None = None, inner: DiffPolicy = DEFAULT_DIFF_POLICY) -> None:
        self.inner = inner
        self.deadline = deadline
        self._updates: dict[int, DiffResult | SuspiciousModification] = {}

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
                result = self.inner.apply(
                    reader.get_historical_resolver(revision - 1), reader.get_historical_resolver(revision)
                )
            except SuspiciousModification as exc:
                log.info("revisie %d: wijziging niet toegestaan: %s", revision, exc)
                result = exc
            self._updates[revision] = result
        return result

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
