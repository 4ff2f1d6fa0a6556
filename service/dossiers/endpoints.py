"""HTTP endpoints for dossiers (thin: parse, call service, return schema)."""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from service.accounts import tenancy
from service.accounts.guard import require
from service.accounts.service import Principal
from service.deps import AppSettings, Tx
from service.dossiers import service, versions
from service.dossiers.schemas import (
    DocumentOut,
    DossierDetail,
    DossierSummary,
    ProblemOut,
    SigningStateOut,
    UploadResult,
    VersionOut,
)
from service.failures import NotFound, PayloadTooLarge
from templates import Dossier, Problem, dossier_json_schema

router = APIRouter(prefix="/dossiers", tags=["dossiers"])

MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "Het dossier als YAML of JSON (zie GET /dossiers/schema voor het JSON Schema).",
        "content": {
            "application/yaml": {"schema": {"type": "string"}},
            "application/json": {"schema": {"type": "object"}},
        },
    }
}


SettingsDep = AppSettings
Reader = Annotated[Principal, Depends(require("dossiers.lezen"))]
Manager = Annotated[Principal, Depends(require("dossiers.beheren"))]


async def _read_limited(request: Request, limit: int) -> bytes:
    """Read the body, stopping as soon as it exceeds ``limit`` (never the whole of an oversized upload)."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"Het dossier is te groot ({declared} bytes; ten hoogste {limit}).")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise PayloadTooLarge(f"Het dossier is te groot (meer dan {limit} bytes).")
    return bytes(body)


def _problem(p: Problem) -> ProblemOut:
    return ProblemOut(pad=p.path, melding=p.message, ernst=p.severity, code=p.code)


def _documents(request: Request, dossier: Dossier) -> list[DocumentOut]:
    base = f"/dossiers/{dossier.id}/documents"
    return [
        DocumentOut(naam=name, titel=title, pdf=f"{base}/{name}.pdf", docx=f"{base}/{name}.docx")
        for name, title in service.documents(dossier)
    ]


def _summary(dossier: Dossier) -> DossierSummary:
    return DossierSummary(
        id=dossier.id,
        titel=dossier.title,
        gemeente=dossier.area,
        soort=dossier.kind,
        documenten=f"/dossiers/{dossier.id}/documents",
    )


@router.post(
    "",
    response_model=UploadResult,
    status_code=201,
    openapi_extra=_UPLOAD_BODY,
    summary="Dossier uploaden (YAML of JSON); fouten blokkeren opslag (422), waarschuwingen komen mee",
)
async def upload_dossier(
    request: Request,
    response: Response,
    settings: SettingsDep,
    db: Tx,
    principal: Manager,
    toelichting: Annotated[str, Query(max_length=1000, description="Toelichting bij deze versie")] = "",
    nieuwe_versie_na_ondertekening: Annotated[
        Literal["ja", "nee"],
        Query(
            description="'ja': het dossier is volledig ondertekend en u wilt uitdrukkelijk een nieuwe versie "
            "maken; de handtekeningen op de ondertekende versie gelden daar niet voor. Zonder 'ja' wordt een "
            "ondertekende versie nooit vervangen (409)."
        ),
    ] = "nee",
) -> UploadResult:
    body = await _read_limited(request, settings.max_upload_bytes)
    author = f"{principal.email} ({principal.role.value})"
    result = await run_in_threadpool(
        partial(
            service.upload_and_register,
            settings,
            db,
            body,
            "upload",
            request.headers.get("content-type"),
            author=author,
            comment=toelichting,
            new_version_after_signing=nieuwe_versie_na_ondertekening == "ja",
            owner=principal,
        )
    )
    if result.replaced:
        response.status_code = 200
    return UploadResult(
        id=result.dossier.id,
        titel=result.dossier.title,
        vervangen=result.replaced,
        versie=result.version or 0,
        ondertekende_versie=result.signed_version,
        let_op=(
            service.SIGNED_CHANGE_HELP.format(n=result.signed_version)
            if result.signed_version is not None
            else None
        ),
        waarschuwingen=[_problem(p) for p in result.warnings],
        documenten=_documents(request, result.dossier),
    )


@router.get(
    "",
    response_model=list[DossierSummary],
    summary="De dossiers van de overeenkomsten waartoe u toegang hebt",
)
def list_dossiers(settings: SettingsDep, db: Tx, who: Reader) -> list[DossierSummary]:
    scope = tenancy.agreement_scope(db, who)
    return [_summary(d) for d in service.list_dossiers(settings) if d.id in scope]


@router.get(
    "/schema", dependencies=[Depends(require("dossiers.lezen"))], summary="JSON Schema van een dossier"
)
def dossier_schema() -> dict[str, Any]:
    return dossier_json_schema()


@router.get(
    "/{dossier_id}",
    response_model=DossierDetail,
    summary="Eén dossier met zijn consistentierapport",
)
def get_dossier(dossier_id: str, settings: SettingsDep, db: Tx, who: Reader) -> DossierDetail:
    tenancy.ensure_dossier(db, who, dossier_id)
    dossier = service.get_dossier(settings, dossier_id)
    state = versions.signed_state(db, dossier.id)
    rnd = state.latest_round
    return DossierDetail(
        samenvatting=_summary(dossier),
        versie=state.current.number if state.current else None,
        ondertekening=None
        if rnd is None
        else SigningStateOut(
            status=rnd.status,
            versie=rnd.dossier_version,
            geldt_voor_huidige_versie=rnd.status == "voltooid" and not state.changed_after_signing,
        ),
        rapport=[_problem(p) for p in service.report(dossier)],
        dossier=dossier.model_dump(mode="json"),
    )


@router.get(
    "/{dossier_id}/documents",
    response_model=list[DocumentOut],
    summary="De documenten van de set",
)
def list_documents(
    dossier_id: str, request: Request, settings: SettingsDep, db: Tx, who: Reader
) -> list[DocumentOut]:
    tenancy.ensure_dossier(db, who, dossier_id)
    return _documents(request, service.get_dossier(settings, dossier_id))


@router.get(
    "/{dossier_id}/documents/{name}.{fmt}",
    responses={200: {"content": {MEDIA["pdf"]: {}, MEDIA["docx"]: {}}}},
    response_class=Response,
    summary="Een document als PDF of DOCX",
)
def get_document(
    dossier_id: str, name: str, fmt: str, settings: SettingsDep, db: Tx, who: Reader
) -> Response:
    tenancy.ensure_dossier(db, who, dossier_id)
    if fmt not in MEDIA:
        raise NotFound(f"Onbekend formaat '{fmt}': kies .pdf of .docx.")
    data = service.render(settings, dossier_id, name, fmt)
    return Response(
        data,
        media_type=MEDIA[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{dossier_id}-{name}.{fmt}"',
            "Cache-Control": "private, no-store",
        },
    )


@router.get(
    "/{dossier_id}/versies",
    response_model=list[VersionOut],
    summary="De versies van een dossier (wie, wanneer, toelichting, ondertekening)",
)
def list_versions(dossier_id: str, settings: SettingsDep, db: Tx, who: Reader) -> list[VersionOut]:
    tenancy.ensure_dossier(db, who, dossier_id)
    dossier = service.get_dossier(settings, dossier_id)
    state = versions.signed_state(db, dossier.id)
    out = []
    for v in versions.history(db, dossier.id):
        rounds = [sv for sv in state.signed if sv.number == v.number]
        out.append(
            VersionOut(
                versie=v.number,
                gemaakt=v.created_at,
                door=v.author,
                hoe=v.source_label,
                toelichting=v.comment,
                sha256=v.sha256,
                ondertekening=[sv.round.status for sv in rounds],
                ondertekend_door=[e.signer_name for sv in rounds for e in sv.signers],
                yaml=f"/dossiers/{dossier.id}/versies/{v.number}.yaml",
            )
        )
    return out


@router.get(
    "/{dossier_id}/versies/{number}.yaml",
    response_class=Response,
    responses={200: {"content": {"application/yaml": {}}}},
    summary="De tekst van één versie (YAML, zoals opgeslagen)",
)
def export_version(dossier_id: str, number: int, settings: SettingsDep, db: Tx, who: Reader) -> Response:
    tenancy.ensure_dossier(db, who, dossier_id)
    dossier = service.get_dossier(settings, dossier_id)
    version = versions.get(db, dossier.id, number)
    if version is None:
        raise NotFound(f"Dossier '{dossier.id}' heeft geen versie {number}.")
    return Response(
        versions.text_of(settings, version),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{dossier.id}-versie-{number}.yaml"'},
    )
