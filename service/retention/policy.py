"""When personal data must go: pure functions over plain values, each answer naming its article.

The retention period and the term to answer a request for inzage are the agreement's own: its dossier
declares them in the legal model (``legal.retention``: years after the last processing, and inzage weeks,
each with the provision that sets it). :func:`retention_rule` reads them from what the registry stored of
the model on sync. An agreement whose model declares no retention falls back to the configured number of
years (``CONVENANT_RETENTION_YEARS``), and the answer says so instead of citing an article.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from registry.rules import LegalFacts, add_years

DEFAULT_RETENTION_YEARS = 5
DEFAULT_INZAGE_WEEKS = 4
FALLBACK_ARTICLE = "ingestelde bewaartermijn (CONVENANT_RETENTION_YEARS); het convenant noemt er geen"
FALLBACK_INZAGE_ARTICLE = "artikel 12, derde lid, AVG (uiterlijk binnen een maand)"


@dataclass(frozen=True)
class RetentionRule:
    """The retention of one agreement: years after the last processing, and the inzage term."""

    years: int
    article: str
    inzage_weeks: int = DEFAULT_INZAGE_WEEKS
    inzage_article: str = FALLBACK_INZAGE_ARTICLE


def retention_rule(
    legal: Mapping[str, Any] | None, default_years: int = DEFAULT_RETENTION_YEARS
) -> RetentionRule:
    """The retention rule of an agreement from its stored legal model (``Agreement.legal``)."""
    facts = LegalFacts.from_json(legal) if legal else None
    retention = facts.model.retention if facts is not None else None
    if facts is None or retention is None:
        return RetentionRule(default_years, FALLBACK_ARTICLE)
    return RetentionRule(
        retention.years,
        facts.cite(retention.source),
        retention.inzage_weeks or DEFAULT_INZAGE_WEEKS,
        facts.cite(retention.inzage_source) if retention.inzage_source else FALLBACK_INZAGE_ARTICLE,
    )


@dataclass(frozen=True)
class RetentionAnswer:
    due: bool  # must be purged now
    purge_on: date | None  # the first day on which it must be gone (None: still in use)
    reason: str  # Dutch
    article: str


def retention_answer(last_processed: date | None, today: date, rule: RetentionRule) -> RetentionAnswer:
    """Decide for one record whose last processing was on ``last_processed`` (None: still in use)."""
    years = rule.years
    if last_processed is None:
        return RetentionAnswer(
            False, None, "nog in gebruik: de laatste verwerking is nog niet voorbij", rule.article
        )
    purge_on = add_years(last_processed, years) + timedelta(days=1)
    if today >= purge_on:
        return RetentionAnswer(
            True,
            purge_on,
            f"bewaartermijn verstreken: laatste verwerking {last_processed.isoformat()}, "
            f"langer dan {years} jaar geleden",
            rule.article,
        )
    return RetentionAnswer(
        False, purge_on, f"bewaren tot en met {add_years(last_processed, years).isoformat()}", rule.article
    )


def declaration_last_processed(
    signed_on: date, last_meeting: date | None, agreement_ended: date | None, today: date
) -> date | None:
    """A geheimhoudingsverklaring is processed as long as its agreement runs (it is the ground on which
    its signatory receives personal data); after the agreement ended, its last processing is the latest of
    signing, the last meeting attended, and the end."""
    if agreement_ended is None or agreement_ended >= today:
        return None
    return max(d for d in (signed_on, last_meeting, agreement_ended) if d is not None)


def inzage_deadline(received_on: date, rule: RetentionRule | None = None) -> date:
    """The last day on which a request for inzage must be answered (the agreement's inzage term)."""
    weeks = rule.inzage_weeks if rule is not None else DEFAULT_INZAGE_WEEKS
    return received_on + timedelta(weeks=weeks)
