"""Own API keys (every role) and account management (beheerder)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service.accounts import service as accounts
from service.accounts import tenancy, totp
from service.accounts.errors import AccountNotFound, AccountsError, InvalidAccountInput
from service.accounts.guard import DbSession, client_ip, require
from service.accounts.models import StaffUser
from service.accounts.roles import ROLE_LABELS, parse_role
from service.accounts.service import Principal
from service.pages.confirm import CONFIRMED, Confirmed, confirm_page
from service.pages.people import PersonChoice, person_choice
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


def _accounts_page(request: Request, db: DbSession, principal: Principal, **extra: object) -> Response:
    org = tenancy.organisation_of(db, principal.user_id)
    users = [u for u in accounts.list_users(db) if u.organisation_id == org]
    ctx = {
        "users": users,
        "grants": {u.id: sorted(tenancy.granted_keys(db, u.id or 0)) for u in users},
        "grantable": sorted(tenancy.organisation_keys(db, org)),
        "people": {u.id: _person_of(db, u) for u in users},
        "role_labels": {r.value: label for r, label in ROLE_LABELS.items()},
        "roles": list(ROLE_LABELS.items()),
        "own_id": principal.user_id,
        "error": None,
        "created": None,
        "linked": False,
        "form": {"email": "", "naam": "", "rol": ""},
        **extra,
    }
    status = 422 if extra.get("error") else 200
    return render(request, "accounts.html", ctx, title="Accounts", status_code=status)


def _person_of(db: DbSession, user: StaffUser) -> PersonChoice | None:
    """The registry person an account acts as: the one with the account's e-mail address (tenancy)."""
    person = tenancy.own_person_by_email(db, user.email)
    return person_choice(db, person.key) if person is not None else None


def _own_user(db: DbSession, principal: Principal, user_id: int) -> StaffUser:
    """An account of the beheerder's own organisation; any other is unknown to them (tenancy)."""
    user = accounts.user_by_id(db, user_id)
    if user is None or user.organisation_id != tenancy.organisation_of(db, principal.user_id):
        raise AccountNotFound("account: onbekend")
    return user


@router.get("/accounts", response_class=HTMLResponse)
def account_list(request: Request, db: DbSession, principal: Admin) -> Response:
    return _accounts_page(request, db, principal)


