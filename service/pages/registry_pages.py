"""The provision log (wijkagent), the authorisation register and the audit log (privacy officer)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import select

from registry.audit import verify_chain
from registry.errors import RegistryError
from registry.models import Agreement, BesluitRecord
from registry.provisions import ProvisionInput, list_provisions, record_provision
from registry.register import authorisation_register
from service.accounts import audit_scope, tenancy
from service.accounts.guard import DbSession, require
from service.accounts.permissions import allowed
from service.accounts.service import Principal
from service.pages.common import today
from service.pages.rendering import render
from service.provisions.endpoints import own_provider

router = APIRouter(prefix="/portaal", tags=["pagina"], include_in_schema=False)

ProvisionReader = Annotated[Principal, Depends(require("verstrekkingen.lezen"))]
ProvisionRecorder = Annotated[Principal, Depends(require("verstrekkingen.vastleggen"))]
RegisterReader = Annotated[Principal, Depends(require("register.lezen"))]
AuditReader = Annotated[Principal, Depends(require("audit.lezen"))]


def _agreements(db: DbSession, principal: Principal) -> list[Agreement]:
    return tenancy.scoped_agreements(db, principal)


def _chosen(agreements: list[Agreement], key: str | None) -> Agreement | None:
    return next((a for a in agreements if a.key == key), agreements[0] if agreements else None)


def _provisions_page(
    request: Request, db: DbSession, principal: Principal, key: str | None, **extra: object
) -> Response:
    agreements = _agreements(db, principal)
    agreement = _chosen(agreements, key)
    rows = list_provisions(db, agreement.key) if agreement else []
    categories: list[str] = []
    uses: list[str] = []
    if agreement is not None:
        b = db.exec(select(BesluitRecord).where(BesluitRecord.agreement_id == agreement.id)).first()
        categories = list(b.categories) if b else []
        uses = list(b.uses) if b else []
    ctx = {
        "agreements": agreements,
        "agreement": agreement,
        "rows": rows,
        "categories": categories,
        "uses": uses,
        "may_record": allowed(principal.role, "verstrekkingen.vastleggen"),
        "error": None,
        "today": today(),
        "form": {
            "ontvanger": "",
            "datum": today().isoformat(),
            "reden": "",
            "categorie": "",
            "doel": "",
            "bijzonder": "",
            "inhoud": "",
        },
        "recorded": None,
        **extra,
    }
    return render(
        request,
        "provisions.html",
        ctx,
        title="Verstrekkingen van politiegegevens",
        status_code=422 if extra.get("error") else 200,
    )


@router.get("/verstrekkingen", response_class=HTMLResponse)
def provisions(
    request: Request,
    db: DbSession,
    principal: ProvisionReader,
    overeenkomst: str | None = None,
    melding: str | None = None,
) -> Response:
    return _provisions_page(request, db, principal, overeenkomst, recorded=melding == "vastgelegd")


@router.post("/verstrekkingen", response_class=HTMLResponse)
def record(
    request: Request,
    db: DbSession,
    principal: ProvisionRecorder,
    overeenkomst: Annotated[str, Form(max_length=80)] = "",
    ontvanger: Annotated[str, Form(max_length=300)] = "",
    datum: Annotated[str, Form(max_length=10)] = "",
    reden: Annotated[str, Form(max_length=4000)] = "",
    categorie: Annotated[str, Form(max_length=20)] = "",
    doel: Annotated[str, Form(max_length=80)] = "",
    bijzonder: Annotated[str, Form(max_length=2)] = "",
    inhoud: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    form = {
        "ontvanger": ontvanger,
        "datum": datum,
        "reden": reden,
        "categorie": categorie,
        "doel": doel,
        "bijzonder": bijzonder,
        "inhoud": inhoud,
    }
    try:
        provided_on = date.fromisoformat(datum)
    except ValueError:
        return _provisions_page(
            request,
            db,
            principal,
            overeenkomst,
            form=form,
            error="datum: vul de datum van de verstrekking in (JJJJ-MM-DD)",
        )
    try:
        tenancy.ensure_agreement(db, principal, overeenkomst)
        record_provision(
            db,
            ProvisionInput(
                agreement=overeenkomst,
                provider=own_provider(db, principal, None),
                recipient=ontvanger,
                provided_on=provided_on,
                reason=reden,
                category=categorie,
                content_summary=inhoud,
                purpose=doel or None,
                special=bijzonder == "ja",
            ),
            recorded_by=principal.email,
        )
    except RegistryError as exc:
        db.rollback()
        return _provisions_page(request, db, principal, overeenkomst, form=form, error=exc.message)
    return RedirectResponse(
        f"/portaal/verstrekkingen?overeenkomst={overeenkomst}&melding=vastgelegd", status_code=303
    )


@router.get("/register", response_class=HTMLResponse)
def register(
    request: Request,
    db: DbSession,
    principal: RegisterReader,
    overeenkomst: str | None = None,
    peildatum: str | None = None,
) -> Response:
    agreements = _agreements(db, principal)
    agreement = _chosen(agreements, overeenkomst)
    try:
        on = date.fromisoformat(peildatum) if peildatum else today()
    except ValueError:
        on = today()
    reg = authorisation_register(db, agreement.key, on) if agreement else None
    ctx = {"agreements": agreements, "agreement": agreement, "register": reg, "on": on}
    return render(request, "register.html", ctx, title="Autorisatieregister")


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, db: DbSession, principal: AuditReader) -> Response:
    # only the entries this reader may see: her agreements' (privacy officer), the instance's (beheerder)
    entries = audit_scope.entries(db, principal, limit=200)
    report = audit_scope.scoped_report(db, principal, verify_chain(db.connection()))
    return render(request, "audit.html", {"entries": entries, "report": report}, title="Auditlog")
