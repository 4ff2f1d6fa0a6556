"""Password hashing with Argon2id (argon2-cffi, RFC 9106 low-memory profile)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from service.accounts.errors import InvalidAccountInput

MIN_LENGTH = 12

_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a failed login costs the same either way.
_DUMMY_HASH = _hasher.hash("geen-account-met-dit-adres")


def hash_password(password: str) -> str:
    validate_password(password)
    return _hasher.hash(password)


def validate_password(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise InvalidAccountInput(
            f"wachtwoord: moet minstens {MIN_LENGTH} tekens lang zijn", field="wachtwoord"
        )
    if len(password) > 1024:
        raise InvalidAccountInput("wachtwoord: is te lang (maximaal 1024 tekens)", field="wachtwoord")


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)
