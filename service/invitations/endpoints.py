"""The signing pages behind a link (public: the link's token is the key). Thin: resolve, call the service."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from service.accounts.audit import record as record_event
from service.accounts.guard import DbSession, client_ip, public
from service.clock import clock_of
from service.deps import Mailer, settings_of
from service.dossiers.service import get_dossier
from service.invitations import (
    codes,
    declarations,
    delivery,
    files,
    links,
    mails,
    repository,
    rounds,
    second_factor,
    storage,
)
from service.invitations import (
    own_signature as own,
)
from service.invitations.confirmations import latest_for_link
from service.invitations.document_view import document_body
from service.invitations.errors import InvalidInvitation, LinkUnknown, LinkUsed
from service.invitations.models import (
    AGREEMENT,
    DECLARATION,
    DECLARATION_KIND,
    PendingSignature,
    SigningLink,
)
from service.mail import MailSender
from service.mail.outbox import Outgoing
from service.pages.confirm import confirm_page
from service.pages.rendering import render
from service.settings import Settings
from signing.errors import InvalidPdf, OwnSignatureRefused
from templates import Participant
from templates.fields import signature_field
from templates.render import document_title

log = logging.getLogger("convenant.invitations")
router = APIRouter(tags=["pagina"], include_in_schema=False, dependencies=[Depends(public())])

GroundQuery = Annotated[str | None, "grondslag"]


def install(app: FastAPI, settings: Settings) -> None:
    """The signing pages (the mail sender they use is made with the other dependencies: ``service.deps``)."""
    app.include_router(router)


def _today(request: Request) -> date:
    """Today in Amsterdam, from the app's clock (``service.deps``)."""
    return clock_of(request).today()


def _pdf(data: bytes, filename: str, *, inline: bool) -> Response:
    disposition = "inline" if inline else "attachment"
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'{disposition}; filename="{filename}"',
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _signature_blocks(  # type: ignore[no-untyped-def]
    dossier, link: SigningLink, signed: set[tuple[str | None, str | None]]
) -> list[dict[str, object]]:
    blocks = []
    for party in dossier.parties:
        for s in party.signatories:
            blocks.append(
                {
                    "party": party.name,
                    "name": s.name,
                    "function": s.function,
                    "on_behalf_of": s.on_behalf_of,
                    "note": s.note,
                    "own": party.key == link.party_key and s.key == link.signatory_key,
                    "signed": (party.key, s.key) in signed,
                }
            )
    return blocks


def _page(
    request: Request,
    db: Session,
    link: SigningLink,
    token: str,
    *,
    ground: str | None = None,
    error: str | None = None,
    notice: str | None = None,
    status: int = 200,
    code_sent: bool = False,
) -> Response:
    settings = settings_of(request)
    dossier = get_dossier(settings, link.dossier_id)
    if link.kind == AGREEMENT:
        rnd = repository.get_round(db, link.round_id)
        if rnd is None:  # an agreement link always belongs to a round (foreign key); never render without it
            raise LinkUnknown("Deze link hoort niet bij een ondertekeningsronde.")
        signed = {(x.party_key, x.signatory_key) for x in rounds.current_links(db, rnd.id or 0) if x.used_at}
        blocks = _signature_blocks(dossier, link, signed)
        ctx: dict[str, object] = {
            "text": document_body(dossier, AGREEMENT, own_field=signature_field(str(link.signatory_key))),
            "link": link,
            "token": token,
            "round": rnd,
            "sha256": rnd.current_sha256,
            "blocks": blocks,
            "signed_count": sum(1 for b in blocks if b["signed"]),
            "error": error,
            "signing_date": _today(request),
            "code_sent": code_sent or link.code_sent_at is not None,
            "held": latest_for_link(db, link.id or 0),  # an upload on another name, and its decision
            "second_factor": second_factor.required_for(settings, link.email),
            **links.contact_of(db, link),
        }
        return render(
            request, "sign_agreement.html", ctx, title=f"Ondertekenen: {rnd.title}", status_code=status
        )
    grounds = declarations.ground_keys(dossier)
    chosen = ground if ground in dict(grounds) else None
    sha = None
    if chosen:
        sha = files.sha256(
            declarations.prepared_declaration(settings, dossier, link, chosen, _today(request))
        )
    title = dossier.declaration.title if dossier.declaration else "Geheimhoudingsverklaring"
    text = None
    if chosen:
        participant = Participant(link.name, link.organisation or link.name, chosen, _today(request))
        text = document_body(dossier, DECLARATION, participant)
    explained = {g.key: g.explanation for g in dossier.declaration.grounds} if dossier.declaration else {}
    ctx = {
        "text": text,
        "link": link,
        "token": token,
        "grounds": [
            {"key": key, "label": label, "explanation": explained.get(key)} for key, label in grounds
        ],
        "notice": notice,
        "chosen": chosen,
        "chosen_label": dict(grounds).get(chosen or "", ""),
        "sha256": sha,
        "doc_title": title,
        "error": error,
        "signing_date": _today(request),
        "municipality": dossier.area,
        "personal": settings.declaration_personal_certificate,  # a code, then a certificate on her name
        "code_sent": code_sent or link.code_sent_at is not None,
        **links.contact_of(db, link),
    }
    return render(request, "sign_declaration.html", ctx, title=f"Ondertekenen: {title}", status_code=status)


