"""Rate limiting of sign-in attempts and of token/link guessing or replay.

Stored in the database (table ``account_attempt``), so the limit holds across all uvicorn workers and
restarts. Only failures count; a successful sign-in does not reset the counter for an address, so a
guesser cannot interleave a known-good account to keep going.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, select

from service.accounts.clock import utcnow
from service.accounts.errors import RateLimited
from service.accounts.models import AuthAttempt


@dataclass(frozen=True)
class Limits:
    window: timedelta = timedelta(minutes=15)
    login_per_email: int = 5  # failed sign-ins for one e-mail address per window
    login_per_ip: int = 20  # failed sign-ins from one IP address per window
    token_per_ip: int = 20  # rejected API tokens / signing links (unknown, used, expired) per IP per window
    keep: timedelta = timedelta(days=30)  # attempts older than this are deleted


DEFAULT_LIMITS = Limits()


def _failures(
    session: Session, kind: str, since: datetime, *, subject: str | None = None, ip: str | None = None
) -> int:
    q = (
        select(func.count())
        .select_from(AuthAttempt)
        .where(
            AuthAttempt.kind == kind,
            AuthAttempt.at >= since,
            AuthAttempt.success == False,  # noqa: E712
        )
    )
    if subject is not None:
        q = q.where(AuthAttempt.subject == subject)
    if ip is not None:
        q = q.where(AuthAttempt.ip_address == ip)
    return int(session.exec(q).one())


def check_login_allowed(session: Session, email: str, ip: str, limits: Limits = DEFAULT_LIMITS) -> None:
    since = utcnow() - limits.window
    minutes = int(limits.window.total_seconds() // 60)
    if _failures(session, "aanmelden", since, subject=email) >= limits.login_per_email:
        raise RateLimited(
            "Te veel mislukte aanmeldpogingen voor dit e-mailadres. "
            f"Probeer het over {minutes} minuten opnieuw.",
            field="email",
        )
    if _failures(session, "aanmelden", since, ip=ip) >= limits.login_per_ip:
        raise RateLimited(
            f"Te veel mislukte aanmeldpogingen vanaf dit adres. Probeer het over {minutes} minuten opnieuw."
        )


def check_token_allowed(session: Session, kind: str, ip: str, limits: Limits = DEFAULT_LIMITS) -> None:
    since = utcnow() - limits.window
    if _failures(session, kind, since, ip=ip) >= limits.token_per_ip:
        minutes = int(limits.window.total_seconds() // 60)
        raise RateLimited(
            f"Te veel ongeldige of al gebruikte sleutels of links vanaf dit adres. "
            f"Probeer het over {minutes} minuten opnieuw."
        )


def record(session: Session, kind: str, ip: str, *, subject: str = "-", success: bool) -> None:
    """Store an attempt in the request's session.

    A refused request must still keep its failed attempts: callers that raise afterwards first call
    ``commit_failure`` (a separate connection would deadlock against the request's own write lock on
    SQLite, where every POST holds it from its first statement)."""
    session.add(
        AuthAttempt(kind=kind, subject=subject[:300], ip_address=ip[:64], at=utcnow(), success=success)
    )
    session.flush()


def commit_failure(session: Session, kind: str, ip: str, *, subject: str = "-") -> None:
    """Record a failed attempt and commit now, before the caller raises (nothing is left to roll back)."""
    record(session, kind, ip, subject=subject, success=False)
    session.commit()


def purge_old(session: Session, limits: Limits = DEFAULT_LIMITS) -> None:
    cutoff = utcnow() - limits.keep
    session.execute(delete(AuthAttempt).where(AuthAttempt.at < cutoff))  # type: ignore[arg-type]
