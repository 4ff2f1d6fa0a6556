"""TOTP, the second factor for staff (RFC 6238 through pyotp): 6 digits, 30-second steps, one step of clock
drift either way. A code is accepted once: the step it belongs to must be later than the last one used.
Enrolment shows the secret once, as text and as a QR code (inline SVG by segno, no JavaScript)."""

from __future__ import annotations

import time

import pyotp
import segno

from service.accounts.roles import Role

ISSUER = "Convenant"
STEP_SECONDS = 30
REQUIRED_FOR = frozenset({Role.PRIVACYFUNCTIONARIS, Role.BEHEERDER})


def required(role: Role) -> bool:
    """Whether the role must sign in with a second factor (privacy officer and beheerder)."""
    return role in REQUIRED_FOR


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG ``data:`` URI for an ``<img>`` (no markup of ours is trusted raw)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=4, border=2))


def matching_step(secret: str, code: str, *, last_step: int | None, now: float | None = None) -> int | None:
    """The time step the ``code`` belongs to (now, or one step before or after), if it is later than
    ``last_step``; otherwise ``None``."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = int((time.time() if now is None else now) // STEP_SECONDS)
    for step in (current, current - 1, current + 1):
        if (last_step is None or step > last_step) and totp.verify(code, for_time=step * STEP_SECONDS):
            return step
    return None
