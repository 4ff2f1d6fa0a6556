"""Bounded request bodies, enforced before anything else runs (authentication, CSRF, routing).

An ASGI middleware, outermost in the app, so an anonymous client cannot make the service hold or spool
more than it allows (issue 10, item 2):

* a body longer than the route's limit is refused with 413 — at once when ``Content-Length`` says so
  (nothing is read), otherwise as soon as the streamed (chunked) bytes pass the limit;
* a form (``multipart/form-data`` or ``application/x-www-form-urlencoded``) is parsed once here with
  Starlette's strict parser limits (``max_fields``, ``max_part_size``, ``max_files``) and refused when it
  exceeds them; any temporary files of that parse are closed (deleted) before the app sees the body.

The body of an accepted request is at most the limit, so buffering it to replay it to the app costs at
most that much memory. Uploads (a dossier, a PDF to validate) get ``max_upload_bytes``; every other route
``max_request_bytes``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

from starlette.formparsers import MultiPartException
from starlette.requests import Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Routes that take a file: a dossier (API and page), a Word file to import (page) and a PDF to validate.
# Everything else is small.
UPLOAD_ROUTES = {
    ("POST", "/dossiers"),
    ("POST", "/portaal/dossiers"),
    ("POST", "/portaal/editor/nieuw/word"),
    ("POST", "/validate"),
}
# a signatory returning the agreement signed with her own certificate:
# POST /ondertekenen/<token>/eigen-handtekening
OWN_SIGNATURE_SUFFIX = "/eigen-handtekening"


def is_upload(method: str, path: str) -> bool:
    path = path.rstrip("/") or "/"
    if (method, path) in UPLOAD_ROUTES:
        return True
    return method == "POST" and path.startswith("/ondertekenen/") and path.endswith(OWN_SIGNATURE_SUFFIX)


MULTIPART_OVERHEAD = 64 * 1024  # boundaries, headers of the parts, the CSRF field


@dataclass(frozen=True)
class Limits:
    request_bytes: int  # any body
    upload_bytes: int  # the file of an upload route
    form_fields: int  # fields of one form
    form_part_bytes: int  # one non-file form field
    form_files: int  # files of one form (upload routes; 0 elsewhere)

    def body_limit(self, method: str, path: str) -> int:
        if is_upload(method, path):
            return self.upload_bytes + MULTIPART_OVERHEAD
        return self.request_bytes

    def files_allowed(self, method: str, path: str) -> int:
        return self.form_files if is_upload(method, path) else 0


class TooLarge(Exception):
    pass


def _problem(status: int, code: str, message: str) -> tuple[int, bytes]:
    body = {"code": code, "melding": message, "fouten": [{"pad": "verzoek", "melding": message}]}
    return status, json.dumps(body, ensure_ascii=False).encode("utf-8")


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        limit = self.limits.body_limit(method, path)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        declared = headers.get("content-length", "").strip()
        if declared and (not declared.isdigit() or int(declared) > limit):
            await self._refuse(send, *_too_large(limit))
            return
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        is_form = content_type in ("multipart/form-data", "application/x-www-form-urlencoded")
        try:
            body = await _read_all(receive, limit)
        except TooLarge:
            await self._refuse(send, *_too_large(limit))
            return
        if is_form:
            problem = await self._check_form(scope, body, method, path)
            if problem is not None:
                await self._refuse(send, *problem)
                return
        await self.app(scope, _replay(body, receive), send)

    async def _check_form(
        self, scope: Scope, body: bytes, method: str, path: str
    ) -> tuple[int, bytes] | None:
        # Without "app" in the scope Starlette raises its own MultiPartException (not an HTTP 400).
        request = Request({k: v for k, v in scope.items() if k != "app"}, _replay(body, None))
        try:
            form = await request.form(
                max_files=self.limits.files_allowed(method, path),
                max_fields=self.limits.form_fields,
                max_part_size=self.limits.form_part_bytes,
            )
        except MultiPartException as exc:
            if not _over_a_limit(exc.message):
                return None  # malformed, not too big: the route answers it as before
            return _problem(
                413,
                "formulier_te_groot",
                "Het formulier is te groot of heeft te veel velden of bestanden "
                f"(ten hoogste {self.limits.form_fields} velden van {self.limits.form_part_bytes} bytes; "
                f"{exc.message}).",
            )
        except Exception:  # noqa: BLE001 - a malformed form: let the route answer it (422), as before
            return None
        await form.close()  # temporary files of the check are removed now; the app parses its own copy
        return None

    @staticmethod
    async def _refuse(send: Send, status: int, body: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _over_a_limit(message: str) -> bool:
    return "Too many" in message or "exceeded maximum size" in message


def _too_large(limit: int) -> tuple[int, bytes]:
    return _problem(
        413, "te_groot", f"Het verzoek is te groot: ten hoogste {limit:,} bytes.".replace(",", ".")
    )


async def _read_all(receive: Receive, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise TooLarge()
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive | None) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if receive is None:
            return {"type": "http.disconnect"}
        return await receive()  # after the body: wait for the disconnect, as the server reports it

    return replay
