"""The one-time code that confirms a signatory's e-mail address before her certificate is issued.

The code (6 digits, from ``secrets``) is e-mailed to the address the link was sent to; only its SHA-256,
bound to the link, is stored. It is valid for ``CODE_TTL`` and for ``MAX_ATTEMPTS`` wrong tries; a new
request replaces it. Confirming it yields the ``Evidence`` the signature's certificate refers to: link,
address, time of confirmation, IP address and browser, summarised in an id (SHA-256) that the audit
records with the full data.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from service.clock import utcnow
from service.invitations import repository
from service.invitations.errors import InvalidInvitation
from service.invitations.models import SigningLink

CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5
METHOD = "eenmalige code per e-mail"


@dataclass(frozen=True)
class Evidence:
    """How the signatory was identified for this signature."""

    method: str
    link_id: int
    email: str
    confirmed_at: datetime
    ip: str
    user_agent: str

    @property
    def id(self) -> str:
        record = {
            "methode": self.method,
            "link": self.link_id,
            "email": self.email,
            "bevestigd_utc": self.confirmed_at.isoformat(),
            "ip_adres": self.ip,
            "browser": self.user_agent,
        }
        return hashlib.sha256(json.dumps(record, sort_keys=True).encode("utf-8")).hexdigest()[:32]


def _digest(link: SigningLink, code: str) -> str:
    return hashlib.sha256(f"{link.token_hash}:{code}".encode()).hexdigest()


def new_code(db: Session, link: SigningLink) -> str:
    """A fresh code for ``link`` (replacing an earlier one); the caller e-mails it."""
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = utcnow()
    link.code_hash = _digest(link, code)
    link.code_sent_at = now
    link.code_expires_at = now + CODE_TTL
    link.code_attempts = 0
    repository.save(db, link)
    return code


def confirm(db: Session, link: SigningLink, code: str, *, ip: str, user_agent: str) -> Evidence:
    """The evidence for a correct, unexpired code; a wrong one counts as an attempt (committed by the caller
    even when this raises) and is refused with a Dutch message naming the field."""
    code = "".join(code.split())
    now = utcnow()
    if link.code_hash is None or link.code_expires_at is None:
        raise InvalidInvitation(
            "code: vraag eerst een code aan; die wordt naar uw e-mailadres gestuurd.", field="code"
        )
    if link.code_attempts >= MAX_ATTEMPTS:
        raise InvalidInvitation(
            "code: te vaak een onjuiste code ingevuld. Vraag een nieuwe code aan.", field="code"
        )
    if link.code_expires_at.replace(tzinfo=now.tzinfo) <= now:
        raise InvalidInvitation("code: de code is verlopen. Vraag een nieuwe code aan.", field="code")
    if not (code.isdigit() and hmac.compare_digest(_digest(link, code), link.code_hash)):
        link.code_attempts += 1
        repository.save(db, link)
        left = MAX_ATTEMPTS - link.code_attempts
        again = f"U kunt het nog {left} keer proberen." if left else "Vraag een nieuwe code aan."
        raise InvalidInvitation(f"code: de code is onjuist. {again} Er is niets ondertekend.", field="code")
    link.code_hash = None  # one signature per code
    repository.save(db, link)
    return Evidence(METHOD, link.id or 0, link.email, now, ip[:64], (user_agent or "onbekend")[:400])