@router.get("/ondertekenen/{token}", response_class=HTMLResponse)
def open_link(request: Request, db: DbSession, token: str, grondslag: str | None = None) -> Response:
    try:
        link = links.resolve(db, token, client_ip(request))
    except LinkUsed:
        return _already_signed(request, db, token)
    db.commit()  # end the read before rendering: no lock (SQLite: the write lock) is held while rendering
    return _page(request, db, link, token, ground=grondslag)


def _already_signed(request: Request, db: Session, token: str) -> Response:
    """A used link: the signature stands; show it and offer the signed document (never a second one)."""
    found = links.used_link_event(db, token)
    if found is None:
        raise LinkUnknown("Deze ondertekeningslink bestaat niet.")
    link, event = found
    ctx = {
        "link": link,
        "event": event,
        "download": f"/ondertekenen/{token}/ondertekend.pdf",
        "already": True,
        "mail_failed": False,
        **links.contact_of(db, link),
    }
    # 410: the link is gone as a way to sign (a client sees it in the status); a person sees her signature.
    return render(request, "signed.html", ctx, title="U heeft al ondertekend", status_code=410)


@router.get("/ondertekenen/{token}/ondertekend.pdf")
def used_link_document(request: Request, db: DbSession, token: str) -> Response:
    found = links.used_link_event(db, token)
    if found is None:
        links.resolve(db, token, client_ip(request))  # the same refusal as the page (counted)
        raise LinkUnknown("Deze link is nog niet gebruikt: er is nog geen ondertekend document.")
    _, event = found
    # Audited like the receipt's download below: the actor is the signatory, whom a route dependency cannot
    # name (there is no signed-in principal on a link).
    details = {
        "wat": "ondertekend document (link)",
        "ip": client_ip(request),
        "document": event.document_title,
    }
    record_event(db, "download", actor=event.signer_email, subject=event.document, details=details)
    return _pdf(
        storage.event_pdf(settings_of(request), event),
        f"{event.document}-ondertekend.pdf",
        inline=False,
    )


