"""Wijkoverleggen: plan, attendees, invite an agendadeelnemer (declaration by link), the meeting check."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select

from registry.errors import RegistryError
from registry.legal import agreement_legal, invited_role
from registry.meetings import get_meeting
from registry.models import Agreement, Meeting, MeetingAttendee, Person
from registry.rules import nl_date
from registry.sync import save_meeting
from service.accounts import tenancy
from service.accounts.audit import event as audit_event
from service.accounts.guard import DbSession, require
from service.accounts.permissions import allowed
from service.accounts.service import Principal
from service.dossiers import service as dossiers
from service.invitations import declarations, delivery
from service.invitations.errors import InvitationError
from service.pages.common import author_of, settings_of, who
from service.pages.errors import page_error
from service.pages.meeting_check import check_view
from service.pages.people import designated_people
from service.pages.rendering import render
from service.register.pdf import meeting_check_pdf

router = APIRouter(prefix="/portaal/overleggen", tags=["pagina"], include_in_schema=False)

Reader = Annotated[Principal, Depends(require("vergaderingen.lezen"))]
Planner = Annotated[Principal, Depends(require("vergaderingen.beheren"))]
Checker = Annotated[Principal, Depends(require("vergaderingen.toets"))]


def agreement_label(a: Agreement) -> str:
    """Distinguishable in a list: two agreements may have the same title."""
    return f"{a.title} — {a.municipality}, {nl_date(a.term_start)} tot en met {nl_date(a.term_end)}"


def _list_page(
    request: Request,
    db: DbSession,
    principal: Principal,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    ctx = {
        "meetings": [{"meeting": m, "agreement": a} for m, a in tenancy.scoped_meetings(db, principal)],
        "agreements": [(a.key, agreement_label(a)) for a in tenancy.scoped_agreements(db, principal)],
        "may_plan": allowed(principal.role, "vergaderingen.beheren"),
        "errors": errors or {},
        "form": form or {"titel": "", "datum": "", "overeenkomst": ""},
    }
    return render(request, "meetings.html", ctx, title="Wijkoverleggen", status_code=422 if errors else 200)


@router.get("", response_class=HTMLResponse)
def meeting_list(request: Request, db: DbSession, principal: Reader) -> Response:
    return _list_page(request, db, principal)


_SLUG = re.compile(r"[^a-z0-9]+")


def _new_key(db: DbSession, title: str, held_on: date) -> str:
    """The meeting's key, made from its title and date (never typed): unique, lower case, readable."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", title or "wijkoverleg").encode("ascii", "ignore").decode()
    base = _SLUG.sub("-", plain.lower()).strip("-")[:50].strip("-") or "wijkoverleg"
    key = f"{base}-{held_on.isoformat()}"
    n = 2
    while db.exec(select(Meeting).where(Meeting.key == key)).first() is not None:
        key = f"{base}-{held_on.isoformat()}-{n}"
        n += 1
    return key


@router.post("", response_class=HTMLResponse)
def meeting_plan(
    request: Request,
    db: DbSession,
    principal: Planner,
    overeenkomst: Annotated[str, Form(max_length=80)] = "",
    titel: Annotated[str, Form(max_length=300)] = "",
    datum: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    form = {"titel": titel, "datum": datum, "overeenkomst": overeenkomst}
    errors: dict[str, str] = {}
    agreement = db.exec(select(Agreement).where(Agreement.key == overeenkomst)).first()
    if agreement is not None and not tenancy.in_scope(db, principal, agreement.key):
        agreement = None  # outside the account's agreements: as unknown as a key that does not exist
    if agreement is None:
        errors["overeenkomst"] = "Kies de overeenkomst waar dit overleg onder valt."
    if not titel.strip():
        errors["titel"] = "Vul een titel in, bijvoorbeeld Wijkoverleg Centrum."
    held_on: date | None = None
    try:
        held_on = date.fromisoformat(datum)
    except ValueError:
        errors["datum"] = "Vul de datum van het overleg in."
    if agreement is not None and held_on is not None and held_on < agreement.term_start:
        errors["datum"] = (
            f"Het overleg valt vóór de start van de overeenkomst ({nl_date(agreement.term_start)}). "
            "Kies een latere datum."
        )
    if errors or agreement is None or held_on is None:
        return _list_page(request, db, principal, errors=errors, form=form)
    key = _new_key(db, titel.strip(), held_on)
    coordinator = tenancy.own_person(db, principal)
    save_meeting(db, agreement, key, held_on, [], coordinator=coordinator, title=titel.strip())
    return RedirectResponse(f"/portaal/overleggen/{key}?melding=gepland", status_code=303)


_FLASHES = {
    "gepland": ("goed", "Het wijkoverleg is gepland. Voeg deelnemers toe of nodig een agendadeelnemer uit."),
    "toegevoegd": ("goed", "De deelnemer is toegevoegd."),
    "verwijderd": ("goed", "De deelnemer is van de lijst gehaald."),
    "uitgenodigd": (
        "goed",
        "De agendadeelnemer is uitgenodigd: de link naar de geheimhoudingsverklaring is per e-mail "
        "verstuurd.",
    ),
    "mailfout": ("fout", "De uitnodiging is vastgelegd, maar de e-mail kon niet worden verstuurd."),
}


def _attendees(db: DbSession, meeting: Meeting) -> list[dict[str, object]]:
    rows = db.exec(
        select(MeetingAttendee)
        .where(MeetingAttendee.meeting_id == meeting.id)
        .order_by(col(MeetingAttendee.id))
    ).all()
    ids = [a.person_id for a in rows if a.person_id is not None]
    people = {p.id: p for p in db.exec(select(Person).where(col(Person.id).in_(ids))).all()} if ids else {}
    out: list[dict[str, object]] = []
    for n, a in enumerate(rows):
        person = people.get(a.person_id) if a.person_id is not None else None
        out.append(
            {
                "n": n,
                "given_as": a.given_as,
                "name": person.name if person else a.given_as,
                "function": person.function if person else None,
                "known": person is not None,
            }
        )
    return out


def _detail(
    request: Request,
    db: DbSession,
    principal: Principal,
    key: str,
    *,
    flash: str | None = None,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
) -> Response:
    try:
        tenancy.ensure_meeting(db, principal, key)
        meeting = get_meeting(db, key)
    except RegistryError as exc:
        return page_error(request, 404, exc.message)
    agreement = db.get(Agreement, meeting.agreement_id)
    assert agreement is not None and agreement.id is not None
    attendees = _attendees(db, meeting)
    present = {str(a["given_as"]) for a in attendees}
    choices = [c for c in designated_people(db, agreement.id) if c.key not in present]
    check = (
        check_view(db, settings_of(request), meeting.key)
        if allowed(principal.role, "vergaderingen.toets")
        else None
    )
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
        "agreement_label": agreement_label(agreement),
        "attendees": attendees,
        "choices": choices,
        "check": check,
        "invitations": declarations.meeting_links(db, meeting.key),
        "may_plan": allowed(principal.role, "vergaderingen.beheren"),
        "flash": {"kind": kind, "text": text} if kind else None,
        "errors": errors or {},
        "form": form or {"naam": "", "email": "", "instelling": "", "functie": ""},
        "invited": invited,
    }
    title = meeting.title or f"Wijkoverleg {meeting.key}"
    return render(request, "meeting.html", ctx, title=title, status_code=422 if errors else 200)


