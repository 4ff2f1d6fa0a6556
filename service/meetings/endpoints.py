"""Thin endpoints of meetings: plan or change one (``service.meetings.service``), check it (JSON), print
the check (PDF)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Body, Depends
from fastapi.responses import Response

from registry.meetings import check_meeting, get_meeting
from service.accounts import tenancy
from service.accounts.audit import event as audit_event
from service.accounts.guard import require
from service.accounts.service import Principal
from service.deps import AppSettings, Tx
from service.meetings import schemas
from service.meetings import service as meetings
from service.meetings.check_view import check_view
from service.register.pdf import meeting_check_pdf

if TYPE_CHECKING:
    from registry.models import Meeting

router = APIRouter(prefix="/meetings", tags=["wijkoverleg"])

Checker = Annotated[Principal, Depends(require("vergaderingen.toets"))]
Reader = Annotated[Principal, Depends(require("vergaderingen.lezen"))]
Planner = Annotated[Principal, Depends(require("vergaderingen.beheren"))]


def _out(db: Tx, meeting: Meeting) -> schemas.MeetingOut:
    return schemas.MeetingOut(
        sleutel=meeting.key,
        overeenkomst=meetings.agreement_of(db, meeting).key,
        datum=meeting.held_on,
        titel=meeting.title,
        deelnemers=[a.given_as for a in meetings.attendees(db, meeting)],
    )


def _capacities(body: schemas.MeetingIn | schemas.MeetingChangeIn) -> list[dict[str, str | None]]:
    return [{"person": c.deelnemer, "role": c.rol, "party": c.partij} for c in body.hoedanigheden]


@router.post("", response_model=schemas.MeetingOut, status_code=201)
def post_meeting(body: schemas.MeetingIn, db: Tx, who: Planner, response: Response) -> schemas.MeetingOut:
    db.actor = who.email
    plan = meetings.MeetingPlan(
        agreement=body.overeenkomst,
        held_on=body.datum,
        title=body.titel,
        key=body.sleutel,
        coordinator=body.coordinator,
        attendees=body.deelnemers,
        capacities=_capacities(body),
    )
    planned = meetings.plan_meeting(db, who, plan)
    if not planned.created:
        response.status_code = 200  # the same plan again: nothing changed
    return _out(db, planned.meeting)


@router.put("/{ref}", response_model=schemas.MeetingOut)
def put_meeting(ref: str, body: schemas.MeetingChangeIn, db: Tx, who: Planner) -> schemas.MeetingOut:
    db.actor = who.email
    change = meetings.MeetingChange(
        held_on=body.datum,
        title=body.titel,
        coordinator=body.coordinator,
        attendees=body.deelnemers,
        capacities=_capacities(body),
    )
    return _out(db, meetings.update_meeting(db, who, ref, change))


@router.get("/{ref}", response_model=schemas.MeetingOut)
def get_meeting_endpoint(ref: str, db: Tx, who: Reader) -> schemas.MeetingOut:
    tenancy.ensure_meeting(db, who, ref)
    return _out(db, get_meeting(db, ref))


@router.post(
    "/{ref}/check",
    response_model=schemas.MeetingCheckOut,
    dependencies=[Depends(audit_event("vergadertoets", "API"))],
)
def post_check(
    ref: str, db: Tx, who: Checker, body: Annotated[schemas.CheckIn | None, Body()] = None
) -> dict[str, object]:
    tenancy.ensure_meeting(db, who, ref)
    body = body or schemas.CheckIn()
    return check_meeting(db, ref, extra_attendees=body.extra_deelnemers, on=body.datum).as_dict()


@router.get(
    "/{ref}/check.pdf", response_class=Response, dependencies=[Depends(audit_event("vergadertoets", "PDF"))]
)
def get_check_pdf(settings: AppSettings, ref: str, db: Tx, who: Checker) -> Response:
    tenancy.ensure_meeting(db, who, ref)
    return Response(
        meeting_check_pdf(check_view(db, settings, ref)),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="deelnemerstoets-{ref}.pdf"'},
    )
