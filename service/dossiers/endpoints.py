"""HTTP endpoints for dossiers (thin: parse, call service, return schema)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from service.accounts.guard import require
from service.db import Tx
from service.dossiers import service
from service.dossiers.schemas import DocumentOut, DossierDetail, DossierSummary, ProblemOut, UploadResult
from service.errors import NotFound, PayloadTooLarge
from service.settings import Settings
from templates import Dossier, Problem

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


def _settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


SettingsDep = Annotated[Settings, Depends(_settings)]


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
        gemeente=dossier.municipality,
        soort=dossier.kind,
        documenten=f"/dossiers/{dossier.id}/documents",
    )


@router.post(
    "",
    response_model=UploadResult,
    status_code=201,
    openapi_extra=_UPLOAD_BODY,
    dependencies=[Depends(require("dossiers.beheren"))],
    summary="Dossier uploaden (YAML of JSON); fouten blokkeren opslag (422), waarschuwingen komen mee",
)
async def upload_dossier(request: Request, response: Response, settings: SettingsDep, db: Tx) -> UploadResult:
    body = await _read_limited(request, settings.max_upload_bytes)
    result = await run_in_threadpool(
        service.upload_and_register, settings, db, body, "upload", request.headers.get("content-type")
    )
    if result.replaced:
        response.status_code = 200
    return UploadResult(
        id=result.dossier.id,
        titel=result.dossier.title,
        vervangen=result.replaced,
        waarschuwingen=[_problem(p) for p in result.warnings],
        documenten=_documents(request, result.dossier),
    )


@router.get(
    "",
    response_model=list[DossierSummary],
    dependencies=[Depends(require("dossiers.lezen"))],
    summary="Alle dossiers",
)
def list_dossiers(settings: SettingsDep) -> list[DossierSummary]:
    return [_summary(d) for d in service.list_dossiers(settings)]


@router.get(
    "/schema", dependencies=[Depends(require("dossiers.lezen"))], summary="JSON Schema van een dossier"
)
def dossier_schema() -> dict[str, Any]:
    from templates import dossier_json_schema

    return dossier_json_schema()


@router.get(
    "/{dossier_id}",
    response_model=DossierDetail,
    dependencies=[Depends(require("dossiers.lezen"))],
    summary="Eén dossier met zijn consistentierapport",
)
def get_dossier(dossier_id: str, settings: SettingsDep) -> DossierDetail:
    dossier = service.get_dossier(settings, dossier_id)
    return DossierDetail(
        samenvatting=_summary(dossier),
        rapport=[_problem(p) for p in service.report(dossier)],
        dossier=dossier.model_dump(mode="json"),
    )


@router.get(
    "/{dossier_id}/documents",
    response_model=list[DocumentOut],
    dependencies=[Depends(require("dossiers.lezen"))],
    summary="De documenten van de set",
)
def list_documents(dossier_id: str, request: Request, settings: SettingsDep) -> list[DocumentOut]:
    return _documents(request, service.get_dossier(settings, dossier_id))


@router.get(
    "/{dossier_id}/documents/{name}.{fmt}",
    dependencies=[Depends(require("dossiers.lezen"))],
    responses={200: {"content": {MEDIA["pdf"]: {}, MEDIA["docx"]: {}}}},
    response_class=Response,
    summary="Een document als PDF of DOCX",
)
def get_document(dossier_id: str, name: str, fmt: str, settings: SettingsDep) -> Response:
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
