"""Dossiers: list and upload, the consistency report, documents, and sending the agreement for signature."""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from registry.sync import initial_term_end
from service.accounts import tenancy
from service.accounts.audit import event as audit_event
from service.accounts.guard import DbSession, require
from service.accounts.permissions import allowed
from service.accounts.service import Principal
from service.clock import clock_of, utcnow
from service.deps import Mailer
from service.dossiers import service as dossiers
from service.dossiers import versions
from service.editor.describe import describe
from service.failures import NotFound, ServiceError
from service.invitations import confirmations, delivery, links, rounds, storage
from service.invitations import repository as signing_repository
from service.invitations.errors import InvitationError
from service.invitations.models import SigningLink
from service.pages.common import author_of, settings_of, who
from service.pages.confirm import CONFIRMED, Confirmed, confirm_page
from service.pages.rendering import render
from templates import TemplatesError

router = APIRouter(prefix="/portaal/dossiers", tags=["pagina"], include_in_schema=False)

Reader = Annotated[Principal, Depends(require("dossiers.lezen"))]
Manager = Annotated[Principal, Depends(require("dossiers.beheren"))]
StatusReader = Annotated[Principal, Depends(require("ondertekening.status"))]
Sender = Annotated[Principal, Depends(require("ondertekening.versturen"))]


def _list_page(request: Request, db: DbSession, principal: Principal, **extra: object) -> Response:
    scope = tenancy.agreement_scope(db, principal)
    ctx = {
        "dossiers": [d for d in dossiers.list_dossiers(settings_of(request)) if d.id in scope],
        "may_upload": allowed(principal.role, "dossiers.beheren"),
        "error": None,
        "problems": [],
        **extra,
    }
    status = 422 if extra.get("error") else 200
    return render(request, "dossiers.html", ctx, title="Dossiers", status_code=status)


@router.get("", response_class=HTMLResponse)
def dossier_list(request: Request, db: DbSession, principal: Reader) -> Response:
    return _list_page(request, db, principal)


