"""Thin endpoints of the provision log: record (wijkagent), list and CSV export (privacy officer)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from sqlmodel import Session

from registry.errors import Refused
from registry.provisions import (
    ProvisionInput,
    ProvisionView,
    list_provisions,
    provisions_csv,
    record_provision,
)
from registry.sync import find_person
from service.accounts import tenancy
from service.accounts.audit import event as audit_event
from service.accounts.guard import require
from service.accounts.service import Principal
from service.db import Tx
from service.provisions import schemas

router = APIRouter(prefix="/provisions", tags=["verstrekkingen"])


def own_provider(db: Session, who: Principal, given: str | None) -> str:
    """The provider of a provision is the signed-in wijkagent's own registry person (her account's e-mail
    address), never a key of someone else (issue 10, item 5)."""
    me = tenancy.own_person(db, who)
    if me is None:
        raise Refused(
            f"verstrekker: uw account ({who.email}) hoort bij geen persoon in het register; laat u als "
            "wijkagent of vervanger aanwijzen met dit e-mailadres.",
            field="verstrekker",
        )
    if given and given.strip():
        named = find_person(db, given)
        if named is None or named.id != me.id:
            raise Refused(
                "verstrekker: u legt alleen uw eigen verstrekkingen vast; de verstrekker is de aangemelde "
                "wijkagent.",
                field="verstrekker",
            )
    return me.key


Recorder = Annotated[Principal, Depends(require("verstrekkingen.vastleggen"))]
Reader = Annotated[Principal, Depends(require("verstrekkingen.lezen"))]


def _out(v: ProvisionView) -> schemas.ProvisionOut:
    return schemas.ProvisionOut(
        id=v.id,
        overeenkomst=v.agreement,
        besluit=v.besluit,
        besluit_titel=v.besluit_title,
        datum=v.provided_on,
        verstrekker=v.provider,
        ontvanger=v.recipient,
        ontvanger_email=v.recipient_email,
        categorie=v.category,
        doelen=list(v.purposes),
        doel=",".join(v.purposes) or None,
        bijzonder=v.special,
        signalering=v.flag,
        reden=v.reason,
        inhoud=v.content_summary,
        vastgelegd_op=v.recorded_at,
        vastgelegd_door=v.recorded_by,
        artikel=v.article,
    )


@router.post("", response_model=schemas.ProvisionOut, status_code=201)
def post_provision(body: schemas.ProvisionIn, db: Tx, who: Recorder) -> schemas.ProvisionOut:
    db.actor = who.email
    tenancy.ensure_agreement(db, who, body.overeenkomst)
    view = record_provision(
        db,
        ProvisionInput(
            agreement=body.overeenkomst,
            provider=own_provider(db, who, body.verstrekker),
            recipient=body.ontvanger,
            provided_on=body.datum,
            reason=body.reden,
            category=body.categorie,
            content_summary=body.inhoud,
            besluit=body.besluit,
            purposes=body.purposes(),
            special=body.bijzonder,
        ),
        recorded_by=who.email,
    )
    return _out(view)


Agreement = Annotated[str, Query(alias="overeenkomst", min_length=1)]
Since = Annotated[date | None, Query(alias="vanaf")]
Until = Annotated[date | None, Query(alias="tot_en_met")]


@router.get("", response_model=list[schemas.ProvisionOut])
def get_provisions(
    db: Tx, who: Reader, agreement: Agreement, since: Since = None, until: Until = None
) -> list[schemas.ProvisionOut]:
    tenancy.ensure_agreement(db, who, agreement)
    return [_out(v) for v in list_provisions(db, agreement, since=since, until=until)]


@router.get(
    ".csv", response_class=Response, dependencies=[Depends(audit_event("export", "verstrekkingenlog (CSV)"))]
)
def get_provisions_csv(
    db: Tx, who: Reader, agreement: Agreement, since: Since = None, until: Until = None
) -> Response:
    tenancy.ensure_agreement(db, who, agreement)
    text = provisions_csv(list_provisions(db, agreement, since=since, until=until))
    return Response(
        text.encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="verstrekkingen-{agreement}.csv"'},
    )
