"""Sign-in (password, then the TOTP code or its set-up where the role requires it), sign-out, start page,
the own password."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service.accounts import pending, totp
from service.accounts import service as accounts
from service.accounts.errors import AccountsError, InvalidAccountInput, LoginFailed, RateLimited
from service.accounts.guard import SESSION_COOKIE, DbSession, client_ip, public, require
from service.accounts.models import StaffUser
from service.accounts.service import Principal
from service.accounts.wiring import secret_key_of, totp_box_of
from service.pages.rendering import render, rotate_csrf_cookie

router = APIRouter(tags=["pagina"], include_in_schema=False)

NOTICES = {"wachtwoord": "Uw wachtwoord is gewijzigd. Meld u aan met het nieuwe wachtwoord."}


def safe_next(path: str | None) -> str:
    """Only local paths: never redirect to another site after signing in."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


@router.get("/aanmelden", response_class=HTMLResponse, dependencies=[Depends(public())])
def login_form(request: Request, volgende: str = "/", melding: str | None = None) -> Response:
    ctx = {"error": None, "email": "", "next_path": safe_next(volgende), "notice": NOTICES.get(melding or "")}
    return render(request, "login.html", ctx, title="Aanmelden")


def _finish(request: Request, db: DbSession, user: StaffUser, next_path: str) -> Response:
    """The sign-in is complete: a session, a fresh CSRF cookie, the half-way cookie gone."""
    ip = client_ip(request)
    accounts.record_sign_in(db, user, ip)
    token = accounts.start_session(db, user, ip=ip, user_agent=request.headers.get("user-agent"))
    response = RedirectResponse(safe_next(next_path), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, secure=True, samesite="lax", path="/", max_age=12 * 3600
    )
    response.delete_cookie(pending.COOKIE, path="/", secure=True, httponly=True, samesite="strict")
    rotate_csrf_cookie(request, response)  # the pre-login CSRF pair (maybe planted) ends here
    return response


