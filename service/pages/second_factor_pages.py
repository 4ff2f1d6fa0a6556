"""The second factor on one's own account: optional TOTP set-up for the roles that do not require it
(coordinator, wijkagent), and the state of it for everyone (issue 10, "Staff sign-in").

Privacy officer and beheerder set it up at their first sign-in (``auth_pages``); this page lets the other
roles do the same while signed in: a new secret at every visit (shown once, as text and QR code, stored
encrypted), confirmed by a code from the app. From then on their sign-in asks for the code too. A lost
phone is for the beheerder (reset on the accounts page).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service.accounts import service as accounts
from service.accounts import totp
from service.accounts.errors import AccountNotFound, LoginFailed, RateLimited
from service.accounts.guard import DbSession, client_ip, require
from service.accounts.models import StaffUser
from service.accounts.roles import Role
from service.accounts.service import Principal
from service.accounts.wiring import totp_box_of
from service.pages.rendering import render

router = APIRouter(prefix="/portaal", tags=["pagina"], include_in_schema=False)

Own = Annotated[Principal, Depends(require("account.eigen"))]
PATH = "/portaal/tweede-factor"


def _user(db: DbSession, principal: Principal) -> StaffUser:
    user = accounts.user_by_id(db, principal.user_id)
    if user is None:
        raise AccountNotFound("account: onbekend")
    return user


def _page(
    request: Request, user: StaffUser, secret: str | None, *, error: str | None = None, status: int = 200
) -> Response:
    ctx = {
        "enabled_at": user.totp_enabled_at,
        "required": totp.required(Role(user.role)),
        "error": error,
        "done": request.query_params.get("melding") == "ingesteld",
        "qr_data_uri": totp.qr_data_uri(totp.provisioning_uri(secret, user.email)) if secret else None,
        "secret_grouped": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) if secret else None,
    }
    return render(request, "second_factor.html", ctx, status_code=status, title="Tweede factor")


@router.get(PATH.removeprefix("/portaal"), response_class=HTMLResponse)
def second_factor(request: Request, db: DbSession, principal: Own) -> Response:
    user = _user(db, principal)
    if user.totp_enabled_at is not None:
        return _page(request, user, None)
    # not set up yet: a new secret at every visit, shown only now (stored encrypted, pending a code)
    secret = accounts.start_totp_enrolment(db, user, totp_box_of(request))
    return _page(request, user, secret)


@router.post(PATH.removeprefix("/portaal"), response_class=HTMLResponse)
def second_factor_confirm(
    request: Request, db: DbSession, principal: Own, code: Annotated[str, Form(max_length=12)] = ""
) -> Response:
    user = _user(db, principal)
    if user.totp_enabled_at is not None:
        return RedirectResponse(PATH, status_code=303)
    if not user.totp_secret:
        return RedirectResponse(PATH, status_code=303)  # no pending secret: start over
    box = totp_box_of(request)
    try:
        accounts.check_totp(db, user, code, client_ip(request), box)
    except (LoginFailed, RateLimited) as exc:
        status = 429 if isinstance(exc, RateLimited) else 422
        return _page(
            request, user, box.open(user.totp_secret, user.id or 0), error=exc.message, status=status
        )
    return RedirectResponse(f"{PATH}?melding=ingesteld", status_code=303)