@router.post("/ondertekenen/{token}/weigeren", response_class=HTMLResponse)
def decline(
    request: Request,
    db: DbSession,
    token: str,
    reden: Annotated[str, Form(max_length=1000)] = "",
    bevestigd: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    link = links.resolve(db, token, client_ip(request))
    if not " ".join(reden.split()):
        return _page(
            request, db, link, token, status=422, error="reden: schrijf kort waarom u niet ondertekent."
        )
    if bevestigd != "ja":
        return confirm_page(
            request,
            question="Weet u zeker dat u niet ondertekent?",
            consequence=(
                "Uw link werkt daarna niet meer. De afzender ziet uw reden: "
                f"“{' '.join(reden.split())}”. Wilt u later toch ondertekenen, dan stuurt de afzender u "
                "een nieuwe link."
            ),
            button="Ja, ik onderteken niet",
            back=f"/ondertekenen/{token}",
            fields={"reden": reden},
        )
    links.decline(db, link, reden)
    db.commit()
    log.info("ondertekening geweigerd (link %s)", link.id)
    ctx = {"link": link, **links.contact_of(db, link)}
    return render(request, "declined.html", ctx, title="U heeft niet ondertekend")


@router.get("/ondertekenen/{token}/document.pdf")
def link_document(request: Request, db: DbSession, token: str, grondslag: str | None = None) -> Response:
    settings = settings_of(request)
    link = links.resolve(db, token, client_ip(request))
    if link.kind == AGREEMENT:
        rnd = repository.get_round(db, link.round_id)
        assert rnd is not None
        return _pdf(storage.current_pdf(settings, rnd), f"{rnd.document}.pdf", inline=True)
    dossier = get_dossier(settings, link.dossier_id)
    if grondslag not in dict(declarations.ground_keys(dossier)):
        raise InvalidInvitation("grondslag: kies eerst een grondslag", field="grondslag")
    return _pdf(
        declarations.prepared_declaration(settings, dossier, link, grondslag, _today(request)),
        "geheimhoudingsverklaring.pdf",
        inline=True,
    )


@router.post("/ondertekenen/{token}", response_class=HTMLResponse)
def sign(
    request: Request,
    db: DbSession,
    mailer: Mailer,
    token: str,
    akkoord: Annotated[str, Form(max_length=10)] = "",
    grondslag: Annotated[str, Form(max_length=80)] = "",
    getoond: Annotated[str, Form(max_length=80)] = "",
    sha256: Annotated[str, Form(max_length=64)] = "",
    code: Annotated[str, Form(max_length=12)] = "",
    totp: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    settings = settings_of(request)
    ip, ua = client_ip(request), request.headers.get("user-agent", "onbekend")
    link = links.resolve(db, token, ip)
    dossier = get_dossier(settings, link.dossier_id)
    if link.kind == DECLARATION_KIND and grondslag and getoond and grondslag != getoond:
        # Another ground was chosen next to the button than the declaration on screen names: what is signed
        # is what was posted, so first show the declaration with the newly chosen ground (nothing signed).
        label = dict(declarations.ground_keys(dossier)).get(grondslag)
        if label is not None:
            return _page(
                request,
                db,
                link,
                token,
                ground=grondslag,
                status=409,
                notice=(
                    f"U koos een andere grondslag: {label}. De verklaring hieronder noemt nu deze grondslag. "
                    "Lees de verklaring en onderteken opnieuw. Er is nog niets ondertekend."
                ),
            )
    if akkoord != "ja":
        return _page(
            request,
            db,
            link,
            token,
            ground=grondslag or None,
            status=422,
            error="akkoord: vink aan dat u het document heeft gelezen en wilt ondertekenen.",
        )
    if link.kind == DECLARATION_KIND:
        grounds = dict(declarations.ground_keys(dossier))
        if grondslag not in grounds:
            return _page(
                request,
                db,
                link,
                token,
                status=422,
                error="grondslag: kies een van de grondslagen voordat u ondertekent.",
            )
        seen = files.sha256(
            declarations.prepared_declaration(settings, dossier, link, grondslag, _today(request))
        )
        if sha256 != seen:
            return _page(
                request,
                db,
                link,
                token,
                ground=grondslag,
                status=409,
                error="Het document is gewijzigd sinds u het opende. Lees het opnieuw en onderteken dan.",
            )
        db.commit()  # sign before the write transaction: it only re-checks and consumes the link
        try:
            result = declarations.sign_declaration(
                db,
                settings,
                dossier,
                token,
                grondslag,
                ip=ip,
                user_agent=ua,
                today=_today(request),
                expected_sha256=sha256,
                opened=link,
                code=code,
            )
        except InvalidInvitation as exc:
            if exc.field != "code":
                raise
            return _page(
                request, db, link, token, ground=grondslag, status=422, error=exc.message, code_sent=True
            )
    else:
        try:
            result = rounds.sign_agreement(
                db,
                settings,
                dossier,
                token,
                ip=ip,
                user_agent=ua,
                today=_today(request),
                code=code,
                second_code=totp,
            )
        except InvalidInvitation as exc:
            db.commit()  # the wrong attempt counts
            return _page(request, db, link, token, status=422, error=exc.message, code_sent=True)
    db.commit()  # the signature counts from here; e-mail afterwards (a mail failure never undoes it)
    return _after_signing(request, db, mailer, link, result)


def _after_signing(
    request: Request, db: Session, mailer: MailSender, link: SigningLink, result: links.SignedResult
) -> Response:
    """Mail the signed copy (and, after the last signature, the final PDF to everyone); then the receipt."""
    outbox = delivery.signed_mails(settings_of(request), db, link, result)
    problems = delivery.send_after_commit(db, mailer, outbox)
    suffix = "?email=mislukt" if problems else ""
    return RedirectResponse(f"/ondertekend/{result.receipt}{suffix}", status_code=303)


@router.post("/ondertekenen/{token}/eigen-handtekening", response_class=HTMLResponse)
def own_signature(
    request: Request, db: DbSession, mailer: Mailer, token: str, bestand: UploadFile | None = None
) -> Response:
    """The agreement signed in her own field with her own certificate and software, returned as a file."""
    settings = settings_of(request)
    ip, ua = client_ip(request), request.headers.get("user-agent", "onbekend")
    link = links.resolve(db, token, ip)
    data = bestand.file.read(settings.max_upload_bytes + 1) if bestand is not None else b""
    problem = None
    if not data:
        problem = "bestand: kies het ondertekende PDF-bestand."
    elif len(data) > settings.max_upload_bytes:
        problem = f"bestand: het bestand is groter dan {settings.max_upload_bytes} bytes."
    if problem is None:
        db.commit()  # end the read: the check below runs before the write transaction locks anything
        try:
            dossier = get_dossier(settings, link.dossier_id)
            result = own.accept_own_signature(db, settings, dossier, token, data, ip=ip, user_agent=ua)
        except (InvalidInvitation, OwnSignatureRefused, InvalidPdf) as exc:
            db.rollback()
            problem = exc.message
    if problem is not None:
        return _page(request, db, link, token, status=422, error=problem)
    db.commit()
    if isinstance(result, PendingSignature):  # her certificate is on another name: the officer decides
        return _page(request, db, link, token, status=202)
    return _after_signing(request, db, mailer, link, result)


@router.post("/ondertekenen/{token}/code", response_class=HTMLResponse)
def send_code(
    request: Request,
    db: DbSession,
    mailer: Mailer,
    token: str,
    grondslag: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    """E-mail a one-time code to the signatory of an agreement link, or to an agendadeelnemer when
    declarations are signed with a personal certificate (a new request replaces the old code)."""
    settings = settings_of(request)
    link = links.resolve(db, token, client_ip(request), for_update=True)
    if link.kind == AGREEMENT and link.round_id is not None:
        rnd = repository.get_round(db, link.round_id)
        assert rnd is not None
        title = rnd.title
    elif link.kind == DECLARATION_KIND and settings.declaration_personal_certificate:
        title = document_title(get_dossier(settings, link.dossier_id), DECLARATION)
    else:
        raise LinkUnknown("Voor deze link is geen code nodig.")
    code = codes.new_code(db, link)
    db.commit()
    message = mails.signing_code(link, title, code, int(codes.CODE_TTL.total_seconds() // 60))
    if delivery.send_after_commit(db, mailer, [Outgoing(message, "code")]):
        return _page(
            request,
            db,
            link,
            token,
            status=503,
            error="code: de e-mail met de code kon niet worden verstuurd.",
        )
    return _page(request, db, link, token, ground=grondslag or None, code_sent=True)


def _receipt_ttl(request: Request) -> timedelta:
    return timedelta(days=settings_of(request).receipt_ttl_days)


@router.get("/ondertekend/{receipt}", response_class=HTMLResponse)
def receipt_page(request: Request, db: DbSession, receipt: str, email: str | None = None) -> Response:
    link, event = links.receipt_event(db, receipt, _receipt_ttl(request))
    ctx = {
        "link": link,
        "event": event,
        "receipt": receipt,
        "download": f"/ondertekend/{receipt}/document.pdf",
        "already": False,
        "mail_failed": email == "mislukt",
        "receipt_days": settings_of(request).receipt_ttl_days,
        **links.contact_of(db, link),
    }
    return render(request, "signed.html", ctx, title="Ondertekend")


@router.get("/ondertekend/{receipt}/document.pdf")
def receipt_document(request: Request, db: DbSession, receipt: str) -> Response:
    _, event = links.receipt_event(db, receipt, _receipt_ttl(request))
    details = {
        "wat": "ondertekend document (bewijslink)",
        "ip": client_ip(request),
        "document": event.document_title,
    }
    record_event(
        db,
        "download",
        actor=event.signer_email,
        subject=event.document,
        details=details,
        agreement=event.dossier_id,
    )
    return _pdf(
        storage.event_pdf(settings_of(request), event),
        f"{event.document}-ondertekend.pdf",
        inline=False,
    )
