"""Exceptions to HTTP answers, in one place: the status of every domain exception and the one handler.

Every package raises its own exceptions with the shape of ``service.failures.DomainError`` (a Dutch
``message``, a machine ``code``, ``as_problems()``, an optional ``article``); ``STATUS_BY_EXCEPTION`` below
is the only place that knows their HTTP status, and ``answer_error`` is the one handler: a page request
(``wants_page``: a browser on a page address) gets a Dutch HTML page, an API request a problem document
(``application/problem+json``: ``code``, ``melding``, ``fouten``, ``artikel`` when a rule refused, ``status``,
``titel``). Request validation errors are translated to Dutch with the path of each offending field.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy.exc import OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from registry.errors import InvalidRegistryInput, NotInRegistry, Refused, RegistryConflict, RegistryError
from service.accounts.audit import record_refusal
from service.accounts.errors import (
    AccountExists,
    AccountNotFound,
    CsrfRejected,
    InvalidAccountInput,
    LoginFailed,
    NotAuthenticated,
    PermissionDenied,
    RateLimited,
)
from service.failures import (
    Conflict,
    DomainError,
    Failure,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    ServiceError,
    SignedVersionFrozen,
    Unauthenticated,
    UnsupportedMediaType,
    is_domain_error,
)
from service.invitations.errors import (
    InvalidInvitation,
    LinkUnknown,
    LinkUnusable,
    RoundConflict,
)
from service.mail.errors import MailError
from service.pages.errors import HEADINGS, page_error, wants_page
from signing.errors import (
    FieldAlreadySigned,
    FieldNotFound,
    FieldsIncomplete,
    InvalidPdf,
    InvalidRequest,
    KeyUnavailable,
    OwnSignatureRefused,
    SigningError,
    TimestampUnavailable,
    ValidationDataUnavailable,
    ValidationRefused,
)
from templates.errors import DossierInvalid, TemplatesError, UnknownDocument

# Only this module's own names: the domain exceptions are imported from where they live
# (``service.failures`` and each package's errors module), never from here.
__all__ = [
    "HANDLED",
    "STATUS_BY_EXCEPTION",
    "answer_error",
    "dutch_validation_message",
    "error_path",
    "install_error_handlers",
    "problem",
    "status_for",
]

log = logging.getLogger("convenant")

# The status of every exception the service answers, in one place; the most specific class listed first
# wins (a subclass not listed takes its base's status). Domain errors are raised as classes of their own
# packages (``templates``, ``signing``, ``registry``, ``service.failures`` and the service's errors
# modules). The framework's own exceptions follow in ``status_for``.
STATUS_BY_EXCEPTION: list[tuple[type[Exception], int]] = [
    # the service layer itself (service/failures.py)
    (NotFound, 404),
    (Forbidden, 403),
    (Unauthenticated, 401),
    (SignedVersionFrozen, 409),
    (Conflict, 409),
    (PayloadTooLarge, 413),
    (UnsupportedMediaType, 415),
    (InvalidInput, 422),
    (ServiceError, 400),
    # the registry: a rule refused (provision, renewal): nothing stored; the body names the article
    (NotInRegistry, 404),
    (Refused, 422),
    (InvalidRegistryInput, 422),
    (RegistryConflict, 409),
    (RegistryError, 400),
    # the dossier and its documents
    (UnknownDocument, 404),
    (DossierInvalid, 422),
    (TemplatesError, 422),
    # signing and validation
    (InvalidPdf, 422),
    (FieldNotFound, 404),
    (FieldAlreadySigned, 409),
    (FieldsIncomplete, 409),
    (InvalidRequest, 422),
    (OwnSignatureRefused, 422),
    (KeyUnavailable, 503),  # the signing key/token is not reachable: an operator must act
    (TimestampUnavailable, 503),
    (ValidationDataUnavailable, 503),
    (ValidationRefused, 422),  # too many fields/revisions or over the time budget: a hostile file
    (SigningError, 500),
    # accounts
    (NotAuthenticated, 401),
    (LoginFailed, 401),
    (PermissionDenied, 403),
    (CsrfRejected, 403),
    (AccountNotFound, 404),
    (AccountExists, 409),
    (InvalidAccountInput, 422),
    (RateLimited, 429),
    # signing by link
    (LinkUnknown, 404),
    (LinkUnusable, 410),
    (RoundConflict, 409),
    (InvalidInvitation, 422),
    # mail
    (MailError, 502),
    # any other error of the service (accounts, links, backup): the request cannot be done as asked
    (Failure, 400),
]

_MESSAGES = {
    "missing": "is verplicht",
    "extra_forbidden": "is geen bekend veld",
    "string_type": "moet tekst zijn",
    "int_parsing": "moet een geheel getal zijn",
    "int_type": "moet een geheel getal zijn",
    "bool_parsing": "moet ja of nee (true/false) zijn",
    "date_from_datetime_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_parsing": "moet een datum zijn (JJJJ-MM-DD)",
    "date_type": "moet een datum zijn (JJJJ-MM-DD)",
    "decimal_parsing": "moet een bedrag zijn",
    "literal_error": "heeft geen toegestane waarde",
    "string_pattern_mismatch": "heeft niet de juiste vorm",
    "string_too_long": "is te lang",
    "string_too_short": "mag niet leeg zijn",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet een object zijn",
    "model_type": "moet een object zijn",
    "json_invalid": "is geen geldige JSON",
    "greater_than_equal": "is te klein",
    "less_than_equal": "is te groot",
}


def dutch_validation_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    msg = str(error.get("msg", "is ongeldig"))
    return msg.removeprefix("Value error, ")


def error_path(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "verzoek"


def problem(
    status: int,
    code: str,
    message: str,
    problems: list[dict[str, str]] | None = None,
    *,
    article: str | None = None,
) -> JSONResponse:
    """A problem document (RFC 9457 in Dutch): ``code``, ``melding``, ``fouten``, ``artikel`` when known."""
    content: dict[str, Any] = {
        "code": code,
        "melding": message,
        "fouten": problems or [],
        "status": status,
        "titel": HEADINGS.get(status, "Er ging iets mis"),
    }
    if article:
        content["artikel"] = article
    return JSONResponse(status_code=status, content=content, media_type="application/problem+json")


def status_for(exc: BaseException) -> int:
    """The HTTP status of ``exc``: the first row of ``STATUS_BY_EXCEPTION`` it is an instance of."""
    for cls, status in STATUS_BY_EXCEPTION:
        if isinstance(exc, cls):
            return status
    if isinstance(exc, StarletteHTTPException):
        return exc.status_code
    if isinstance(exc, RequestValidationError):
        return 422
    if isinstance(exc, OperationalError):
        return 503  # the database is busy or briefly unreachable: nothing was stored, try again
    return 500


_HTTP_MESSAGES = {
    404: "Niet gevonden.",
    405: "Deze methode is hier niet toegestaan.",
    401: "Niet aangemeld.",
}
_HTTP_PAGES = {
    404: "Deze pagina bestaat niet. Controleer het adres, of ga via het menu naar de pagina die u zoekt.",
    405: "Deze pagina kunt u zo niet gebruiken. Ga terug en probeer het via de knoppen op de pagina.",
}
_BUSY = "Het is op dit moment te druk. Er is niets opgeslagen; probeer het over enkele seconden opnieuw."
_UNEXPECTED = "Er ging iets mis aan onze kant. De fout is vastgelegd."


async def answer_error(request: Request, exc: Exception) -> Response:
    """The one handler: any exception the service answers, as a Dutch page or as a problem document."""
    status = status_for(exc)
    headers: dict[str, str] = {}
    heading: str | None = None
    article: str | None = None
    if isinstance(exc, RequestValidationError):
        problems = [
            {"pad": error_path(e.get("loc", ())), "melding": dutch_validation_message(e)}
            for e in exc.errors()
        ]
        summary = "; ".join(f"{p['pad']}: {p['melding']}" for p in problems[:5])
        code, message = "ongeldige_invoer", f"De invoer is ongeldig — {summary}"
        page_message = f"Controleer de invoer: {summary}."
    elif isinstance(exc, StarletteHTTPException):
        code, problems = "http_fout", []
        message = _HTTP_MESSAGES.get(status, str(exc.detail))
        page_message = _HTTP_PAGES.get(status, message)
    elif isinstance(exc, OperationalError):
        # SQLite under many concurrent writers ("database is locked" after the busy timeout), or a
        # database that is briefly unreachable: nothing was stored (the transaction rolled back); the
        # client may simply try again. Found by the load test (50 clients, SQLite).
        log.warning("database bezet of onbereikbaar: %s", str(exc).splitlines()[0])
        code, message, page_message, problems = "database_bezet", _BUSY, _BUSY, []
        headers["Retry-After"] = "5"
    elif is_domain_error(exc):
        domain: DomainError = exc  # type: ignore[assignment]  # checked by is_domain_error
        code, message, article = domain.code, domain.message, domain.article
        page_message, problems = message, domain.as_problems()
        heading = getattr(exc, "heading", None)  # the signing-link pages name what happened to the link
        if isinstance(exc, PermissionDenied | CsrfRejected):
            await run_in_threadpool(record_refusal, request, status, code, message)
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
    else:  # pragma: no cover - last resort: a bug
        log.exception("onverwachte fout", exc_info=exc)
        status, code, message, page_message, problems = 500, "interne_fout", _UNEXPECTED, _UNEXPECTED, []
    if wants_page(request):
        response = page_error(request, status, page_message, heading=heading)
        if "Retry-After" in headers:
            response.headers["Retry-After"] = headers["Retry-After"]
        return response
    response = problem(status, code, message, problems, article=article)
    response.headers.update(headers)
    return response


# The exception classes the one handler is registered for: every domain base class, the framework's and
# the database's, and ``Exception`` as the last resort (Starlette answers that one from its outermost
# middleware and then re-raises it, so the server still logs the bug).
HANDLED: tuple[type[Exception], ...] = (
    Failure,
    TemplatesError,
    SigningError,
    RegistryError,
    RequestValidationError,
    StarletteHTTPException,
    OperationalError,
    Exception,
)


def install_error_handlers(app: FastAPI) -> None:
    for cls in HANDLED:
        app.add_exception_handler(cls, answer_error)
