"""TOTP secrets encrypted at rest: ``account_user.totp_secret`` holds a sealed value, never the secret.

The key is derived (HKDF-SHA256, with its own ``info`` label) from the server secret — ``settings.secret_key``
or ``<data_dir>/secret.key``, kept outside the database like the CSRF key derived from it too. Whoever reads
the database (a dump, a backup without keys, an injection) gets no usable second factor.

AES-256-GCM from ``cryptography`` (authenticated; nothing of our own), over the secret's 20 raw bytes, with
the account's id as associated data: a sealed secret copied into another account's row does not open
there, so an attacker who can write the database cannot give the privacy officer a second factor he knows.
Stored as URL-safe base64 of nonce + ciphertext + tag: 64 characters for pyotp's 160-bit secrets, the size
of the column.

A value that does not open with this server's key (a database restored without its ``secret.key``) is an
error the sign-in page names; the beheerder then resets the second factor and the account sets it up anew.
Secrets an older version stored in plain text are sealed at start-up (``seal_plain_secrets``, from
``service.bootstrap.prepare``); a plain secret is never accepted as a sealed one.
"""

from __future__ import annotations

import base64
import binascii
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlmodel import Session

from service.accounts import repository
from service.accounts.errors import LoginFailed

_INFO = b"convenant: TOTP-geheimen in de database (v1)"
_PLAIN = re.compile(r"[A-Z2-7]{16,32}=*")  # a base32 secret as pyotp makes it (sealed values are longer)
MAX_SECRET_BYTES = 20  # pyotp.random_base32(): 32 characters, 160 bits; sealed it fills the 64 characters


def _aad(user_id: int) -> bytes:
    return f"account_user.totp_secret:{user_id}".encode()


def _unreadable() -> LoginFailed:
    return LoginFailed(
        "code: de tweede factor van dit account kan niet worden gelezen (de sleutel van de server is "
        "veranderd, bijvoorbeeld na het terugzetten van een back-up zonder sleutels); laat de beheerder uw "
        "tweede factor opnieuw instellen",
        field="code",
    )


class SecretBox:
    """Seal and open TOTP secrets with a key derived from the server secret."""

    def __init__(self, server_secret: bytes) -> None:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(server_secret)
        self._aead = AESGCM(key)

    def seal(self, secret: str, user_id: int) -> str:
        raw = base64.b32decode(secret + "=" * (-len(secret) % 8))
        if len(raw) > MAX_SECRET_BYTES:
            raise ValueError("een TOTP-geheim is hoogstens 160 bits (32 tekens base32)")
        nonce = os.urandom(12)
        sealed = nonce + self._aead.encrypt(nonce, raw, _aad(user_id))
        return base64.urlsafe_b64encode(sealed).decode("ascii").rstrip("=")

    def open(self, stored: str, user_id: int) -> str:
        try:
            sealed = base64.urlsafe_b64decode(stored + "=" * (-len(stored) % 4))
            raw = self._aead.decrypt(sealed[:12], sealed[12:], _aad(user_id))
        except (InvalidTag, ValueError, binascii.Error):
            raise _unreadable() from None
        return base64.b32encode(raw).decode("ascii").rstrip("=")


def is_plain(stored: str) -> bool:
    return _PLAIN.fullmatch(stored) is not None


def seal_plain_secrets(session: Session, box: SecretBox) -> int:
    """Encrypt every secret still stored in plain text; returns how many. Idempotent."""
    sealed = 0
    for user in repository.users_with_totp_secret(session):
        if user.totp_secret and user.id is not None and is_plain(user.totp_secret):
            user.totp_secret = box.seal(user.totp_secret, user.id)
            repository.save(session, user)
            sealed += 1
    return sealed
