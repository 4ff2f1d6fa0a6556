"""Wijkoverleggen: plan, attendees, invite an agendadeelnemer (declaration by link), the meeting check."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select

from registry.errors import RegistryError
from registry.legal import agreement_legal, invited_role
from registry.meetings import check_meeting, get_meeting
from registry.models import Agreement, Meeting, MeetingAttendee
from registry.sync import find_person, get_agreement, save_meeting
from service.accounts import tenancy
from service.accounts.audit import event as audit_event
from service.accounts.guard import DbSession, require
from service.accounts.permissions import allowed
from service.accounts.service import Principal
from service.dossiers import service as dossiers
from service.invitations import mails
from service.invitations import service as links
from service.invitations.errors import InvitationError
from service.pages.common import send_after_commit, settings_of, who
from service.pages.errors import page_error
from service.pages.rendering import render
from service.register.pdf import meeting_check_pdf
from templates.render import document_title

router = APIRouter(prefix="/portaal/overleggen", tags=["pagina"], include_in_schema=False)

Reader = Annotated[Principal, Depends(require("vergaderingen.lezen"))]
Planner = Annotated[Principal, Depends(require("vergaderingen.beheren"))]
Checker = Annotated[Principal, Depends(require("vergaderingen.toets"))]


def _list_page(request: Request, db: DbSession, principal: Principal, **extra: object) -> Response:
    ctx = {
        "meetings": [{"meeting": m, "agreement": a} for m, a in tenancy.scoped_meetings(db, principal)],
        "agreements": tenancy.scoped_agreements(db, principal),
        "may_plan": allowed(principal.role, "vergaderingen.beheren"),
        "error": None,
        "form": {"sleutel": "", "titel": "", "datum": "", "overeenkomst": ""},
        **extra,
    }
    return render(
        request, "meetings.html", ctx, title="Wijkoverleggen", status_code=422 if extra.get("error") else 200
    )


@router.get("", response_class=HTMLResponse)
def meeting_list(request: Request, db: DbSession, principal: Reader) -> Response:
    return _list_page(request, db, principal)


@router.post("", response_class=HTMLResponse)
def meeting_plan(
    request: Request,
    db: DbSession,
    principal: Planner,
    overeenkomst: Annotated[str, Form(max_length=80)] = "",
    sleutel: Annotated[str, Form(max_length=80)] = "",
    titel: Annotated[str, Form(max_length=300)] = "",
    datum: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    form = {"sleutel": sleutel, "titel": titel, "datum": datum, "overeenkomst": overeenkomst}
    import re

    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,79}", sleutel):
        return _list_page(
            request,
            db,
            principal,
            form=form,
            error="kenmerk: gebruik kleine letters, cijfers en - (bijvoorbeeld wijkoverleg-centrum-maart)",
        )
    try:
        held_on = date.fromisoformat(datum)
    except ValueError:
        return _list_page(request, db, principal, form=form, error="datum: vul een datum in (JJJJ-MM-DD)")
    if db.exec(select(Meeting).where(Meeting.key == sleutel)).first() is not None:
        return _list_page(
            request, db, principal, form=form, error=f"kenmerk: er bestaat al een overleg '{sleutel}'"
        )
    try:
        tenancy.ensure_agreement(db, principal, overeenkomst)
        agreement = get_agreement(db, overeenkomst)
    except RegistryError as exc:
        return _list_page(request, db, principal, form=form, error=f"overeenkomst: {exc.message}")
    coordinator = find_person(db, principal.email)
    save_meeting(db, agreement, sleutel, held_on, [], coordinator=coordinator, title=titel.strip() or None)
    return RedirectResponse(f"/portaal/overleggen/{sleutel}?melding=gepland", status_code=303)


_FLASHES = {
    "gepland": ("goed", "Het wijkoverleg is gepland. Voeg deelnemers toe of nodig een agendadeelnemer uit."),
    "toegevoegd": ("goed", "De deelnemer is toegevoegd."),
    "uitgenodigd": (
        "goed",
        "De agendadeelnemer is uitgenodigd: de link naar de geheimhoudingsverklaring is per e-mail "
        "verstuurd.",
    ),
    "mailfout": ("fout", "De uitnodiging is vastgelegd, maar de e-mail kon niet worden verstuurd."),
}


def _detail(
    request: Request,
    db: DbSession,
    principal: Principal,
    key: str,
    *,
    flash: str | None = None,
    error: str | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    try:
        tenancy.ensure_meeting(db, principal, key)
        meeting = get_meeting(db, key)
    except RegistryError as exc:
        return page_error(request, 404, exc.message)
    agreement = db.get(Agreement, meeting.agreement_id)
    assert agreement is not None
    attendees = db.exec(
        select(MeetingAttendee.given_as)
        .where(MeetingAttendee.meeting_id == meeting.id)
        .order_by(col(MeetingAttendee.id))
    ).all()
    check = check_meeting(db, meeting.key) if allowed(principal.role, "vergaderingen.toets") else None
    legal = agreement_legal(agreement)
    role = invited_role(legal)
    invited = {
        "label": legal.role_label(role) if role else "genodigde",
        "never_police": any(
            p.data == "politiegegevens" and role in p.roles for p in legal.model.prohibitions
        ),
    }
    kind, text = _FLASHES.get(flash or "", (None, None))
    ctx = {
        "meeting": meeting,
        "agreement": agreement,
        "attendees": list(attendees),
        "check": check,
        "invitations": links.meeting_links(db, meeting.key),
        "may_plan": allowed(principal.role, "vergaderingen.beheren"),
        "flash": {"kind": kind, "text": text} if kind else None,
        "error": error,
        "form": form or {"naam": "", "email": "", "instelling": "", "functie": ""},
        "invited": invited,
    }
    title = meeting.title or f"Wijkoverleg {meeting.key}"
    return render(request, "meeting.html", ctx, title=title, status_code=422 if error else 200)


@router.get(
    "/{key}",
    response_class=HTMLResponse,
    dependencies=[Depends(audit_event("vergadertoets", "pagina", only_if="vergaderingen.toets"))],
)
def meeting_detail(
    request: Request, db: DbSession, principal: Reader, key: str, melding: str | None = None
) -> Response:
    return _detail(request, db, principal, key, flash=melding)


@router.post("/{key}/deelnemers", response_class=HTMLResponse)
def add_attendee(
    request: Request,
    db: DbSession,
    principal: Planner,
    key: str,
    deelnemer: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    try:
        tenancy.ensure_meeting(db, principal, key)
        meeting = get_meeting(db, key)
    except RegistryError as exc:
        return page_error(request, 404, exc.message)
    given = deelnemer.strip()
    if not given:
        return _detail(
            request, db, principal, key, error="deelnemer: vul een e-mailadres, sleutel of naam in"
        )
    agreement = db.get(Agreement, meeting.agreement_id)
    assert agreement is not None
    current = list(
        db.exec(
            select(MeetingAttendee.given_as)
            .where(MeetingAttendee.meeting_id == meeting.id)
            .order_by(col(MeetingAttendee.id))
        ).all()
    )
    if given not in current:
        save_meeting(
            db,
            agreement,
            meeting.key,
            meeting.held_on,
            [*current, given],
            title=meeting.title,
            coordinator=find_person(db, principal.email),
        )
    return RedirectResponse(f"/portaal/overleggen/{key}?melding=toegevoegd", status_code=303)


@router.post("/{key}/uitnodigen", response_class=HTMLResponse)
def invite(
    request: Request,
    db: DbSession,
    principal: Planner,
    key: str,
    naam: Annotated[str, Form(max_length=300)] = "",
    email: Annotated[str, Form(max_length=254)] = "",
    instelling: Annotated[str, Form(max_length=300)] = "",
    functie: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    settings = settings_of(request)
    form = {"naam": naam, "email": email, "instelling": instelling, "functie": functie}
    try:
        tenancy.ensure_meeting(db, principal, key)
        meeting = get_meeting(db, key)
    except RegistryError as exc:
        return page_error(request, 404, exc.message)
    agreement = db.get(Agreement, meeting.agreement_id)
    assert agreement is not None
    dossier = dossiers.get_dossier(settings, agreement.key)
    try:
        issued = links.invite_agendadeelnemer(
            db,
            settings,
            dossier,
            meeting.key,
            name=naam,
            email=email,
            institution=instelling,
            function=functie or None,
            actor=who(principal),
        )
    except (InvitationError, RegistryError) as exc:
        return _detail(request, db, principal, key, error=exc.message, form=form)
    db.commit()
    title = document_title(dossier, links.DECLARATION)
    meeting_name = meeting.title or f"het wijkoverleg ({agreement.title})"
    msg = mails.declaration_invitation(
        issued.link, title, links.link_url(settings, issued.token), meeting_name, meeting.held_on
    )
    problems = send_after_commit(request, db, [(issued.link.id or 0, msg)])
    return RedirectResponse(
        f"/portaal/overleggen/{key}?melding={'mailfout' if problems else 'uitgenodigd'}", status_code=303
    )


@router.get("/{key}/toets.pdf", dependencies=[Depends(audit_event("vergadertoets", "PDF"))])
def check_pdf(request: Request, db: DbSession, principal: Checker, key: str) -> Response:
    try:
        tenancy.ensure_meeting(db, principal, key)
        check = check_meeting(db, key).as_dict()
    except RegistryError as exc:
        return page_error(request, 404, exc.message)
    return Response(
        meeting_check_pdf(check),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="deelnemerstoets-{quote(key)}.pdf"'},
    )
