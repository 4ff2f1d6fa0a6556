"""Password hashing with Argon2id (argon2-cffi, RFC 9106 low-memory profile) and the password policy.

The policy (``validate_password``): at least 12 characters (at most 1,024); not one of the 30,000 most common
passwords (``data/common-passwords.txt.gz``, shipped with the code, also with digits or symbols added before
or after, so ``password1234`` is refused); not mostly one character (``aaaaaaaaaaaa``) or only digits; and
not the account's own e-mail address or name, nor containing them.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from service.accounts.errors import InvalidAccountInput

MIN_LENGTH = 12
MAX_LENGTH = 1024
MIN_DISTINCT = 5
COMMON_PASSWORDS = Path(__file__).resolve().parent / "data" / "common-passwords.txt.gz"

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a failed login costs the same either way.
_DUMMY_HASH = _hasher.hash("geen-account-met-dit-adres")
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")
_WORDS = re.compile(r"[^\W\d_]{3,}")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as f:
        return frozenset(line.strip() for line in f if line.strip() and not line.startswith("#"))


def hash_password(password: str, *, email: str | None = None, name: str | None = None) -> str:
    validate_password(password, email=email, name=name)
    return _hasher.hash(password)


def _refuse(reason: str) -> InvalidAccountInput:
    return InvalidAccountInput(f"wachtwoord: {reason}", field="wachtwoord")


def validate_password(password: str, *, email: str | None = None, name: str | None = None) -> None:
    """Raise ``InvalidAccountInput`` (Dutch, field ``wachtwoord``) when the password breaks the policy."""
    if len(password) < MIN_LENGTH:
        raise _refuse(f"moet minstens {MIN_LENGTH} tekens lang zijn")
    if len(password) > MAX_LENGTH:
        raise _refuse(f"is te lang (maximaal {MAX_LENGTH} tekens)")
    lowered = password.lower()
    if len(set(lowered)) < MIN_DISTINCT:
        raise _refuse(f"bevat te weinig verschillende tekens (minstens {MIN_DISTINCT})")
    if lowered.isdigit():
        raise _refuse("mag niet alleen uit cijfers bestaan")
    common = common_passwords()
    core = _EDGES.sub("", lowered)
    if lowered in common or core in common or lowered.replace(" ", "") in common:
        raise _refuse("staat op de lijst van veelgebruikte of gelekte wachtwoorden; kies een ander")
    if email:
        address = email.strip().lower()
        local = address.split("@", 1)[0]
        if address in lowered or (len(local) >= 3 and local in lowered):
            raise _refuse("mag uw e-mailadres niet bevatten")
    if name:
        for part in _WORDS.findall(name.lower()):
            if len(part) >= 4 and part in lowered:
                raise _refuse("mag uw naam niet bevatten")


def rehash(password: str) -> str:
    """A fresh hash of a password that was just verified (new hashing parameters), without the policy."""
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
