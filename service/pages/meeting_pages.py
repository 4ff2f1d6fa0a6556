"""Wijkoverleggen: plan, attendees, invite an agendadeelnemer (declaration by link), the meeting check."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from registry.errors import RegistryError
from registry.legal import agreement_legal, invited_role
from registry.meetings import get_meeting
from registry.rules import nl_date
from service.accounts import tenancy
from service.accounts.audit import event as audit_event
from service.accounts.guard import DbSession, require
from service.accounts.permissions import allowed
from service.accounts.service import Principal
from service.deps import Mailer
from service.dossiers import service as dossiers
from service.failures import NotFound
from service.invitations import declarations, delivery
from service.invitations.errors import InvitationError
from service.meetings import service as meetings
from service.meetings.check_view import check_view
from service.pages.common import author_of, settings_of, who
from service.pages.errors import page_error
from service.pages.people import designated_people
from service.pages.rendering import render
from service.register.pdf import meeting_check_pdf

if TYPE_CHECKING:
    from registry.models import Agreement, Meeting

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


@router.post("", response_class=HTMLResponse)
def meeting_plan(
    request: Request,
    db: DbSession,
    principal: Planner,
    overeenkomst: Annotated[str, Form(max_length=80)] = "",
    titel: Annotated[str, Form(max_length=300)] = "",
    datum: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """The form's own checks (filled in, a date), then the one planning service the API uses too."""
    form = {"titel": titel, "datum": datum, "overeenkomst": overeenkomst}
    errors: dict[str, str] = {}
    if not overeenkomst:
        errors["overeenkomst"] = "Kies de overeenkomst waar dit overleg onder valt."
    if not titel.strip():
        errors["titel"] = "Vul een titel in, bijvoorbeeld Wijkoverleg Centrum."
    held_on: date | None = None
    try:
        held_on = date.fromisoformat(datum)
    except ValueError:
        errors["datum"] = "Vul de datum van het overleg in."
    if errors or held_on is None:
        return _list_page(request, db, principal, errors=errors, form=form)
    plan = meetings.MeetingPlan(agreement=overeenkomst, held_on=held_on, title=titel.strip())
    try:
        planned = meetings.plan_meeting(db, principal, plan)
    except RegistryError as exc:
        field = exc.field if exc.field in form else "overeenkomst"
        return _list_page(
            request, db, principal, errors={field: _field_message(exc.message, field)}, form=form
        )
    return RedirectResponse(f"/portaal/overleggen/{planned.meeting.key}?melding=gepland", status_code=303)


def _field_message(message: str, field: str) -> str:
    """A service message (``veld: reden``) as a sentence at its form field."""
    text = message.split(": ", 1)[1] if message.startswith(f"{field}: ") else message
    text = _capital(text)
    return text if text.endswith(".") else f"{text}."


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
    return [
        {
            "n": n,
            "given_as": a.given_as,
            "name": a.person.name if a.person else a.given_as,
            "function": a.person.function if a.person else None,
            "known": a.person is not None,
        }
        for n, a in enumerate(meetings.attendees(db, meeting))
    ]


def _meeting(db: DbSession, principal: Principal, key: str) -> Meeting:
    """The meeting, when it is known and its agreement within the user's scope; otherwise 404 (the one error
    handler answers the browser with the 'niet gevonden' page)."""
    try:
        tenancy.ensure_meeting(db, principal, key)
        return get_meeting(db, key)
    except RegistryError as exc:
        raise NotFound(exc.message) from None


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
    meeting = _meeting(db, principal, key)
    agreement = meetings.agreement_of(db, meeting)
    assert agreement.id is not None
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


@router.post("/{key}/deelnemers", response_class=HTMLResponse)
def add_attendee(
    request: Request,
    db: DbSession,
    principal: Planner,
    key: str,
    deelnemer: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    meeting = _meeting(db, principal, key)
    agreement = meetings.agreement_of(db, meeting)
    assert agreement.id is not None
    known = {c.key for c in designated_people(db, agreement.id)}
    if deelnemer not in known:
        message = (
            "Kies een deelnemer uit de lijst. Staat de persoon er niet in? Nodig een agendadeelnemer uit "
            "met het formulier hieronder, of vraag de privacyfunctionaris de persoon te registreren."
        )
        return _detail(request, db, principal, key, errors={"deelnemer": message})
    current = [str(a["given_as"]) for a in _attendees(db, meeting)]
    if deelnemer not in current:
        meetings.set_attendees(db, meeting, [*current, deelnemer])
    return RedirectResponse(f"/portaal/overleggen/{key}?melding=toegevoegd#deelnemers", status_code=303)


@router.post("/{key}/deelnemers/verwijderen", response_class=HTMLResponse)
def remove_attendee(
    request: Request,
    db: DbSession,
    principal: Planner,
    key: str,
    deelnemer: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    meeting = _meeting(db, principal, key)
    current = [str(a["given_as"]) for a in _attendees(db, meeting)]
    if deelnemer in current:
        meetings.set_attendees(db, meeting, [g for g in current if g != deelnemer])
    return RedirectResponse(f"/portaal/overleggen/{key}?melding=verwijderd#deelnemers", status_code=303)


@router.post("/{key}/uitnodigen", response_class=HTMLResponse)
def invite(
    request: Request,
    db: DbSession,
    principal: Planner,
    mailer: Mailer,
    key: str,
    naam: Annotated[str, Form(max_length=300)] = "",
    email: Annotated[str, Form(max_length=254)] = "",
    instelling: Annotated[str, Form(max_length=300)] = "",
    functie: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    settings = settings_of(request)
    form = {"naam": naam, "email": email, "instelling": instelling, "functie": functie}
    meeting = _meeting(db, principal, key)
    agreement = meetings.agreement_of(db, meeting)
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
    problems = delivery.send_after_commit(db, mailer, outbox)
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