@router.post("/aanmelden", response_class=HTMLResponse, dependencies=[Depends(public())])
def login(
    request: Request,
    db: DbSession,
    email: Annotated[str, Form(max_length=254)] = "",
    wachtwoord: Annotated[str, Form(max_length=1024)] = "",
    volgende: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    try:
        user = accounts.authenticate(db, email, wachtwoord, client_ip(request))
    except (LoginFailed, RateLimited) as exc:
        status = 429 if isinstance(exc, RateLimited) else 401
        ctx = {"error": exc.message, "email": email, "next_path": safe_next(volgende), "notice": None}
        return render(request, "login.html", ctx, status_code=status, title="Aanmelden")
    step = accounts.second_factor(user)
    if step is None:
        return _finish(request, db, user, volgende)
    response = RedirectResponse(f"/aanmelden/{step}?volgende={quote(safe_next(volgende))}", status_code=303)
    value = pending.issue(secret_key_of(request), user.id or 0, step, user.password_hash)
    response.set_cookie(
        pending.COOKIE,
        value,
        httponly=True,
        secure=True,
        samesite="strict",
        path="/",
        max_age=pending.TTL_SECONDS,
    )
    return response


def _pending_user(request: Request, db: DbSession, step: str) -> StaffUser | None:
    value = request.cookies.get(pending.COOKIE)
    state = pending.read(value)
    if state is None or state.step != step or value is None:
        return None
    user = accounts.user_by_id(db, state.user_id)
    if (
        user is None
        or not user.active
        or not pending.check(secret_key_of(request), value, user.password_hash)
    ):
        return None
    return user


def _start_over(volgende: str) -> Response:
    return RedirectResponse(f"/aanmelden?volgende={quote(safe_next(volgende))}", status_code=303)


@router.get("/aanmelden/code", response_class=HTMLResponse, dependencies=[Depends(public())])
def code_form(request: Request, db: DbSession, volgende: str = "/") -> Response:
    if _pending_user(request, db, pending.CODE) is None:
        return _start_over(volgende)
    ctx = {"error": None, "next_path": safe_next(volgende)}
    return render(request, "login_code.html", ctx, title="Code invullen")


@router.post("/aanmelden/code", response_class=HTMLResponse, dependencies=[Depends(public())])
def code_submit(
    request: Request,
    db: DbSession,
    code: Annotated[str, Form(max_length=12)] = "",
    volgende: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    user = _pending_user(request, db, pending.CODE)
    if user is None:
        return _start_over(volgende)
    try:
        accounts.check_totp(db, user, code, client_ip(request), totp_box_of(request))
    except (LoginFailed, RateLimited) as exc:
        status = 429 if isinstance(exc, RateLimited) else 401
        ctx = {"error": exc.message, "next_path": safe_next(volgende)}
        return render(request, "login_code.html", ctx, status_code=status, title="Code invullen")
    return _finish(request, db, user, volgende)


def _setup_page(
    request: Request, user: StaffUser, volgende: str, *, error: str | None = None, status: int = 200
) -> Response:
    secret = totp_box_of(request).open(user.totp_secret, user.id or 0) if user.totp_secret else ""
    ctx = {
        "error": error,
        "next_path": safe_next(volgende),
        "qr_data_uri": totp.qr_data_uri(totp.provisioning_uri(secret, user.email)),
        "secret_grouped": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    }
    return render(request, "totp_setup.html", ctx, status_code=status, title="Tweede factor instellen")


@router.get("/aanmelden/instellen", response_class=HTMLResponse, dependencies=[Depends(public())])
def setup_form(request: Request, db: DbSession, volgende: str = "/") -> Response:
    user = _pending_user(request, db, pending.ENROL)
    if user is None or user.totp_enabled_at is not None:
        return _start_over(volgende)
    # a new secret at every visit: it is shown only once
    accounts.start_totp_enrolment(db, user, totp_box_of(request))
    return _setup_page(request, user, volgende)


@router.post("/aanmelden/instellen", response_class=HTMLResponse, dependencies=[Depends(public())])
def setup_submit(
    request: Request,
    db: DbSession,
    code: Annotated[str, Form(max_length=12)] = "",
    volgende: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    user = _pending_user(request, db, pending.ENROL)
    if user is None or user.totp_enabled_at is not None or not user.totp_secret:
        return _start_over(volgende)
    try:
        accounts.check_totp(db, user, code, client_ip(request), totp_box_of(request))
    except (LoginFailed, RateLimited) as exc:
        status = 429 if isinstance(exc, RateLimited) else 422
        return _setup_page(request, user, volgende, error=exc.message, status=status)
    return _finish(request, db, user, volgende)


@router.post("/afmelden")
def logout(
    request: Request, db: DbSession, _: Annotated[Principal, Depends(require("account.eigen"))]
) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        accounts.end_session(db, cookie)
    response = RedirectResponse("/aanmelden", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="lax")
    rotate_csrf_cookie(request, response)
    return response


@router.get("/", response_class=HTMLResponse)
def start(request: Request, principal: Annotated[Principal, Depends(require("account.eigen"))]) -> Response:
    return render(request, "start.html", title="Start")


@router.get("/portaal/wachtwoord", response_class=HTMLResponse)
def password_form(request: Request, _: Annotated[Principal, Depends(require("account.eigen"))]) -> Response:
    return render(request, "password.html", {"error": None, "error_field": None}, title="Wachtwoord wijzigen")


@router.post("/portaal/wachtwoord", response_class=HTMLResponse)
def password_change(
    request: Request,
    db: DbSession,
    principal: Annotated[Principal, Depends(require("account.eigen"))],
    huidig: Annotated[str, Form(max_length=1024)] = "",
    wachtwoord: Annotated[str, Form(max_length=1024)] = "",
    herhaling: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    try:
        if wachtwoord != herhaling:
            raise InvalidAccountInput("herhaling: de twee nieuwe wachtwoorden verschillen", field="herhaling")
        accounts.change_password(db, principal.user_id, huidig, wachtwoord, client_ip(request))
    except (AccountsError, RateLimited) as exc:
        status = 429 if isinstance(exc, RateLimited) else 422
        ctx = {"error": exc.message, "error_field": getattr(exc, "field", None)}
        return render(request, "password.html", ctx, status_code=status, title="Wachtwoord wijzigen")
    response = RedirectResponse("/aanmelden?melding=wachtwoord", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True, samesite="lax")
    rotate_csrf_cookie(request, response)
    return response