@router.get(
    "/{key}",
    response_class=HTMLResponse,
    dependencies=[Depends(audit_event("vergadertoets", "pagina", only_if="vergaderingen.toets"))],
)
def meeting_detail(
    request: Request, db: DbSession, principal: Reader, key: str, melding: str | None = None
) -> Response:
    return _detail(request, db, principal, key, flash=melding)


def _save_attendees(db: DbSession, principal: Principal, meeting: Meeting, attendees: list[str]) -> None:
    agreement = db.get(Agreement, meeting.agreement_id)
    assert agreement is not None
    save_meeting(
        db,
        agreement,
        meeting.key,
        meeting.held_on,
        attendees,
        title=meeting.title,
        coordinator=db.get(Person, meeting.coordinator_id) if meeting.coordinator_id else None,
    )


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
    agreement = db.get(Agreement, meeting.agreement_id)
    assert agreement is not None and agreement.id is not None
    known = {c.key for c in designated_people(db, agreement.id)}
    if deelnemer not in known:
        message = (
            "Kies een deelnemer uit de lijst. Staat de persoon er niet in? Nodig een agendadeelnemer uit "
            "met het formulier hieronder, of vraag de privacyfunctionaris de persoon te registreren."
        )
        return _detail(request, db, principal, key, errors={"deelnemer": message})
    current = [str(a["given_as"]) for a in _attendees(db, meeting)]
    if deelnemer not in current:
        _save_attendees(db, principal, meeting, [*current, deelnemer])
    return RedirectResponse(f"/portaal/overleggen/{key}?melding=toegevoegd#deelnemers", status_code=303)


@router.post("/{key}/deelnemers/verwijderen", response_class=HTMLResponse)
def remove_attendee(
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
    current = [str(a["given_as"]) for a in _attendees(db, meeting)]
    if deelnemer in current:
        _save_attendees(db, principal, meeting, [g for g in current if g != deelnemer])
    return RedirectResponse(f"/portaal/overleggen/{key}?melding=verwijderd#deelnemers", status_code=303)


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
        outbox = declarations.invite(
            db,
            settings,
            dossier,
            meeting.key,
            declarations.Invitee(naam, email, instelling, functie or None),
            actor=who(principal),
            author=author_of(principal),
        )
    except (InvitationError, RegistryError) as exc:
        fields = {"naam": "naam", "email": "email", "instelling": "instelling", "functie": "functie"}
        field = fields.get(getattr(exc, "field", None) or "", "naam")
        message = exc.message.split(": ", 1)[1] if exc.message.startswith(f"{field}:") else exc.message
        return _detail(request, db, principal, key, errors={field: _capital(message)}, form=form)
    db.commit()
    problems = delivery.send_after_commit(db, request.app.state.mail_sender, outbox)
    return RedirectResponse(
        f"/portaal/overleggen/{key}?melding={'mailfout' if problems else 'uitgenodigd'}", status_code=303
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@router.get("/{key}/toets.pdf", dependencies=[Depends(audit_event("vergadertoets", "PDF"))])
def check_pdf(request: Request, db: DbSession, principal: Checker, key: str) -> Response:
    try:
        tenancy.ensure_meeting(db, principal, key)
        view = check_view(db, settings_of(request), key)
    except RegistryError as exc:
        return page_error(request, 404, exc.message)
    return Response(
        meeting_check_pdf(view),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="deelnemerstoets-{quote(key)}.pdf"'},
    )
