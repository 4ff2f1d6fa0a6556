"""Errors of the accounts package: Dutch ``message``, machine ``code``; HTTP status in service/errors.py."""

from __future__ import annotations


class AccountsError(Exception):
    code = "accountfout"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_problem(self) -> dict[str, str]:
        return {"pad": self.field or "verzoek", "melding": self.message}


class NotAuthenticated(AccountsError):
    code = "niet_aangemeld"


class PermissionDenied(AccountsError):
    code = "geen_toegang"


class CsrfRejected(AccountsError):
    code = "csrf_ongeldig"


class RateLimited(AccountsError):
    code = "te_veel_pogingen"


class LoginFailed(AccountsError):
    code = "aanmelden_mislukt"


class InvalidAccountInput(AccountsError):
    code = "ongeldige_invoer"


class AccountExists(AccountsError):
    code = "account_bestaat"


class AccountNotFound(AccountsError):
    code = "account_onbekend"
