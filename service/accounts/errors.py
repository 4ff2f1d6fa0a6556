"""Errors of the accounts package: Dutch ``message``, machine ``code``; HTTP status in service/errors.py."""

from __future__ import annotations

from service.failures import Failure


class AccountsError(Failure):
    code = "accountfout"
    default_field = "verzoek"


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
