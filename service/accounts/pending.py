"""The half-way state of a sign-in: the password was right, the second factor is still to come.

Kept in a ``__Host-`` cookie (HttpOnly, Secure, SameSite=Strict) holding the account id, an expiry ten
minutes ahead and what is still to do (``code``: enter a TOTP code; ``instellen``: set up TOTP first), with
an HMAC under the server secret over those and the account's password hash — so the cookie cannot be made
or altered without the secret, and a password change ends it. No session exists until the step is done.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

COOKIE = "__Host-convenant_aanmelding"
TTL_SECONDS = 600
CODE, ENROL = "code", "instellen"


@dataclass(frozen=True)
class Pending:
    user_id: int
    step: str  # CODE or ENROL


def _mac(secret: bytes, user_id: int, expires: int, step: str, password_hash: str) -> str:
    msg = f"aanmelding|{user_id}|{expires}|{step}|{password_hash}".encode()
    return hmac.new(secret, msg, hashlib.sha256).hexdigest()


def issue(secret: bytes, user_id: int, step: str, password_hash: str, now: float | None = None) -> str:
    expires = int((time.time() if now is None else now) + TTL_SECONDS)
    return f"{user_id}.{expires}.{step}.{_mac(secret, user_id, expires, step, password_hash)}"


def read(value: str | None) -> Pending | None:
    """The pending sign-in in ``value`` if it is well-formed and has not expired; its signature is checked
    afterwards against the account's password hash (``check``)."""
    if not value:
        return None
    parts = value.split(".")
    if len(parts) != 4 or not parts[0].isdigit() or not parts[1].isdigit() or parts[2] not in (CODE, ENROL):
        return None
    if int(parts[1]) < time.time():
        return None
    return Pending(int(parts[0]), parts[2])


def check(secret: bytes, value: str, password_hash: str) -> bool:
    user_id, expires, step, mac = value.split(".")
    return hmac.compare_digest(_mac(secret, int(user_id), int(expires), step, password_hash), mac)
