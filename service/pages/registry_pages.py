"""The provision log (wijkagent), the authorisation register and the audit log (privacy officer)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from registry.audit import verify_chain
from registry.errors import RegistryError
from registry.provisions import ProvisionInput, list_provisions, record_provision
from registry.register import authorisation_register
from service.accounts import audit_scope, tenancy
from service.accounts.guard import DbSession, require
from service.accounts.permissions import allowed
from service.accounts.service import Principal
from service.clock import clock_of
from service.dossiers.service import get_dossier
from service.failures import ServiceError
from service.pages.audit_view import audit_rows
from service.pages.common import settings_of
from service.pages.meeting_pages import agreement_label
from service.pages.people import designated_people, person_choice
from service.pages.rendering import render
from service.register import repository as register_repository
from templates import plain_text

if TYPE_CHECKING:
    from registry.models import Agreement

router = APIRouter(prefix="/portaal", tags=["pagina"], include_in_schema=False)

ProvisionReader = Annotated[Principal, Depends(require("verstrekkingen.lezen"))]
ProvisionRecorder = Annotated[Principal, Depends(require("verstrekkingen.vastleggen"))]
RegisterReader = Annotated[Principal, Depends(require("register.lezen"))]
AuditReader = Annotated[Principal, Depends(require("audit.lezen"))]


def _agreements(db: DbSession, principal: Principal) -> list[Agreement]:
    return tenancy.scoped_agreements(db, principal)


def _chosen(agreements: list[Agreement], key: str | None) -> Agreement | None:
    return next((a for a in agreements if a.key == key), agreements[0] if agreements else None)


def _besluit_choices(
    request: Request, db: DbSession, agreement: Agreement
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The besluit's categories and uses as (key, description): from the dossier, else the registry's keys."""

    try:
        dossier = get_dossier(settings_of(request), agreement.key)
    except ServiceError:
        dossier = None
    if dossier is not None and dossier.besluit is not None:
        b = dossier.besluit
        return (
            [(c.key, plain_text(dossier, c.text)) for c in b.categories],
            [(u.key, plain_text(dossier, u.text)) for u in b.uses],
        )
    record = register_repository.besluit_of(db, agreement.id)
    return ([(c, c) for c in record.categories] if record else []), []