@router.post("/accounts", response_class=HTMLResponse)
def account_add(
    request: Request,
    db: DbSession,
    principal: Admin,
    email: Annotated[str, Form(max_length=254)] = "",
    naam: Annotated[str, Form(max_length=300)] = "",
    rol: Annotated[str, Form(max_length=40)] = "",
    wachtwoord: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    try:
        user = accounts.create_user(
            db,
            email=email,
            name=naam,
            role=rol,
            password=wachtwoord,
            organisation_id=tenancy.organisation_of(db, principal.user_id),  # the beheerder's own
        )
    except AccountsError as exc:
        return _accounts_page(
            request, db, principal, error=exc.message, form={"email": email, "naam": naam, "rol": rol}
        )
    return _accounts_page(request, db, principal, created=user.email)


@router.post("/accounts/{user_id}/blokkeren")
def account_block(
    request: Request, db: DbSession, principal: Admin, user_id: int, bevestigd: Confirmed = ""
) -> Response:
    if user_id == principal.user_id:
        raise InvalidAccountInput("account: u kunt uw eigen account niet blokkeren", field="account")
    user = _own_user(db, principal, user_id)
    if bevestigd != CONFIRMED:
        return confirm_page(
            request,
            question=f"Account van {user.name} blokkeren?",
            consequence=(
                f"{user.name} ({user.email}) kan daarna niet meer aanmelden, en de API-sleutels van dit "
                "account werken niet meer. U kunt het account later weer deblokkeren."
            ),
            button="Ja, blokkeren",
            back="/portaal/accounts",
        )
    accounts.set_active(db, user_id, False)
    return RedirectResponse("/portaal/accounts", status_code=303)


@router.post("/accounts/{user_id}/deblokkeren")
def account_unblock(db: DbSession, principal: Admin, user_id: int) -> Response:
    _own_user(db, principal, user_id)
    accounts.set_active(db, user_id, True)
    return RedirectResponse("/portaal/accounts", status_code=303)


@router.post("/accounts/{user_id}/toegang", response_class=HTMLResponse)
def account_grant(
    request: Request,
    db: DbSession,
    principal: Admin,
    user_id: int,
    overeenkomst: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    """Give an account of the organisation access to an agreement the organisation already holds."""
    user = _own_user(db, principal, user_id)
    if overeenkomst not in tenancy.organisation_keys(db, user.organisation_id):
        return _accounts_page(
            request,
            db,
            principal,
            error="overeenkomst: kies een overeenkomst van uw eigen organisatie.",
        )
    tenancy.grant(db, user_id, overeenkomst, by=principal.email)
    return RedirectResponse("/portaal/accounts", status_code=303)


@router.post("/accounts/{user_id}/toegang/intrekken")
def account_revoke_grant(
    db: DbSession, principal: Admin, user_id: int, overeenkomst: Annotated[str, Form(max_length=80)] = ""
) -> Response:
    _own_user(db, principal, user_id)
    tenancy.revoke_grant(db, user_id, overeenkomst)
    return RedirectResponse("/portaal/accounts", status_code=303)


@router.post("/accounts/{user_id}/rol", response_class=HTMLResponse)
def account_role(
    request: Request,
    db: DbSession,
    principal: Admin,
    user_id: int,
    rol: Annotated[str, Form(max_length=40)] = "",
    bevestigd: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """Give an account of the organisation another role, after a confirmation step; an audit event of its
    own ('rol gewijzigd'); the account's sessions end."""
    user = _own_user(db, principal, user_id)
    try:
        if user_id == principal.user_id:
            raise InvalidAccountInput("rol: u kunt uw eigen rol niet wijzigen", field="rol")
        new = parse_role(rol)
    except AccountsError as exc:
        return _accounts_page(request, db, principal, error=exc.message)
    if new.value == user.role:
        return RedirectResponse("/portaal/accounts", status_code=303)
    if bevestigd != CONFIRMED:
        return _confirm(
            request,
            question=f"De rol van {user.name} wijzigen in {new.label}?",
            consequence=(
                f"{user.name} ({user.email}) wordt overal afgemeld en heeft bij de volgende aanmelding de "
                f"rol {new.label}, met de rechten die daarbij horen"
                + (" en een verplichte tweede factor." if totp.required(new) else ".")
            ),
            button="Ja, rol wijzigen",
            back="/portaal/accounts",
            fields={"rol": new.value},
        )
    accounts.change_role(db, user_id, new, by=actor_label(principal), ip=client_ip(request))
    return RedirectResponse("/portaal/accounts", status_code=303)


@router.post("/accounts/{user_id}/tweede-factor/wissen", response_class=HTMLResponse)
def account_reset_totp(
    request: Request,
    db: DbSession,
    principal: Admin,
    user_id: int,
    bevestigd: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """Remove an account's second factor (a lost phone), after a confirmation step; an audit event of its
    own ('2e factor gewist'); the account's sessions end and it sets the factor up anew."""
    user = _own_user(db, principal, user_id)
    if bevestigd != CONFIRMED:
        return _confirm(
            request,
            question=f"De tweede factor van {user.name} wissen?",
            consequence=(
                f"{user.name} ({user.email}) wordt overal afgemeld. Bij de volgende aanmelding stelt "
                "deze een nieuwe authenticator-app in (voor privacyfunctionaris en beheerder verplicht). "
                "Doe dit alleen als u zeker weet dat u met de eigenaar van het account spreekt."
            ),
            button="Ja, tweede factor wissen",
            back="/portaal/accounts",
        )
    accounts.reset_totp(db, user_id, by=actor_label(principal), ip=client_ip(request))
    return RedirectResponse("/portaal/accounts", status_code=303)


def _confirm(
    request: Request,
    *,
    question: str,
    consequence: str,
    button: str,
    back: str,
    fields: dict[str, str] | None = None,
) -> Response:
    """The confirmation step of an action on an account, without JavaScript: this page posts the same
    fields again with ``bevestigd=ja``, or goes back; nothing happens before that second post."""
    ctx = {
        "question": question,
        "consequence": consequence,
        "button": button,
        "action": request.url.path,
        "back": back,
        "fields": fields or {},
    }
    return render(request, "account_confirm.html", ctx, title=question)


def actor_label(principal: Principal) -> str:
    return f"{principal.email} ({principal.role.value})"
