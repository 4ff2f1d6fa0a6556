"""CSRF protection for every form: a signed double-submit token.

Each browser gets a random ``convenant_csrf`` cookie (HttpOnly, Secure, SameSite=Strict). The token in a
form is an HMAC over that cookie value and — once signed in — the session id, keyed with the server
secret. A POST whose form field does not match is refused before the handler runs (see ``guard``).
An attacker's page can neither read the cookie nor compute the HMAC.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

COOKIE = "convenant_csrf"
FIELD = "csrf_token"


def new_cookie_value() -> str:
    return secrets.token_urlsafe(32)


def token_for(secret: bytes, cookie_value: str, session_id: str | None) -> str:
    msg = f"csrf|{cookie_value}|{session_id or '-'}".encode()
    return hmac.new(secret, msg, hashlib.sha256).hexdigest()


def is_valid(secret: bytes, cookie_value: str | None, session_id: str | None, submitted: str | None) -> bool:
    if not cookie_value or not submitted:
        return False
    return hmac.compare_digest(token_for(secret, cookie_value, session_id), submitted)