def _provisions_page(
    request: Request,
    db: DbSession,
    principal: Principal,
    key: str | None,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, object] | None = None,
    recorded: bool = False,
) -> Response:
    agreements = _agreements(db, principal)
    agreement = _chosen(agreements, key)
    rows = list_provisions(db, agreement.key) if agreement else []
    categories: list[tuple[str, str]] = []
    uses: list[tuple[str, str]] = []
    recipients = []
    if agreement is not None and agreement.id is not None:
        categories, uses = _besluit_choices(request, db, agreement)
        recipients = designated_people(db, agreement.id, partners_only=True)
    me = tenancy.own_person(db, principal)
    ctx: dict[str, object] = {
        "agreements": [(a.key, agreement_label(a)) for a in agreements],
        "agreement": agreement,
        "rows": rows,
        "categories": categories,
        "category_text": dict(categories),
        "uses": uses,
        "use_text": {k: t.rstrip(" ;,.") for k, t in uses},  # in the list: without the besluit's ";"
        "recipients": [r for r in recipients if me is None or r.key != me.key],
        "provider": person_choice(db, me.key) if me else None,
        "may_record": allowed(principal.role, "verstrekkingen.vastleggen"),
        "errors": errors or {},
        "today": clock_of(request).today(),
        "form": form
        or {
            "ontvanger": "",
            "datum": clock_of(request).today().isoformat(),
            "reden": "",
            "categorie": [],
            "doel": [],
            "bijzonder": "",
            "inhoud": "",
        },
        "recorded": recorded,
    }
    return render(
        request,
        "provisions.html",
        ctx,
        title="Verstrekkingen van politiegegevens",
        status_code=422 if errors else 200,
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


_FIELD_OF = {
    "provider": "verstrekker",
    "recipient": "ontvanger",
    "category": "categorie",
    "besluit": "categorie",
    "purpose": "doel",
    "special": "bijzonder",
}


@router.post("/verstrekkingen", response_class=HTMLResponse)
def record(
    request: Request,
    db: DbSession,
    principal: ProvisionRecorder,
    overeenkomst: Annotated[str, Form(max_length=80)] = "",
    ontvanger: Annotated[str, Form(max_length=300)] = "",
    datum: Annotated[str, Form(max_length=10)] = "",
    reden: Annotated[str, Form(max_length=3000)] = "",
    categorie: Annotated[list[str] | None, Form(max_length=20)] = None,
    doel: Annotated[list[str] | None, Form(max_length=80)] = None,
    bijzonder: Annotated[str, Form(max_length=2)] = "",
    inhoud: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    chosen = list(dict.fromkeys(categorie or []))
    purposes = list(dict.fromkeys(doel or []))
    form: dict[str, object] = {
        "ontvanger": ontvanger,
        "datum": datum,
        "reden": reden,
        "categorie": chosen,
        "doel": purposes,
        "bijzonder": bijzonder,
        "inhoud": inhoud,
    }
    errors: dict[str, str] = {}
    me = tenancy.own_person(db, principal)
    if me is None:
        errors["verstrekker"] = (
            f"Er staat geen persoon met uw e-mailadres ({principal.email}) in het register. Vraag de "
            "privacyfunctionaris om u met dit e-mailadres als wijkagent of vervanger aan te wijzen."
        )
    if not ontvanger:
        errors["ontvanger"] = "Kies de ontvanger uit de lijst."
    provided_on: date | None = None
    try:
        provided_on = date.fromisoformat(datum)
    except ValueError:
        errors["datum"] = "Vul de datum van de verstrekking in."
    if not chosen:
        errors["categorie"] = "Kies minstens één categorie politiegegevens."
    if not reden.strip():
        errors["reden"] = "Schrijf kort waarom u de gegevens verstrekt."
    if not inhoud.strip():
        errors["samenvatting"] = "Vat kort samen welke gegevens u verstrekt."  # id "inhoud" is <main>
    if errors or me is None or provided_on is None:
        return _provisions_page(request, db, principal, overeenkomst, errors=errors, form=form)
    reason = reden.strip()
    try:
        tenancy.ensure_agreement(db, principal, overeenkomst)
        record_provision(
            db,
            ProvisionInput(
                agreement=overeenkomst,
                provider=me.key,
                recipient=ontvanger,
                provided_on=provided_on,
                reason=reason,
                category=",".join(chosen),
                content_summary=inhoud,
                purposes=tuple(purposes),
                special=bijzonder == "ja",
            ),
            recorded_by=f"{principal.name} ({principal.email})",
        )
    except RegistryError as exc:
        db.rollback()
        field = _FIELD_OF.get(exc.field or "", "ontvanger")
        message = exc.message.removeprefix("Verstrekking geweigerd en niet vastgelegd: ")
        errors[field] = f"Niet vastgelegd: {message}"
        return _provisions_page(request, db, principal, overeenkomst, errors=errors, form=form)
    return RedirectResponse(
        f"/portaal/verstrekkingen?overeenkomst={quote(overeenkomst)}&melding=vastgelegd", status_code=303
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
        on = date.fromisoformat(peildatum) if peildatum else clock_of(request).today()
    except ValueError:
        on = clock_of(request).today()
    reg = authorisation_register(db, agreement.key, on) if agreement else None
    ctx = {
        "agreements": [(a.key, agreement_label(a)) for a in agreements],
        "agreement": agreement,
        "register": reg,
        "on": on,
    }
    return render(request, "register.html", ctx, title="Autorisatieregister")


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, db: DbSession, principal: AuditReader) -> Response:
    # only the entries this reader may see: her agreements' (privacy officer), the instance's (beheerder)
    entries = audit_scope.entries(db, principal, limit=200)
    report = audit_scope.scoped_report(db, principal, verify_chain(db.connection()))
    ctx = {"entries": audit_rows(db, entries), "report": report}
    return render(request, "audit.html", ctx, title="Auditlog")
