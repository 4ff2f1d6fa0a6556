"""Link tokens: 256 random bits (``secrets.token_urlsafe(32)``); only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import re
import secrets

_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def well_formed(token: str) -> bool:
    return bool(_TOKEN_RE.fullmatch(token))
