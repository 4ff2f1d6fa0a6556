"""Thin endpoints of the meeting check: plan a meeting, check it (JSON), print it (PDF)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Depends, Request
from fastapi.responses import Response
from sqlmodel import col, select

from registry.errors import NotInRegistry
from registry.meetings import check_meeting, get_meeting
from registry.models import Agreement, MeetingAttendee
from registry.people import find_person_of
from registry.sync import get_agreement, meeting_capacities, save_meeting
from service.accounts import tenancy
from service.accounts.audit import event as audit_event
from service.accounts.guard import require
from service.accounts.service import Principal
from service.db import Tx
from service.meetings import schemas
from service.register.pdf import meeting_check_pdf

router = APIRouter(prefix="/meetings", tags=["wijkoverleg"])

Checker = Annotated[Principal, Depends(require("vergaderingen.toets"))]
Reader = Annotated[Principal, Depends(require("vergaderingen.lezen"))]
Planner = Annotated[Principal, Depends(require("vergaderingen.beheren"))]


def _out(db: Tx, ref: str) -> schemas.MeetingOut:
    meeting = get_meeting(db, ref)
    agreement = db.get(Agreement, meeting.agreement_id)
    assert agreement is not None
    attendees = db.exec(
        select(MeetingAttendee.given_as)
        .where(MeetingAttendee.meeting_id == meeting.id)
        .order_by(col(MeetingAttendee.id))
    ).all()
    return schemas.MeetingOut(
        sleutel=meeting.key,
        overeenkomst=agreement.key,
        datum=meeting.held_on,
        titel=meeting.title,
        deelnemers=list(attendees),
    )


@router.post("", response_model=schemas.MeetingOut, status_code=201)
def post_meeting(body: schemas.MeetingIn, db: Tx, who: Planner) -> schemas.MeetingOut:
    db.actor = who.email
    tenancy.ensure_agreement(db, who, body.overeenkomst)
    agreement = get_agreement(db, body.overeenkomst)
    coordinator = find_person_of(db, agreement, body.coordinator) if body.coordinator else None
    if body.coordinator and coordinator is None:
        raise NotInRegistry(
            f"coordinator: '{body.coordinator}' is niet bekend in het register.", field="coordinator"
        )
    capacities = meeting_capacities(
        db, agreement, [{"person": c.deelnemer, "role": c.rol, "party": c.partij} for c in body.hoedanigheden]
    )
    save_meeting(
        db,
        agreement,
        body.sleutel,
        body.datum,
        body.deelnemers,
        coordinator=coordinator,
        title=body.titel,
        capacities=capacities,
    )
    return _out(db, body.sleutel)


@router.get("/{ref}", response_model=schemas.MeetingOut)
def get_meeting_endpoint(ref: str, db: Tx, who: Reader) -> schemas.MeetingOut:
    tenancy.ensure_meeting(db, who, ref)
    return _out(db, ref)


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
def get_check_pdf(request: Request, ref: str, db: Tx, who: Checker) -> Response:
    from service.pages.meeting_check import check_view

    tenancy.ensure_meeting(db, who, ref)
    return Response(
        meeting_check_pdf(check_view(db, request.app.state.settings, ref)),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="deelnemerstoets-{ref}.pdf"'},
    )
