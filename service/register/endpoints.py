"""Thin endpoints: authorisation register (JSON/CSV/PDF), declarations, term events, revocation, audit."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from registry import agreements
from registry.audit import verify_chain
from registry.register import authorisation_register, register_csv
from registry.rules import nl_date
from registry.sync import get_agreement
from registry.warnings import upcoming_endings
from service.accounts import audit_scope, tenancy
from service.accounts.audit import event as audit_event
from service.accounts.guard import require
from service.accounts.service import Principal
from service.checkpoints import verify_checkpoints
from service.deps import AppSettings, Today, Tx
from service.register import schemas
from service.register.declarations import register_declaration
from service.register.pdf import register_pdf
from templates.formatting import count_phrase

router = APIRouter(tags=["register"])

Reader = Annotated[Principal, Depends(require("register.lezen"))]
Manager = Annotated[Principal, Depends(require("dossiers.beheren"))]
Declarations = Annotated[Principal, Depends(require("verklaringen.beheren"))]
Auditor = Annotated[Principal, Depends(require("audit.lezen"))]
OnDate = Annotated[date | None, Query(alias="peildatum", description="Peildatum (standaard: vandaag)")]


@router.get("/agreements/{key}/register", response_model=schemas.RegisterOut)
def get_register(key: str, db: Tx, who: Reader, today: Today, on: OnDate = None) -> dict[str, object]:
    tenancy.ensure_agreement(db, who, key)
    return authorisation_register(db, key, on or today).as_dict()


@router.get(
    "/agreements/{key}/register.csv",
    response_class=Response,
    dependencies=[Depends(audit_event("export", "autorisatieregister (CSV)"))],
)
def get_register_csv(key: str, db: Tx, who: Reader, today: Today, on: OnDate = None) -> Response:
    tenancy.ensure_agreement(db, who, key)
    reg = authorisation_register(db, key, on or today)
    return Response(
        register_csv(reg).encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="autorisatieregister-{key}-{reg.on}.csv"'},
    )


@router.get(
    "/agreements/{key}/register.pdf",
    response_class=Response,
    dependencies=[Depends(audit_event("export", "autorisatieregister (PDF)"))],
)
def get_register_pdf(key: str, db: Tx, who: Reader, today: Today, on: OnDate = None) -> Response:
    tenancy.ensure_agreement(db, who, key)
    reg = authorisation_register(db, key, on or today)
    return Response(
        register_pdf(reg.as_dict()),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="autorisatieregister-{key}-{reg.on}.pdf"'},
    )


@router.get("/agreements/{key}/warnings", response_model=list[schemas.UpcomingOut])
def get_warnings(
    key: str,
    db: Tx,
    who: Reader,
    today: Today,
    on: OnDate = None,
    days: int = Query(30, alias="dagen", ge=1, le=366),
) -> list[dict[str, object]]:
    """Wat binnen ``dagen`` eindigt: aanwijzingen, het besluit ex artikel 20 Wpg en de looptijd."""
    tenancy.ensure_agreement(db, who, key)
    return [u.as_dict() for u in upcoming_endings(db, key, on or today, days)]


@router.post("/agreements/{key}/declarations", response_model=schemas.RecordedOut, status_code=201)
def post_declaration(
    key: str, body: schemas.DeclarationIn, db: Tx, who: Declarations, settings: AppSettings
) -> schemas.RecordedOut:
    """Een elders ondertekende geheimhoudingsverklaring: grondslag uit het dossier, document met SHA-256."""
    db.actor = who.email
    tenancy.ensure_agreement(db, who, key)
    return register_declaration(db, settings, key, body)


@router.post("/agreements/{key}/evaluations", response_model=schemas.RecordedOut, status_code=201)
def post_evaluation(key: str, body: schemas.EvaluationIn, db: Tx, who: Manager) -> schemas.RecordedOut:
    db.actor = who.email
    tenancy.ensure_agreement(db, who, key)
    agreement = get_agreement(db, key)
    agreements.record_evaluation(db, key, body.datum, body.document, body.toelichting)
    return schemas.RecordedOut(
        melding=f"Schriftelijke evaluatie van {nl_date(body.datum)} vastgelegd.",
        artikel=agreements.event_citation(db, agreement, "evaluatie"),
    )


@router.post("/agreements/{key}/objections", response_model=schemas.RecordedOut, status_code=201)
def post_objection(key: str, body: schemas.ObjectionIn, db: Tx, who: Manager) -> schemas.RecordedOut:
    db.actor = who.email
    tenancy.ensure_agreement(db, who, key)
    agreement = get_agreement(db, key)
    agreements.record_objection(db, key, body.partij, body.datum, body.toelichting)
    status = agreements.agreement_status(db, agreement, body.datum)
    return schemas.RecordedOut(
        melding=f"Bezwaar van {body.partij} tegen verlenging vastgelegd. {' '.join(status.warnings)}".strip(),
        artikel=agreements.event_citation(db, agreement, "bezwaar"),
        tot_en_met=status.until,
    )


@router.post("/agreements/{key}/withdrawals", response_model=schemas.RecordedOut, status_code=201)
def post_withdrawal(key: str, body: schemas.ObjectionIn, db: Tx, who: Manager) -> schemas.RecordedOut:
    """Een partij treedt uit (vanaf ``datum``): haar professionals ontvangen daarna niets meer."""
    db.actor = who.email
    tenancy.ensure_agreement(db, who, key)
    agreement = get_agreement(db, key)
    agreements.record_withdrawal(db, key, body.partij, body.datum, body.toelichting)
    return schemas.RecordedOut(
        melding=f"Uittreding van {body.partij} per {nl_date(body.datum)} vastgelegd; de aanwijzingen van "
        "haar professionals eindigen op de dag ervoor.",
        artikel=agreements.event_citation(db, agreement, "uittreding"),
    )


@router.post("/agreements/{key}/renewal", response_model=schemas.RecordedOut, status_code=201)
def post_renewal(key: str, body: schemas.RenewalIn, db: Tx, who: Manager) -> schemas.RecordedOut:
    db.actor = who.email
    tenancy.ensure_agreement(db, who, key)
    answer = agreements.renew(db, key, body.datum)
    return schemas.RecordedOut(melding=answer.reason, artikel=answer.article, tot_en_met=answer.until)


@router.post(
    "/agreements/{key}/besluiten/{besluit}/revocation", response_model=schemas.RecordedOut, status_code=201
)
def post_revocation(
    key: str, besluit: str, body: schemas.RevocationIn, db: Tx, who: Manager
) -> schemas.RecordedOut:
    db.actor = who.email
    tenancy.ensure_agreement(db, who, key)
    agreement = get_agreement(db, key)
    record = agreements.revoke_besluit(db, key, besluit, body.ingetrokken_per, body.reden)
    late = agreements.provisions_after_revocation(db, record)
    flagged = (
        f" Let op: {count_phrase(len(late), 'verstrekking is', 'verstrekkingen zijn')} vastgelegd op of na "
        "die datum; " + ("zij is" if len(late) == 1 else "zij zijn") + " in het verstrekkingenlog gemarkeerd."
        if late
        else ""
    )
    return schemas.RecordedOut(
        melding=f"Besluit ingetrokken per {nl_date(body.ingetrokken_per)}: vanaf die dag worden geen "
        f"politiegegevens meer verstrekt op grond van dit besluit.{flagged}",
        artikel=agreements.event_citation(db, agreement, "intrekking"),
    )


@router.get("/audit/verify", response_model=schemas.AuditReportOut)
def get_audit_verify(
    settings: AppSettings, db: Tx, who: Auditor, laatste_hash: str | None = None
) -> dict[str, object]:
    """The chain recomputed, and every signed checkpoint of its head checked against it. ``aantal`` counts
    the entries you may read; a problem is described when it is about one of them, the others are counted
    (the chain is one for the instance)."""
    chain = audit_scope.scoped_report(db, who, verify_chain(db.connection(), expected_head=laatste_hash))
    anchors = verify_checkpoints(settings, db.connection())
    problems = [*chain.problems, *anchors.problems]
    return {
        **chain.as_dict(),
        "in_orde": chain.ok and anchors.ok,
        "problemen": problems,
        "controlepunten": anchors.checked,
    }


@router.get("/audit", response_model=list[schemas.AuditEntryOut])
def get_audit(
    db: Tx,
    who: Auditor,
    aantal: Annotated[int, Query(ge=1, le=1000, description="Hoeveel regels (nieuwste eerst)")] = 200,
    voor: Annotated[int | None, Query(ge=1, description="Alleen regels met een lager nummer")] = None,
) -> list[dict[str, object]]:
    """The entries of the audit log you may read, newest first: a privacy officer those of the agreements
    she administers, a beheerder the instance-wide ones of her organisation."""
    return [
        {
            "nummer": e.seq,
            "tijdstip": e.at,
            "door": e.actor,
            "actie": e.action,
            "soort": e.entity,
            "betreft": e.entity_id,
            "overeenkomst": e.agreement_key,
            "wijzigingen": e.changes,
        }
        for e in audit_scope.entries(db, who, limit=aantal, before=voor)
    ]
