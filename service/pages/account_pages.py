"""Own API keys (every role) and account management (beheerder)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service.accounts import service as accounts
from service.accounts.errors import AccountsError
from service.accounts.guard import DbSession, require
from service.accounts.roles import ROLE_LABELS
from service.accounts.service import Principal
from service.pages.rendering import render

router = APIRouter(prefix="/portaal", tags=["pagina"], include_in_schema=False)

Own = Annotated[Principal, Depends(require("account.eigen"))]
Admin = Annotated[Principal, Depends(require("accounts.beheren"))]


def _keys_page(request: Request, db: DbSession, principal: Principal, **extra: object) -> Response:
    ctx = {
        "tokens": accounts.list_api_tokens(db, principal.user_id),
        "new_token": None,
        "error": None,
        **extra,
    }
    status = 422 if extra.get("error") else 200
    return render(request, "keys.html", ctx, title="API-sleutels", status_code=status)


@router.get("/sleutels", response_class=HTMLResponse)
def keys(request: Request, db: DbSession, principal: Own) -> Response:
    return _keys_page(request, db, principal)


@router.post("/sleutels", response_class=HTMLResponse)
def create_key(
    request: Request, db: DbSession, principal: Own, naam: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    try:
        row, token = accounts.create_api_token(db, principal.user_id, naam)
    except AccountsError as exc:
        return _keys_page(request, db, principal, error=exc.message)
    return _keys_page(request, db, principal, new_token=token, new_token_name=row.name)


@router.post("/sleutels/{token_id}/intrekken")
def revoke_key(db: DbSession, principal: Own, token_id: int) -> Response:
    accounts.revoke_api_token(db, principal.user_id, token_id)
    return RedirectResponse("/portaal/sleutels", status_code=303)


def _accounts_page(request: Request, db: DbSession, **extra: object) -> Response:
    ctx = {
        "users": accounts.list_users(db),
        "roles": list(ROLE_LABELS.items()),
        "error": None,
        "created": None,
        "form": {"email": "", "naam": "", "rol": ""},
        **extra,
    }
    status = 422 if extra.get("error") else 200
    return render(request, "accounts.html", ctx, title="Accounts", status_code=status)


@router.get("/accounts", response_class=HTMLResponse)
def account_list(request: Request, db: DbSession, _: Admin) -> Response:
    return _accounts_page(request, db)


@router.post("/accounts", response_class=HTMLResponse)
def account_add(
    request: Request,
    db: DbSession,
    _: Admin,
    email: Annotated[str, Form(max_length=254)] = "",
    naam: Annotated[str, Form(max_length=300)] = "",
    rol: Annotated[str, Form(max_length=40)] = "",
    wachtwoord: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    try:
        user = accounts.create_user(db, email=email, name=naam, role=rol, password=wachtwoord)
    except AccountsError as exc:
        return _accounts_page(request, db, error=exc.message, form={"email": email, "naam": naam, "rol": rol})
    return _accounts_page(request, db, created=user.email)


@router.post("/accounts/{user_id}/blokkeren")
def account_block(db: DbSession, principal: Admin, user_id: int) -> Response:
    if user_id == principal.user_id:
        from service.accounts.errors import InvalidAccountInput

        raise InvalidAccountInput("account: u kunt uw eigen account niet blokkeren", field="account")
    accounts.set_active(db, user_id, False)
    return RedirectResponse("/portaal/accounts", status_code=303)


@router.post("/accounts/{user_id}/deblokkeren")
def account_unblock(db: DbSession, _: Admin, user_id: int) -> Response:
    accounts.set_active(db, user_id, True)
    return RedirectResponse("/portaal/accounts", status_code=303)
