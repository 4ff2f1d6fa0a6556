"""Sign-in, sign-out and the start page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service.accounts import service as accounts
from service.accounts.errors import LoginFailed, RateLimited
from service.accounts.guard import SESSION_COOKIE, DbSession, client_ip, public, require
from service.accounts.service import Principal
from service.pages.rendering import render, rotate_csrf_cookie

router = APIRouter(tags=["pagina"], include_in_schema=False)


def safe_next(path: str | None) -> str:
    """Only local paths: never redirect to another site after signing in."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


@router.get("/aanmelden", response_class=HTMLResponse, dependencies=[Depends(public())])
def login_form(request: Request, volgende: str = "/") -> Response:
    return render(
        request,
        "login.html",
        {"error": None, "email": "", "next_path": safe_next(volgende)},
        title="Aanmelden",
    )


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
        ctx = {"error": exc.message, "email": email, "next_path": safe_next(volgende)}
        return render(request, "login.html", ctx, status_code=status, title="Aanmelden")
    token = accounts.start_session(
        db, user, ip=client_ip(request), user_agent=request.headers.get("user-agent")
    )
    response = RedirectResponse(safe_next(volgende), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, secure=True, samesite="lax", path="/", max_age=12 * 3600
    )
    rotate_csrf_cookie(request, response)  # the pre-login CSRF pair (maybe planted) ends here
    return response


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
