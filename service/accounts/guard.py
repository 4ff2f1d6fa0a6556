"""Access control for every route: who is asking (session cookie for pages, API token for the API),
is the form's CSRF token right, and does their role hold the route's permission. Deny by default.

``guard`` is installed as an app-wide dependency (``FastAPI(dependencies=[Depends(guard)])``), so it runs
before every route, including those of other packages. ``require("permission")`` declares a route's
permission where it is defined and gives the handler the ``Principal``; routes without it are looked up
in ``permissions.ROUTES``; a route in neither is refused for everybody.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlmodel import Session

from registry.session import made_by_organisation
from service.accounts import csrf, service
from service.accounts.database import DbTx, db_session
from service.accounts.errors import CsrfRejected, NotAuthenticated, PermissionDenied
from service.accounts.permissions import PUBLIC, ROUTES, allowed, permission
from service.accounts.service import Principal
from service.accounts.wiring import secret_key_of
from service.deps import settings_of

SESSION_COOKIE = "__Host-convenant_sessie"  # Secure, Path=/, no Domain: cannot be planted
PAGE_TAG = "pagina"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
_ATTR = "convenant_permission"
RequestSession = Annotated[Session, Depends(db_session)]
DbSession = DbTx  # for handlers: committed before the response is sent


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "onbekend"


def is_page_route(route: Any) -> bool:
    return PAGE_TAG in (getattr(route, "tags", None) or [])


def declared_permission(route: Any) -> str | None:
    """The permission a route declares with ``require``/``public`` in its own dependencies, if any."""
    dependant = getattr(route, "dependant", None)
    stack = list(dependant.dependencies) if dependant is not None else []
    while stack:
        d = stack.pop()
        key = getattr(d.call, _ATTR, None)
        if key is not None and d.call is not guard:
            return str(key)
        stack.extend(d.dependencies)
    return None


def route_permission(route: Any, method: str) -> str | None:
    """The permission that governs ``method`` on ``route`` (``PUBLIC``), or ``None``: not in the table."""
    return declared_permission(route) or ROUTES.get((method, getattr(route, "path", "")))


_secret = secret_key_of


def _identify(request: Request, db: Session, page: bool) -> Principal | None:
    if page:
        cookie = request.cookies.get(SESSION_COOKIE)
        return service.principal_from_session(db, cookie) if cookie else None
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    principal = service.principal_from_token(db, token.strip(), client_ip(request))
    if principal is None:
        raise NotAuthenticated("De API-sleutel is onbekend, ingetrokken of verlopen.")
    return principal


def _check_origin(request: Request) -> None:
    settings = getattr(request.app.state, "settings", None)
    own = getattr(settings, "base_url", None)
    headers = request.headers
    if csrf.cross_site(headers.get("origin"), headers.get("sec-fetch-site"), headers.get("host"), own):
        raise CsrfRejected(
            "Dit formulier is vanaf een andere website verstuurd en wordt daarom geweigerd. "
            "Open de pagina op deze site opnieuw en probeer het nog eens."
        )


async def _check_csrf(request: Request, principal: Principal | None) -> None:
    limits = settings_of(request)
    # The body was bounded and checked by service.limits already; parse with the same strict limits.
    form = await request.form(
        max_files=limits.max_form_files,
        max_fields=limits.max_form_fields,
        max_part_size=limits.max_form_part_bytes,
    )
    submitted = form.get(csrf.FIELD)
    session_id = principal.session_id if principal else None
    cookie = request.cookies.get(csrf.COOKIE)
    if not csrf.is_valid(_secret(request), cookie, session_id, str(submitted or "")):
        raise CsrfRejected(
            "Het formulier is verlopen of niet vanaf deze site verstuurd "
            "(controlecode ontbreekt of klopt niet). Open de pagina opnieuw en probeer het nog eens."
        )


async def authorize(request: Request, db: Session, key: str | None) -> Principal | None:
    """The whole check for one request; idempotent per request (the result is kept on ``request.state``)."""
    if getattr(request.state, "convenant_authorized", False):
        return request.state.principal  # type: ignore[no-any-return]
    route = request.scope.get("route")
    page = is_page_route(route)
    principal = _identify(request, db, page)
    request.state.principal = principal
    if principal is not None and hasattr(db, "actor"):  # the audit log names who made each change
        db.actor = f"{principal.email} ({principal.role.value})"
        made_by_organisation(db, service.organisation_id(db, principal.user_id))  # and their organisation
    if key is None:
        raise PermissionDenied("Deze functie staat niet in de autorisatietabel; toegang is daarom geweigerd.")
    if page and request.method not in SAFE_METHODS:
        _check_origin(request)
        await _check_csrf(request, principal)
    if key != PUBLIC:
        if principal is None:
            raise NotAuthenticated(
                "U bent niet aangemeld." if page else "Geef een API-sleutel mee (Authorization: Bearer …)."
            )
        if not allowed(principal.role, key):
            raise PermissionDenied(
                f"Uw rol ({principal.role.label}) geeft geen toegang tot deze functie "
                f"({permission(key).description.lower()})."
            )
    request.state.convenant_authorized = True
    return principal


async def guard(request: Request, db: RequestSession) -> Principal | None:
    route = request.scope.get("route")
    return await authorize(request, db, route_permission(route, request.method))


def require(key: str) -> Callable[..., Any]:
    """Dependency declaring that a route needs permission ``key``; returns the signed-in ``Principal``."""
    permission(key)  # unknown keys fail at import time

    async def dependency(request: Request, db: RequestSession) -> Principal:
        principal = await authorize(request, db, key)
        assert principal is not None
        return principal

    setattr(dependency, _ATTR, key)
    dependency.__name__ = f"require_{key.replace('.', '_')}"
    return dependency


async def _public(request: Request, db: RequestSession) -> Principal | None:
    return await authorize(request, db, PUBLIC)


setattr(_public, _ATTR, PUBLIC)


def public() -> Callable[..., Any]:
    """Dependency declaring that anybody may reach a route (it checks its own token, e.g. a signing link)."""
    return _public
