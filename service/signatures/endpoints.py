"""HTTP endpoints for signatures (thin: read the upload, call the service, return the report)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from service.accounts.guard import public
from service.deps import AppSettings
from service.failures import InvalidInput, PayloadTooLarge
from service.signatures.service import validate_document

router = APIRouter(tags=["handtekeningen"])

_PDF_TYPES = ("application/pdf", "application/octet-stream")
_OPENAPI_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"bestand": {"type": "string", "format": "binary"}},
                    "required": ["bestand"],
                }
            },
        },
    }
}


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"Het bestand is groter dan de toegestane {limit:,} bytes.".replace(",", "."))


async def _read_upload(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:
        raise _too_large(limit)
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=10)
        upload = form.get("bestand") or form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput(
                "Stuur het PDF-bestand mee in het formulierveld 'bestand'.",
                problems=[{"pad": "bestand", "melding": "is verplicht"}],
            )
        data = await upload.read(limit + 1)
    elif content_type in _PDF_TYPES:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            chunks.append(chunk)
        data = b"".join(chunks)
    else:
        raise InvalidInput(
            "Stuur een PDF-bestand als application/pdf of als multipart/form-data (veld 'bestand').",
            problems=[
                {"pad": "content-type", "melding": f"'{content_type or 'geen'}' wordt niet ondersteund"}
            ],
        )
    if len(data) > limit:
        raise _too_large(limit)
    if not data:
        raise InvalidInput("Het bestand is leeg.", problems=[{"pad": "bestand", "melding": "is leeg"}])
    return data


@router.post(
    "/validate",
    summary="Valideer de handtekeningen in een PDF",
    description=(
        "Geeft per handtekening en documenttijdstempel de uitkomst in de termen van de EU DSS "
        "(TOTAL_PASSED / INDETERMINATE / TOTAL_FAILED met sub-indicatie), de ondertekenaar, de tijden, "
        "het bereikte PAdES-niveau, de vertrouwensketen en wat de handtekening dekt."
    ),
    openapi_extra=_OPENAPI_BODY,
    # Anyone who received a signed document may check it; the upload limit bounds the work per request.
    dependencies=[Depends(public())],
)
async def validate(request: Request, settings: AppSettings) -> dict[str, Any]:
    data = await _read_upload(request, settings.max_upload_bytes)
    report = await run_in_threadpool(validate_document, data, settings)
    return report.as_dict()