@router.post("", response_class=HTMLResponse)
async def dossier_upload(
    request: Request,
    db: DbSession,
    principal: Manager,
    bestand: UploadFile | None = None,
    toelichting: Annotated[str, Form(max_length=1000)] = "",
    nieuwe_versie: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    settings = settings_of(request)
    if bestand is None or not bestand.filename:
        return _list_page(request, db, principal, error="bestand: kies een dossierbestand (YAML of JSON).")
    body = await bestand.read(settings.max_upload_bytes + 1)
    try:
        upload = dossiers.upload_and_register(
            settings,
            db,
            body,
            bestand.filename,
            author=who(principal),
            comment=toelichting,
            new_version_after_signing=nieuwe_versie == "ja",
            owner=principal,
        )
    except TemplatesError as exc:
        return _list_page(request, db, principal, error=exc.message, problems=exc.problems)
    except ServiceError as exc:  # too large, out for signature, or an id in use by another agreement
        return _list_page(request, db, principal, error=f"bestand: {exc.message}")
    state = "vervangen" if upload.replaced else "opgeslagen"
    if upload.signed_version is not None:
        state = "nieuwe-versie"
    return RedirectResponse(f"/portaal/dossiers/{upload.dossier.id}?melding={quote(state)}", status_code=303)


def _link_of(db: DbSession, dossier_id: str, link_id: int) -> SigningLink:
    """The link, refused unless it belongs to this dossier (checked before anything changes)."""
    link = signing_repository.get_link(db, link_id)
    if link is None or link.dossier_id != dossier_id:
        raise InvitationError("Deze link hoort niet bij dit dossier.")
    return link


def _status(link: SigningLink) -> tuple[str, str]:
    if link.used_at:
        return "ondertekend", "ondertekend"
    if link.declined_at:
        return "nee", "wil niet ondertekenen"
    if link.revoked_at:
        return "ingetrokken", "ingetrokken"
    if link.expires_at <= utcnow():
        return "verlopen", "verlopen"
    if link.sent_at is None:
        return "open", "nog niet verstuurd"
    return "open", "wacht op handtekening"


@router.get("/{dossier_id}", response_class=HTMLResponse)
def dossier_detail(
    request: Request, db: DbSession, principal: Reader, dossier_id: str, melding: str | None = None
) -> Response:
    return _detail(request, db, principal, dossier_id, flash=_flash(melding))


def _detail(
    request: Request,
    db: DbSession,
    principal: Principal,
    dossier_id: str,
    *,
    flash: dict[str, str] | None = None,
    error: str | None = None,
) -> Response:
    settings = settings_of(request)
    tenancy.ensure_dossier(db, principal, dossier_id)
    dossier = dossiers.get_dossier(settings, dossier_id)
    rnd = rounds.latest_round(db, dossier.id)
    state = versions.signed_state(db, dossier.id)
    signed_dossier = None  # the dossier as the last round sent it, when that is not the newest version
    frozen = state.frozen_number
    if frozen is not None and state.current is not None and frozen != state.current.number:
        frozen_version = versions.get(db, dossier.id, frozen)
        if frozen_version is not None:
            signed_dossier = dossiers.version_dossier(settings, frozen_version)
    rows = []
    held = {p.link_id for p in confirmations.for_dossier(db, dossier.id) if p.status == confirmations.WAITING}
    signed_count = 0
    if rnd is not None:
        for link in rounds.current_links(db, rnd.id or 0):
            signed_count += 1 if link.used_at else 0
            css, label = _status(link)
            if link.id in held and not link.used_at:
                css, label = "open", "wacht op bevestiging"
            rows.append({"link": link, "css": css, "label": label})
    ctx = {
        "dossier": dossier,
        "problems": [describe(dossier, p) for p in dossiers.report(dossier)],
        "documents": dossiers.documents(dossier),
        "round": rnd,
        "rows": rows,
        "signed_count": signed_count,
        "events": rounds.round_events(db, rnd.id or 0) if rnd else [],
        "may_send": allowed(principal.role, "ondertekening.versturen"),
        "may_status": allowed(principal.role, "ondertekening.status"),
        "held_count": len(held),
        "may_confirm": allowed(principal.role, "ondertekening.bevestigen"),
        "flash": flash,
        "error": error,
        "term_end": initial_term_end(dossier),  # the last day of the first term, as the registry counts it
        "versions": [
            {"v": v, "rounds": [sv for sv in state.signed if sv.number == v.number]}
            for v in reversed(versions.history(db, dossier.id))
        ],
        "state": state,
        "signed_dossier": signed_dossier,
        "signed_term_end": initial_term_end(signed_dossier) if signed_dossier else None,
        "may_upload": allowed(principal.role, "dossiers.beheren"),
        "has_redline": True,
        "may_edit": allowed(principal.role, "dossiers.opstellen"),
    }
    return render(request, "dossier.html", ctx, title=dossier.title, status_code=422 if error else 200)


_FLASHES = {
    "opgeslagen": ("goed", "Het dossier is opgeslagen."),
    "vervangen": ("goed", "De nieuwe versie van het dossier is opgeslagen."),
    "nieuwe-versie": (
        "fout",
        "De nieuwe versie is opgeslagen. Let op: de handtekeningen op de ondertekende versie gelden "
        "niet voor deze versie — stuur haar opnieuw ter ondertekening of leg de wijziging vast in een "
        "addendum.",
    ),
    "verstuurd": (
        "goed",
        "De overeenkomst is ter ondertekening verstuurd: elke ondertekenaar kreeg een eigen link.",
    ),
    "herinnerd": ("goed", "De herinnering is verstuurd, met een nieuwe link; de oude link werkt niet meer."),
    "ingetrokken": ("goed", "De link is ingetrokken."),
    "ronde-ingetrokken": (
        "goed",
        "De ondertekening is ingetrokken: de open links werken niet meer. U kunt het dossier nu aanpassen "
        "en opnieuw versturen.",
    ),
    "mailfout": ("fout", "Niet alle e-mails konden worden verstuurd; zie de status per ondertekenaar."),
}


def _flash(key: str | None) -> dict[str, str] | None:
    if key in _FLASHES:
        kind, text = _FLASHES[key]
        return {"kind": kind, "text": text}
    return None


@router.get("/{dossier_id}/documenten/{name}.{fmt}")
def dossier_document(
    request: Request, db: DbSession, principal: Reader, dossier_id: str, name: str, fmt: str
) -> Response:
    tenancy.ensure_dossier(db, principal, dossier_id)
    data = dossiers.render(settings_of(request), dossier_id, name, fmt)
    media = (
        "application/pdf"
        if fmt == "pdf"
        else ("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    )
    return Response(
        data,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{dossier_id}-{name}.{fmt}"'},
    )


@router.post("/{dossier_id}/ondertekening")
def send_for_signature(
    request: Request,
    db: DbSession,
    mailer: Mailer,
    principal: Sender,
    dossier_id: str,
    bevestigd: Confirmed = "",
) -> Response:
    tenancy.ensure_dossier(db, principal, dossier_id)
    settings = settings_of(request)
    dossier = dossiers.get_dossier(settings, dossier_id)
    if bevestigd != CONFIRMED:
        people = [s.name for p in dossier.parties for s in p.signatories]
        return confirm_page(
            request,
            question="Overeenkomst ter ondertekening versturen?",
            consequence=(
                f"{len(people)} ondertekenaars krijgen nu een e-mail met een eigen link: "
                f"{', '.join(people)}. Zolang de ondertekening loopt, kunt u het dossier niet vervangen."
            ),
            button="Ja, versturen",
            back=f"/portaal/dossiers/{dossier_id}#ondertekening",
        )
    try:
        version = dossiers.current_version(settings, db, dossier, author=who(principal))
        outbox = rounds.send_out(
            db,
            settings,
            dossier,
            actor=who(principal),
            author=author_of(principal),
            on=clock_of(request).today(),
            dossier_version=version.number,
        )
    except InvitationError as exc:
        return _detail(request, db, principal, dossier_id, error=exc.message)
    db.commit()  # the links exist before any e-mail leaves
    problems = delivery.send_after_commit(db, mailer, outbox)
    flash = "mailfout" if problems else "verstuurd"
    return RedirectResponse(f"/portaal/dossiers/{dossier_id}?melding={flash}", status_code=303)


@router.post("/{dossier_id}/ondertekening/{link_id}/herinneren")
def send_reminder(
    request: Request, db: DbSession, mailer: Mailer, principal: Sender, dossier_id: str, link_id: int
) -> Response:
    tenancy.ensure_dossier(db, principal, dossier_id)
    settings = settings_of(request)
    dossier = dossiers.get_dossier(settings, dossier_id)
    _link_of(db, dossier.id, link_id)
    outbox = rounds.remind(db, settings, dossier, link_id, actor=who(principal), author=author_of(principal))
    db.commit()
    problems = delivery.send_after_commit(db, mailer, outbox)
    return RedirectResponse(
        f"/portaal/dossiers/{dossier_id}?melding={'mailfout' if problems else 'herinnerd'}", status_code=303
    )


@router.post("/{dossier_id}/ondertekening/{link_id}/intrekken")
def revoke_link(
    request: Request,
    db: DbSession,
    principal: Sender,
    dossier_id: str,
    link_id: int,
    bevestigd: Confirmed = "",
) -> Response:
    tenancy.ensure_dossier(db, principal, dossier_id)
    target = _link_of(db, dossier_id, link_id)
    if bevestigd != CONFIRMED:
        return confirm_page(
            request,
            question=f"Link van {target.name} intrekken?",
            consequence=(
                f"De link van {target.name} werkt daarna niet meer. Wilt u later toch een handtekening, "
                "stuur dan een herinnering: die bevat een nieuwe link."
            ),
            button="Ja, link intrekken",
            back=f"/portaal/dossiers/{dossier_id}#ondertekening",
        )
    link = links.revoke(db, link_id)
    if link.dossier_id != dossier_id:
        raise InvitationError("Deze link hoort niet bij dit dossier.")
    return RedirectResponse(f"/portaal/dossiers/{dossier_id}?melding=ingetrokken", status_code=303)


@router.post("/{dossier_id}/ondertekening/intrekken")
def cancel_signing(
    request: Request, db: DbSession, principal: Sender, dossier_id: str, bevestigd: Confirmed = ""
) -> Response:
    tenancy.ensure_dossier(db, principal, dossier_id)
    if bevestigd != CONFIRMED:
        return confirm_page(
            request,
            question="De hele ondertekening intrekken?",
            consequence=(
                "Alle links die nog open staan, werken daarna niet meer. Handtekeningen die al zijn gezet, "
                "blijven bewaard. U kunt het dossier daarna aanpassen en opnieuw versturen."
            ),
            button="Ja, ondertekening intrekken",
            back=f"/portaal/dossiers/{dossier_id}#ondertekening",
        )
    rounds.cancel_round(db, dossier_id)
    return RedirectResponse(f"/portaal/dossiers/{dossier_id}?melding=ronde-ingetrokken", status_code=303)


@router.get(
    "/{dossier_id}/ondertekend.pdf", dependencies=[Depends(audit_event("download", "ondertekend document"))]
)
def signed_document(request: Request, db: DbSession, principal: StatusReader, dossier_id: str) -> Response:
    tenancy.ensure_dossier(db, principal, dossier_id)
    rnd = rounds.latest_round(db, dossier_id)
    if rnd is None:
        raise InvitationError("Dit dossier is nog niet ter ondertekening verstuurd.")
    suffix = "ondertekend" if rnd.status == "voltooid" else f"deels-ondertekend-v{rnd.version}"
    return Response(
        storage.current_pdf(settings_of(request), rnd),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{dossier_id}-{suffix}.pdf"'},
    )


@router.get(
    "/{dossier_id}/audittrail.json", dependencies=[Depends(audit_event("export", "audittrail ondertekening"))]
)
def audit_trail(db: DbSession, principal: StatusReader, dossier_id: str) -> Response:
    tenancy.ensure_dossier(db, principal, dossier_id)
    rnd = rounds.latest_round(db, dossier_id)
    if rnd is None:
        raise InvitationError("Dit dossier is nog niet ter ondertekening verstuurd.")
    data = {
        "document": rnd.title,
        "status": rnd.status,
        "sha256_origineel": rnd.original_sha256,
        "sha256_huidig": rnd.current_sha256,
        "handtekeningen": [storage.audit_entry(e) for e in rounds.round_events(db, rnd.id or 0)],
    }
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2, default=str),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{dossier_id}-audittrail.json"'},
    )


@router.get("/{dossier_id}/versies/{number}.yaml")
def version_export(
    request: Request, db: DbSession, principal: Reader, dossier_id: str, number: int
) -> Response:
    """The text of one version as it was stored (YAML), for those who keep dossiers as files."""
    tenancy.ensure_dossier(db, principal, dossier_id)
    dossier = dossiers.get_dossier(settings_of(request), dossier_id)
    version = versions.get(db, dossier.id, number)
    if version is None:
        raise NotFound(f"Dossier '{dossier.id}' heeft geen versie {number}.")
    return Response(
        versions.text_of(settings_of(request), version),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{dossier.id}-versie-{number}.yaml"'},
    )


@router.get("/{dossier_id}/export.yaml")
def dossier_export(request: Request, db: DbSession, principal: Reader, dossier_id: str) -> Response:
    """The newest version as YAML."""
    tenancy.ensure_dossier(db, principal, dossier_id)
    settings = settings_of(request)
    dossier = dossiers.get_dossier(settings, dossier_id)
    return Response(
        dossiers.store_for(settings).path(dossier.id).read_text(encoding="utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{dossier.id}.yaml"'},
    )
