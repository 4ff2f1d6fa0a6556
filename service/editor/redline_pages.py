"""Redline between two versions of a dossier (HTML page and PDF): insertions and deletions per article, and
the list of changed parties, signatories, dates, amounts and legal model."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from service.accounts import tenancy
from service.accounts.guard import DbSession, require
from service.accounts.service import Principal
from service.dossiers import service as dossiers
from service.dossiers import versions
from service.failures import NotFound
from service.pages.common import settings_of
from service.pages.rendering import render
from templates.redline import Redline, compare, redline_html, redline_pdf

router = APIRouter(prefix="/portaal/dossiers", tags=["pagina"], include_in_schema=False)
Reader = Annotated[Principal, Depends(require("dossiers.lezen"))]


def _redline(
    request: Request, db: DbSession, principal: Principal, dossier_id: str, van: int | None, naar: int | None
) -> Redline:
    tenancy.ensure_dossier(db, principal, dossier_id)
    settings = settings_of(request)
    dossier = dossiers.get_dossier(settings, dossier_id)
    history = versions.history(db, dossier.id)
    if len(history) < 2 and (van is None or naar is None):
        raise NotFound(f"Dossier '{dossier.id}' heeft nog maar één versie; er is niets te vergelijken.")
    new_n = naar if naar is not None else history[-1].number
    old_n = van if van is not None else new_n - 1
    old_v, new_v = versions.get(db, dossier.id, old_n), versions.get(db, dossier.id, new_n)
    if old_v is None or new_v is None:
        raise NotFound(f"Dossier '{dossier.id}' heeft geen versie {old_n if old_v is None else new_n}.")
    return compare(
        dossiers.version_dossier(settings, old_v),
        dossiers.version_dossier(settings, new_v),
        f"versie {old_n}",
        f"versie {new_n}",
    )


@router.get("/{dossier_id}/vergelijken", response_class=HTMLResponse)
def redline_page(
    request: Request,
    db: DbSession,
    principal: Reader,
    dossier_id: str,
    van: int | None = None,
    naar: int | None = None,
) -> Response:
    r = _redline(request, db, principal, dossier_id, van, naar)
    body = Markup(redline_html(r, standalone=False))  # noqa: S704 - autoescaped sandbox of the templates package
    ctx = {"dossier_id": dossier_id, "body": body, "r": r}
    return render(request, "redline.html", ctx, title=f"Wijzigingen: {r.title}")


@router.get("/{dossier_id}/vergelijken.pdf")
def redline_document(
    request: Request,
    db: DbSession,
    principal: Reader,
    dossier_id: str,
    van: int | None = None,
    naar: int | None = None,
) -> Response:
    r = _redline(request, db, principal, dossier_id, van, naar)
    name = f"{dossier_id}-wijzigingen-{r.old_label}-{r.new_label}.pdf".replace(" ", "-")
    return Response(
        redline_pdf(r),
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )
