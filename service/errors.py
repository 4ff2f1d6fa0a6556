"""Domain exceptions to HTTP problem responses, in one place.

Every package raises its own exceptions carrying a Dutch ``message`` and a machine ``code``; this
module is the only place that knows their HTTP status. Request validation errors are translated to
Dutch with the path of each offending field.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from registry.errors import InvalidRegistryInput, NotInRegistry, Refused, RegistryConflict, RegistryError
from service.accounts.errors import (
    AccountExists,
    AccountNotFound,
    AccountsError,
    CsrfRejected,
    InvalidAccountInput,
    LoginFailed,
    NotAuthenticated,
    PermissionDenied,
    RateLimited,
)
from service.invitations.errors import (
    InvalidInvitation,
    InvitationError,
    LinkUnknown,
    LinkUnusable,
    RoundConflict,
)
from service.mail.errors import MailError
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


class ServiceError(Exception):
    """Errors raised by the service layer itself (not found, forbidden, conflict)."""

    code = "fout"
    status = 400

    def __init__(self, message: str, *, problems: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class NotFound(ServiceError):
    code = "niet_gevonden"
    status = 404


class Forbidden(ServiceError):
    code = "geen_toegang"
    status = 403


class Unauthenticated(ServiceError):
    code = "niet_aangemeld"
    status = 401


class Conflict(ServiceError):
    code = "conflict"
    status = 409


class SignedVersionFrozen(Conflict):
    """A fully signed dossier version may not be replaced; a new version must be asked for explicitly."""

    code = "ondertekende_versie"


class PayloadTooLarge(ServiceError):
    code = "te_groot"
    status = 413


class UnsupportedMediaType(ServiceError):
    code = "mediatype_niet_ondersteund"
    status = 415


class InvalidInput(ServiceError):
    code = "ongeldige_invoer"
    status = 422


# Status per domain exception class; the most specific class listed first wins.
STATUS_BY_EXCEPTION: list[tuple[type[Exception], int]] = [
    (NotInRegistry, 404),
    (Refused, 422),  # a rule refused (provision, renewal): nothing stored; the body names the article
    (InvalidRegistryInput, 422),
    (RegistryConflict, 409),
    (RegistryError, 400),
    (UnknownDocument, 404),
    (DossierInvalid, 422),
    (TemplatesError, 422),
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
    (NotAuthenticated, 401),
    (LoginFailed, 401),
    (PermissionDenied, 403),
    (CsrfRejected, 403),
    (AccountNotFound, 404),
    (AccountExists, 409),
    (InvalidAccountInput, 422),
    (RateLimited, 429),
    (AccountsError, 400),
    (LinkUnknown, 404),
    (LinkUnusable, 410),
    (RoundConflict, 409),
    (InvalidInvitation, 422),
    (InvitationError, 400),
    (MailError, 502),
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
    status: int, code: str, message: str, problems: list[dict[str, str]] | None = None
) -> JSONResponse:
    return JSONResponse(
        status_code=status,
        content={"code": code, "melding": message, "fouten": problems or []},
        media_type="application/problem+json",
    )


def status_for(exc: Exception) -> int:
    for cls, status in STATUS_BY_EXCEPTION:
        if isinstance(exc, cls):
            return status
    return 400


def _as_page(request: Request, status: int, message: str, heading: str | None = None) -> Response | None:
    """The same error as a Dutch HTML page when a browser asked for a page (None: answer with JSON)."""
    from service.pages import page_error, wants_page

    if not wants_page(request):
        return None
    return page_error(request, status, message, heading=heading)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> Response:
        return _as_page(request, exc.status, exc.message) or problem(
            exc.status, exc.code, exc.message, exc.problems
        )

    @app.exception_handler(TemplatesError)
    async def _templates_error(request: Request, exc: TemplatesError) -> Response:
        status = status_for(exc)
        return _as_page(request, status, exc.message) or problem(
            status, exc.code, exc.message, [p.as_dict() for p in exc.problems]
        )

    @app.exception_handler(AccountsError)
    async def _accounts_error(request: Request, exc: AccountsError) -> Response:
        status = status_for(exc)
        if isinstance(exc, PermissionDenied | CsrfRejected):
            from starlette.concurrency import run_in_threadpool

            from service.accounts.audit import record_refusal

            await run_in_threadpool(record_refusal, request, status, exc.code, exc.message)
        page = _as_page(request, status, exc.message)
        if page is not None:
            return page
        response = problem(status, exc.code, exc.message, [exc.as_problem()])
        if status == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(RegistryError)
    async def _registry_error(request: Request, exc: RegistryError) -> Response:
        page = _as_page(request, status_for(exc), exc.message)
        if page is not None:
            return page
        content: dict[str, Any] = {"code": exc.code, "melding": exc.message, "fouten": exc.problems}
        if exc.article:
            content["artikel"] = exc.article
        return JSONResponse(
            status_code=status_for(exc), content=content, media_type="application/problem+json"
        )

    @app.exception_handler(SigningError)
    async def _signing_error(request: Request, exc: SigningError) -> Response:
        status = status_for(exc)
        return _as_page(request, status, exc.message) or problem(status, exc.code, exc.message)

    @app.exception_handler(InvitationError)
    @app.exception_handler(MailError)
    async def _invitation_error(request: Request, exc: InvitationError | MailError) -> Response:
        status = status_for(exc)
        page = _as_page(request, status, exc.message, getattr(exc, "heading", None))
        return page or problem(status, exc.code, exc.message, [exc.as_problem()])

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"pad": error_path(e.get("loc", ())), "melding": dutch_validation_message(e)}
            for e in exc.errors()
        ]
        summary = "; ".join(f"{p['pad']}: {p['melding']}" for p in problems[:5])
        page = _as_page(request, 422, f"Controleer de invoer: {summary}.")
        return page or problem(422, "ongeldige_invoer", f"De invoer is ongeldig — {summary}", problems)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {
            404: "Niet gevonden.",
            405: "Deze methode is hier niet toegestaan.",
            401: "Niet aangemeld.",
        }
        pages = {
            404: "Deze pagina bestaat niet. Controleer het adres, of ga via het menu naar de pagina die u "
            "zoekt.",
            405: "Deze pagina kunt u zo niet gebruiken. Ga terug en probeer het via de knoppen op de pagina.",
        }
        message = messages.get(exc.status_code, str(exc.detail))
        page = _as_page(request, exc.status_code, pages.get(exc.status_code, message))
        return page or problem(exc.status_code, "http_fout", message)

    from sqlalchemy.exc import OperationalError

    @app.exception_handler(OperationalError)
    async def _database_busy(request: Request, exc: OperationalError) -> Response:
        # SQLite under many concurrent writers ("database is locked" after the busy timeout), or a
        # database that is briefly unreachable: nothing was stored (the transaction rolled back); the
        # client may simply try again. Found by the load test (50 clients, SQLite).
        import logging

        logging.getLogger("convenant").warning("database bezet of onbereikbaar: %s", str(exc).splitlines()[0])
        busy = (
            "Het is op dit moment te druk. Er is niets opgeslagen; probeer het over enkele seconden opnieuw."
        )
        response = _as_page(request, 503, busy) or problem(503, "database_bezet", busy)
        response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:  # pragma: no cover - last resort
        import logging

        logging.getLogger("convenant").exception("onverwachte fout", exc_info=exc)
        message = "Er ging iets mis aan onze kant. De fout is vastgelegd."
        return _as_page(request, 500, message) or problem(500, "interne_fout", message)
