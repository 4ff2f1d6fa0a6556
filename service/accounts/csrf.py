"""CSRF protection for every form: a signed double-submit token, bound to the session.

Each browser gets a random ``__Host-convenant_csrf`` cookie (HttpOnly, Secure, SameSite=Strict, Path=/,
no Domain: the ``__Host-`` prefix makes browsers refuse it from a sibling subdomain or over plain http,
so it cannot be planted). The token in a form is an HMAC over that cookie value and — once signed in —
the session id, keyed with the server secret. Signing in and out replace the cookie (``rotate``), so a
pair known before sign-in is worthless afterwards. A POST whose form field does not match is refused
before the handler runs (see ``guard``), as is a POST the browser marks as coming from another site
(``Sec-Fetch-Site``) or whose ``Origin`` is not this site: a login form posted from elsewhere fails even
with a valid pair. An attacker's page can neither read the cookie nor compute the HMAC.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

COOKIE = "__Host-convenant_csrf"
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


def cross_site(origin: str | None, fetch_site: str | None, host: str | None, own: str | None = None) -> bool:
    """Whether the browser says the request comes from another site: ``Sec-Fetch-Site`` is ``cross-site`` or
    ``same-site`` (a sibling subdomain), or ``Origin`` names another host than the request's own ``Host``
    (or than ``own``, the configured public address). Requests without these headers (non-browsers, old
    browsers) are left to the token check."""
    if fetch_site is not None and fetch_site.strip().lower() in ("cross-site", "same-site"):
        return True
    if origin is None or origin.strip() in ("", "null"):  # "null": sent under Referrer-Policy no-referrer
        return False
    origin_host = urlsplit(origin.strip()).netloc.lower()
    allowed = {(host or "").lower()}
    if own:
        allowed.add(urlsplit(own).netloc.lower())
    return origin_host not in allowed
