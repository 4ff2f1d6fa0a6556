"""The privacy officer's confirmation of signatures made with an own certificate on another name.

One page per dossier lists the held uploads (the expected name next to the certificate's subject) with an
approve form (reason required) and a reject form; the decisions are in ``service.invitations.confirmations``.
"""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service.accounts import tenancy
from service.accounts.guard import DbSession, require
from service.accounts.service import Principal
from service.deps import Mailer
from service.dossiers import service as dossiers
from service.invitations import confirmations, delivery
from service.invitations.errors import InvitationError
from service.pages.common import settings_of, who
from service.pages.rendering import render

log = logging.getLogger("convenant.pages")
router = APIRouter(prefix="/portaal/dossiers", tags=["pagina"], include_in_schema=False)

Confirmer = Annotated[Principal, Depends(require("ondertekening.bevestigen"))]
Reason = Annotated[str, Form(max_length=1000)]

_FLASHES = {
    "goedgekeurd": ("goed", "De handtekening is bevestigd en telt nu als die van de ondertekenaar."),
    "afgewezen": ("goed", "De handtekening is afgewezen; de ondertekenaar heeft bericht gekregen."),
    "mailfout": ("fout", "Het besluit is vastgelegd, maar de e-mail aan de ondertekenaar kon niet weg."),
}


def _page(
    request: Request,
    db: DbSession,
    principal: Principal,
    dossier_id: str,
    *,
    flash: str | None = None,
    error: str | None = None,
) -> Response:
    tenancy.ensure_dossier(db, principal, dossier_id)
    dossier = dossiers.get_dossier(settings_of(request), dossier_id)
    kind, text = _FLASHES.get(flash or "", (None, None))
    ctx = {
        "dossier": dossier,
        "held": confirmations.for_dossier(db, dossier.id),
        "flash": {"kind": kind, "text": text} if text else None,
        "error": error,
        "reason_min": confirmations.REASON_MIN,
    }
    title = f"Handtekeningen ter bevestiging: {dossier.title}"
    return render(request, "confirmations.html", ctx, title=title, status_code=422 if error else 200)


@router.get("/{dossier_id}/bevestigingen", response_class=HTMLResponse)
def confirmation_list(
    request: Request, db: DbSession, principal: Confirmer, dossier_id: str, melding: str | None = None
) -> Response:
    return _page(request, db, principal, dossier_id, flash=melding)


@router.post("/{dossier_id}/bevestigingen/{pending_id}/goedkeuren")
def approve(
    request: Request,
    db: DbSession,
    mailer: Mailer,
    principal: Confirmer,
    dossier_id: str,
    pending_id: int,
    reden: Reason = "",
) -> Response:
    tenancy.ensure_dossier(db, principal, dossier_id)
    settings = settings_of(request)
    dossier = dossiers.get_dossier(settings, dossier_id)
    try:
        result = confirmations.approve(db, settings, dossier, pending_id, actor=who(principal), reason=reden)
    except InvitationError as exc:
        db.rollback()
        return _page(request, db, principal, dossier_id, error=exc.message)
    db.commit()  # the signature counts from here; e-mail afterwards
    outbox = delivery.signed_mails(settings, db, result.link, result)
    problems = delivery.send_after_commit(db, mailer, outbox)
    flash = "mailfout" if problems else "goedgekeurd"
    return RedirectResponse(f"/portaal/dossiers/{dossier_id}/bevestigingen?melding={flash}", status_code=303)


@router.post("/{dossier_id}/bevestigingen/{pending_id}/afwijzen")
def reject(
    request: Request,
    db: DbSession,
    mailer: Mailer,
    principal: Confirmer,
    dossier_id: str,
    pending_id: int,
    reden: Reason = "",
) -> Response:
    tenancy.ensure_dossier(db, principal, dossier_id)
    try:
        outbox = confirmations.reject_and_tell(db, dossier_id, pending_id, actor=who(principal), reason=reden)
    except InvitationError as exc:
        db.rollback()
        return _page(request, db, principal, dossier_id, error=exc.message)
    db.commit()
    problems = delivery.send_after_commit(db, mailer, outbox)
    flash = "mailfout" if problems else "afgewezen"
    return RedirectResponse(f"/portaal/dossiers/{dossier_id}/bevestigingen?melding={flash}", status_code=303)
