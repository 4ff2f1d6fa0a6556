"""Rate limiting of sign-in attempts and of token/link guessing or replay.

Stored in the database (table ``account_attempt``), so the limit holds across all uvicorn workers and
restarts. Only failures count; a successful sign-in does not reset the counter for an address, so a
guesser cannot interleave a known-good account to keep going. Sign-in failures throttle the pair
(account, address) with a doubling wait instead of locking the account: wrong guesses by someone
elsewhere do not lock out the real user (``check_login_allowed``). The address is the client's own, or —
only behind a proxy named in ``trusted_proxies`` — the one that proxy reports (``service/proxy.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from registry.audit import Change, append
from service.accounts import repository
from service.accounts.errors import RateLimited
from service.accounts.models import AuthAttempt
from service.clock import utcnow


@dataclass(frozen=True)
class Limits:
    window: timedelta = timedelta(minutes=15)
    login_per_pair: int = 5  # failed sign-ins for one e-mail address from one IP before backing off
    login_per_email: int = 50  # failed sign-ins for one e-mail address from all addresses (distributed)
    login_per_ip: int = 20  # failed sign-ins from one IP address per window (password spraying)
    backoff_start: timedelta = timedelta(seconds=30)  # the first wait; doubles per further failure
    token_per_ip: int = 20  # rejected API tokens / signing links (unknown, used, expired) per IP per window
    keep: timedelta = timedelta(days=30)  # attempts older than this are deleted


DEFAULT_LIMITS = Limits()


def _failures(
    session: Session, kind: str, since: datetime, *, subject: str | None = None, ip: str | None = None
) -> tuple[int, datetime | None]:
    """Number of failures since ``since`` and the time of the last one."""
    return repository.failures(session, kind, since, subject=subject, ip=ip)


def _signed_in_before(session: Session, email: str, ip: str, limits: Limits) -> bool:
    """Whether this account signed in successfully from this address within ``keep`` (a known place)."""
    return repository.successful_sign_ins(session, email, ip, utcnow() - limits.keep) > 0


def backoff(failures: int, threshold: int, limits: Limits = DEFAULT_LIMITS) -> timedelta:
    """The wait after ``failures`` (>= threshold): 30 s, 1 min, 2 min, … never longer than the window."""
    steps = max(0, failures - threshold)
    seconds = limits.backoff_start.total_seconds() * (2 ** min(steps, 20))
    return min(timedelta(seconds=seconds), limits.window)


def _wait_text(wait: timedelta) -> str:
    seconds = max(1, int(wait.total_seconds() + 0.999))
    if seconds < 90:
        return f"{seconds} seconden"
    return f"{(seconds + 59) // 60} minuten"


def check_login_allowed(
    session: Session, email: str, ip: str, limits: Limits = DEFAULT_LIMITS, *, kind: str = "aanmelden"
) -> None:
    """Throttle, never lock out: failures slow down the pair (account, address) that made them, with a
    doubling wait; someone else's wrong guesses from another address do not stop the real user. An address
    guessing at many accounts is stopped for the window; an account guessed at from many addresses makes
    every address it never signed in from wait as well."""
    now = utcnow()
    since = now - limits.window
    count, last = _failures(session, kind, since, subject=email, ip=ip)
    if count >= limits.login_per_pair and last is not None:
        wait = last + backoff(count, limits.login_per_pair, limits) - now
        if wait > timedelta(0):
            raise RateLimited(
                "Te veel mislukte aanmeldpogingen voor dit e-mailadres vanaf dit adres. "
                f"Probeer het over {_wait_text(wait)} opnieuw.",
                field="email",
            )
    ip_count, _ = _failures(session, kind, since, ip=ip)
    if ip_count >= limits.login_per_ip:
        minutes = int(limits.window.total_seconds() // 60)
        raise RateLimited(
            f"Te veel mislukte aanmeldpogingen vanaf dit adres. Probeer het over {minutes} minuten opnieuw."
        )
    all_count, all_last = _failures(session, kind, since, subject=email)
    if all_count >= limits.login_per_email and all_last is not None:
        wait = all_last + backoff(all_count, limits.login_per_email, limits) - now
        if wait > timedelta(0) and not _signed_in_before(session, email, ip, limits):
            raise RateLimited(
                "Te veel mislukte aanmeldpogingen voor dit e-mailadres. "
                f"Probeer het over {_wait_text(wait)} opnieuw.",
                field="email",
            )


def check_token_allowed(session: Session, kind: str, ip: str, limits: Limits = DEFAULT_LIMITS) -> None:
    since = utcnow() - limits.window
    if _failures(session, kind, since, ip=ip)[0] >= limits.token_per_ip:
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
    repository.save(
        session,
        AuthAttempt(kind=kind, subject=subject[:300], ip_address=ip[:64], at=utcnow(), success=success),
    )


FAILURE_EVENTS = {
    "aanmelden": "aanmelden mislukt",
    "code": "code onjuist",  # the TOTP code (reg_audit.action holds 20 characters)
    "token": "sleutel geweigerd",
    "link": "link geweigerd",
}


def commit_failure(session: Session, kind: str, ip: str, *, subject: str = "-") -> None:
    """Record a failed attempt — in the attempts table and as an audit entry — and commit now, before the
    caller raises (nothing is left to roll back). Only attempts under the limits get here, so a flood of
    guesses cannot flood the audit log."""
    record(session, kind, ip, subject=subject, success=False)
    action = FAILURE_EVENTS.get(kind, "mislukt")  # reg_audit.action holds 20 characters
    # filed under the organisation of the account tried (if any): its beheerder reads it, no other
    organisation = repository.organisation_of_email(session, subject.strip().lower())
    failure = Change(
        "anoniem", action, "beveiliging", subject[:80], {"ip": ip, "soort": kind}, organisation=organisation
    )
    append(session.connection(), [failure])
    session.commit()


def purge_old(session: Session, limits: Limits = DEFAULT_LIMITS) -> None:
    cutoff = utcnow() - limits.keep
    repository.delete_attempts_before(session, cutoff)
