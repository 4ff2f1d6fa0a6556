"""When personal data must go: pure functions over plain values, each answer naming its article.

Amsterdam MZW convenant, artikel 13, tweede lid: personal data are kept at most 5 years from the date
of the last processing. Artikel 15, eerste lid: a request for inzage is answered as soon as possible
and at the latest within four weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

RETENTION_ARTICLE = "artikel 13, tweede lid (convenant MZW Amsterdam)"
INZAGE_ARTICLE = "artikel 15, eerste lid (convenant MZW Amsterdam)"
DEFAULT_RETENTION_YEARS = 5
INZAGE_TERM = timedelta(weeks=4)


@dataclass(frozen=True)
class RetentionAnswer:
    due: bool  # must be purged now
    purge_on: date | None  # the first day on which it must be gone (None: still in use)
    reason: str  # Dutch
    article: str = RETENTION_ARTICLE


def add_years(day: date, years: int) -> date:
    """``day`` plus ``years`` calendar years; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def retention_answer(
    last_processed: date | None, today: date, years: int = DEFAULT_RETENTION_YEARS
) -> RetentionAnswer:
    """Decide for one record whose last processing was on ``last_processed`` (None: still in use)."""
    if last_processed is None:
        return RetentionAnswer(False, None, "nog in gebruik: de laatste verwerking is nog niet voorbij")
    purge_on = add_years(last_processed, years) + timedelta(days=1)
    if today >= purge_on:
        return RetentionAnswer(
            True,
            purge_on,
            f"bewaartermijn verstreken: laatste verwerking {last_processed.isoformat()}, "
            f"langer dan {years} jaar geleden",
        )
    return RetentionAnswer(
        False, purge_on, f"bewaren tot en met {add_years(last_processed, years).isoformat()}"
    )


def declaration_last_processed(
    signed_on: date, last_meeting: date | None, agreement_ended: date | None, today: date
) -> date | None:
    """A geheimhoudingsverklaring is processed as long as its agreement runs (it is the ground on which
    the agendadeelnemer receives personal data, privacyregeling Zeist art. 11 lid 2); after the agreement
    ended, its last processing is the latest of signing, the last meeting attended, and the end."""
    if agreement_ended is None or agreement_ended >= today:
        return None
    return max(d for d in (signed_on, last_meeting, agreement_ended) if d is not None)


def inzage_deadline(received_on: date) -> date:
    """The last day on which a request for inzage must be answered (artikel 15, eerste lid)."""
    return received_on + INZAGE_TERM
