"""Accounts: create users, sign in, sessions, API tokens. Called from pages, the API and the CLI alike."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from registry.audit import Change, append
from service.accounts import passwords, ratelimit, repository, totp
from service.accounts.errors import AccountExists, AccountNotFound, InvalidAccountInput, LoginFailed
from service.accounts.models import ApiToken, StaffSession, StaffUser
from service.accounts.roles import Role, parse_role
from service.accounts.totp_secrets import SecretBox
from service.clock import utcnow

SESSION_IDLE = timedelta(hours=2)
SESSION_MAX = timedelta(hours=12)
TOKEN_PREFIX = "cvt_"


@dataclass(frozen=True)
class Principal:
    """Who is making a request: a signed-in staff member (via session or API token)."""

    user_id: int
    email: str
    name: str
    role: Role
    via: str  # "sessie" or "token"
    session_id: str | None = None


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    e = email.strip().lower()
    if "@" not in e or len(e) > 254 or " " in e or e.startswith("@") or e.endswith("@"):
        raise InvalidAccountInput(f"e-mailadres: '{email}' is geen geldig e-mailadres", field="email")
    return e


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: str | Role,
    password: str,
    organisation_id: int | None = None,
) -> StaffUser:
    email_n = normalise_email(email)
    if not name.strip():
        raise InvalidAccountInput("naam: mag niet leeg zijn", field="naam")
    role_v = role if isinstance(role, Role) else parse_role(role)
    if repository.user_by_email(session, email_n) is not None:
        raise AccountExists(f"e-mailadres: er bestaat al een account voor {email_n}", field="email")
    now = utcnow()
    user = StaffUser(
        email=email_n,
        name=name.strip(),
        role=role_v.value,
        password_hash=passwords.hash_password(password, email=email_n, name=name),
        created_at=now,
        password_changed_at=now,
        organisation_id=organisation_id,
    )
    repository.save(session, user)
    return user


def set_password(session: Session, user_id: int, password: str) -> None:
    """A new password (checked against the policy); every session of the account ends."""
    user = repository.user(session, user_id)
    if user is None:
        raise AccountNotFound("account: onbekend")
    user.password_hash = passwords.hash_password(password, email=user.email, name=user.name)
    user.password_changed_at = utcnow()
    # Signing out everywhere: a changed password invalidates every session of the user.
    repository.delete_sessions_of(session, user_id)
    repository.save(session, user)


def list_users(session: Session) -> list[StaffUser]:
    return repository.users(session)


def set_active(session: Session, user_id: int, active: bool) -> StaffUser:
    user = repository.user(session, user_id)
    if user is None:
        raise AccountNotFound("account: onbekend")
    user.active = active
    if not active:
        repository.delete_sessions_of(session, user_id)
    repository.save(session, user)
    return user


def authenticate(session: Session, email: str, password: str, ip: str) -> StaffUser:
    """Check e-mail and password, with rate limiting. Raises ``LoginFailed`` or ``RateLimited``.

    The sign-in is complete only with ``record_sign_in`` — after the second factor when the account has
    one (``second_factor``)."""
    email_n = email.strip().lower()
    ratelimit.check_login_allowed(session, email_n, ip)
    user = repository.user_by_email(session, email_n)
    ok = passwords.verify_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.active:
        ratelimit.commit_failure(session, "aanmelden", ip, subject=email_n)
        raise LoginFailed("Onbekend e-mailadres of onjuist wachtwoord.", field="email")
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.rehash(password)
        repository.save(session, user)
    return user


def second_factor(user: StaffUser) -> str | None:
    """What the account still needs after its password: ``code`` (it has TOTP), ``instellen`` (its role
    requires TOTP and it has none yet) or ``None``."""
    if user.totp_enabled_at is not None and user.totp_secret:
        return "code"
    if totp.required(Role(user.role)):
        return "instellen"
    return None


def record_sign_in(session: Session, user: StaffUser, ip: str) -> None:
    """The sign-in succeeded (password, and second factor where needed): recorded and audited."""
    ratelimit.record(session, "aanmelden", ip, subject=user.email, success=True)
    details = {"ip": ip, "tweede_factor": user.totp_enabled_at is not None}
    append(
        session.connection(),
        [
            Change(
                f"{user.email} ({user.role})"[:300],
                "aangemeld",
                "beveiliging",
                user.email[:80],
                details,
                organisation=user.organisation_id,
            )
        ],
    )
    ratelimit.purge_old(session)  # attempts are kept 30 days, for review and for the limits
    user.last_login_at = utcnow()
    repository.save(session, user)


def change_password(session: Session, user_id: int, current: str, new: str, ip: str) -> StaffUser:
    """Change one's own password: the current one must be right (rate-limited like a sign-in), the new one
    must satisfy the policy and differ. Every session of the account ends."""
    user = repository.user(session, user_id)
    if user is None or not user.active:
        raise AccountNotFound("account: onbekend")
    ratelimit.check_login_allowed(session, user.email, ip)
    if not passwords.verify_password(user.password_hash, current):
        ratelimit.commit_failure(session, "aanmelden", ip, subject=user.email)
        raise InvalidAccountInput("huidig wachtwoord: klopt niet", field="huidig")
    if new == current:
        raise InvalidAccountInput("wachtwoord: kies een ander wachtwoord dan het huidige", field="wachtwoord")
    set_password(session, user_id, new)
    return user


# --- second factor (TOTP) ------------------------------------------------------------------------------


def start_totp_enrolment(session: Session, user: StaffUser, box: SecretBox) -> str:
    """A new secret for the account (returned to be shown once; stored encrypted); it counts once a code
    confirms it."""
    if user.totp_enabled_at is not None:
        raise InvalidAccountInput("tweede factor: is al ingesteld", field="code")
    secret = totp.new_secret()
    user.totp_secret = box.seal(secret, user.id or 0)
    user.totp_last_step = None
    repository.save(session, user)
    return secret


def check_totp(session: Session, user: StaffUser, code: str, ip: str, box: SecretBox) -> None:
    """Accept ``code`` for the account's (pending or confirmed) secret, once; rate-limited per account and
    address like a password. Confirms a pending enrolment. Raises ``LoginFailed`` or ``RateLimited``."""
    ratelimit.check_login_allowed(session, user.email, ip, kind="code")
    secret = box.open(user.totp_secret, user.id or 0) if user.totp_secret else ""
    step = totp.matching_step(secret, code, last_step=user.totp_last_step)
    if step is None or not secret:
        ratelimit.commit_failure(session, "code", ip, subject=user.email)
        raise LoginFailed(
            "code: onjuist of al gebruikt; neem de code die uw authenticator-app nu toont", field="code"
        )
    user.totp_last_step = step
    if user.totp_enabled_at is None:  # a pending enrolment confirmed: an audit event of its own
        user.totp_enabled_at = utcnow()
        _security_event(session, f"{user.email} ({user.role})", "2e factor ingesteld", user, {"ip": ip})
    repository.save(session, user)


def enable_totp(session: Session, user_id: int, box: SecretBox, secret: str | None = None) -> str:
    """Set a confirmed TOTP secret directly (the demo accounts, the command line); returns the secret
    (stored encrypted)."""
    user = repository.user(session, user_id)
    if user is None:
        raise AccountNotFound("account: onbekend")
    secret = secret or totp.new_secret()
    user.totp_secret = box.seal(secret, user_id)
    user.totp_enabled_at = utcnow()
    user.totp_last_step = None
    repository.save(session, user)
    return secret


def reset_totp(session: Session, user_id: int, *, by: str = "systeem", ip: str | None = None) -> None:
    """Remove the second factor (beheerder, e.g. a lost phone): set up anew at the next sign-in. Every
    session of the account ends; recorded as an audit event of its own."""
    user = repository.user(session, user_id)
    if user is None:
        raise AccountNotFound("account: onbekend")
    had = user.totp_enabled_at is not None
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    repository.delete_sessions_of(session, user_id)
    repository.save(session, user)
    details = {"was_ingesteld": had, "ip": ip}
    _security_event(session, by, "2e factor gewist", user, details)


def change_role(
    session: Session, user_id: int, role: str | Role, *, by: str, ip: str | None = None
) -> StaffUser:
    """Give the account another role (beheerder). Every session of the account ends, so the new role's
    rules (a second factor for privacy officer and beheerder) apply from the next sign-in; recorded as an
    audit event of its own (``rol gewijzigd``, old and new role), beside the row change."""
    user = repository.user(session, user_id)
    if user is None:
        raise AccountNotFound("account: onbekend")
    new = parse_role(role) if isinstance(role, str) else role
    old = Role(user.role)
    if new is old:
        return user
    user.role = new.value
    repository.delete_sessions_of(session, user_id)
    repository.save(session, user)
    _security_event(session, by, "rol gewijzigd", user, {"oud": old.value, "nieuw": new.value, "ip": ip})
    return user


def _security_event(session: Session, by: str, action: str, user: StaffUser, details: dict[str, Any]) -> None:
    event = Change(
        by[:300], action, "beveiliging", user.email[:80], details, organisation=user.organisation_id
    )
    append(session.connection(), [event])


# --- sessions -------------------------------------------------------------------------------------


def start_session(session: Session, user: StaffUser, *, ip: str | None, user_agent: str | None) -> str:
    """Create a server-side session; returns the cookie value (only its hash is stored)."""
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    now = utcnow()
    repository.save(
        session,
        StaffSession(
            id=sha256_hex(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + SESSION_MAX,
            last_seen_at=now,
            ip_address=(ip or "")[:64] or None,
            user_agent=(user_agent or "")[:400] or None,
        ),
    )
    return token


def principal_from_session(session: Session, cookie_value: str) -> Principal | None:
    sid = sha256_hex(cookie_value)
    row = repository.staff_session(session, sid)
    if row is None:
        return None
    now = utcnow()
    if row.expires_at <= now or row.last_seen_at + SESSION_IDLE <= now:
        repository.delete_staff_session(session, row)
        return None
    user = repository.user(session, row.user_id)
    if user is None or not user.active:
        return None
    if now - row.last_seen_at > timedelta(minutes=1):  # avoid a write on every request
        row.last_seen_at = now  # written with the request's transaction
    return Principal(user.id or 0, user.email, user.name, Role(user.role), "sessie", sid)


def organisation_id(session: Session, user_id: int) -> int | None:
    """The staff organisation of an account (already loaded when the request's principal was found)."""
    user = repository.user(session, user_id)
    return user.organisation_id if user is not None else None


def end_session(session: Session, cookie_value: str) -> None:
    row = repository.staff_session(session, sha256_hex(cookie_value))
    if row is not None:
        repository.delete_staff_session(session, row)


# --- API tokens -----------------------------------------------------------------------------------


def create_api_token(
    session: Session, user_id: int, name: str, *, valid_days: int | None = 365
) -> tuple[ApiToken, str]:
    """Create a token; returns the row and the token itself (shown once, stored only as a hash)."""
    if not name.strip():
        raise InvalidAccountInput("naam: geef de sleutel een naam", field="naam")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    row = ApiToken(
        user_id=user_id,
        name=name.strip()[:200],
        token_hash=sha256_hex(token),
        prefix=token[:10],
        created_at=now,
        expires_at=now + timedelta(days=valid_days) if valid_days else None,
    )
    repository.save(session, row)
    return row, token


def principal_from_token(session: Session, token: str, ip: str) -> Principal | None:
    ratelimit.check_token_allowed(session, "token", ip)
    row = repository.api_token_by_hash(session, sha256_hex(token))
    now = utcnow()
    if row is None or row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        ratelimit.commit_failure(session, "token", ip)
        return None
    user = repository.user(session, row.user_id)
    if user is None or not user.active:
        ratelimit.commit_failure(session, "token", ip)
        return None
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
        row.last_used_at = now  # and audited, at most once a minute per key (not every request)
        details = {"ip": ip, "sleutel": row.prefix, "naam": row.name}
        actor = f"{user.email} ({user.role})"[:300]
        use = Change(
            actor,
            "sleutel gebruikt",
            "beveiliging",
            user.email[:80],
            details,
            organisation=user.organisation_id,
        )
        append(session.connection(), [use])
    return Principal(user.id or 0, user.email, user.name, Role(user.role), "token")


def list_api_tokens(session: Session, user_id: int) -> list[ApiToken]:
    return repository.api_tokens_of(session, user_id)


def revoke_api_token(session: Session, user_id: int, token_id: int) -> None:
    row = repository.api_token(session, token_id)
    if row is None or row.user_id != user_id:
        raise AccountNotFound("sleutel: onbekend")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        repository.save(session, row)


def user_by_id(session: Session, user_id: int) -> StaffUser | None:
    return repository.user(session, user_id)


def user_by_email(session: Session, email: str) -> StaffUser | None:
    return repository.user_by_email(session, email.strip().lower())


def expires(dt: datetime | None) -> bool:
    return dt is not None and dt <= utcnow()
