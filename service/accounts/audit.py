"""Security events in the hash-chained audit log (``registry.audit``), beside the row changes the audited
session records by itself (accounts created, blocked, a role changed).

- ``record``: one event in the caller's transaction (sign-in, a rejected password, code, API key or link,
  API key use) — it commits or rolls back with what it describes.
- ``event(action, ...)``: a route dependency that records that the route was used (download of a signed
  document, an export, a meeting check) in the request's transaction: a request that fails leaves no entry.
- ``record_refusal``: a 403 for a signed-in person (no permission, or a form without a valid CSRF token),
  written in a transaction of its own after the request's was rolled back. Anonymous refusals are not
  logged one by one (anyone could fill the log); anonymous guessing is recorded through the rate limits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlmodel import Session

from registry.audit import Change, append
from registry.database import writer
from service.accesslog import redact
from service.accounts import repository
from service.accounts.database import db_session
from service.accounts.permissions import allowed
from service.accounts.service import Principal, organisation_id

ENTITY = "beveiliging"


def actor_of(principal: Principal | None) -> str:
    return f"{principal.email} ({principal.role.value})" if principal is not None else "anoniem"


def client_of(request: Request) -> str:
    return request.client.host if request.client else "onbekend"


ACTION_MAX, SUBJECT_MAX, ACTOR_MAX = 20, 80, 300  # the columns of reg_audit (PostgreSQL enforces them)


def change(
    action: str,
    *,
    actor: str,
    subject: str,
    details: dict[str, Any],
    agreement: str | None = None,
    organisation: int | None = None,
) -> Change:
    """An audit change that fits the columns: an action of at most 20 characters (the rest of what happened
    goes into ``details``), the subject and actor cut to their column; filed under ``agreement`` (None:
    instance-wide)."""
    assert len(action) <= ACTION_MAX, action
    return Change(actor[:ACTOR_MAX], action, ENTITY, subject[:SUBJECT_MAX], details, agreement, organisation)


def record(
    db: Session,
    action: str,
    *,
    actor: str,
    subject: str = "-",
    details: dict[str, Any] | None = None,
    agreement: str | None = None,
) -> None:
    """One event in the caller's transaction, filed under ``agreement`` (or the agreement the request's
    access checks named) and the organisation of the signed-in account."""
    info = db.info
    item = change(
        action,
        actor=actor,
        subject=subject,
        details=details or {},
        agreement=agreement or info.get("agreement"),
        organisation=info.get("organisation"),
    )
    append(db.connection(), [item])


def agreement_of_request(request: Request, db: Session) -> str | None:
    """The agreement a request is about, from its path (a dossier id, an agreement key, a meeting) or its
    ``overeenkomst`` query parameter; None when it names none (or an unknown meeting)."""
    params, path = request.path_params, request.url.path
    if "dossier_id" in params:
        return str(params["dossier_id"])
    if path.startswith("/agreements/") and "key" in params:
        return str(params["key"])
    ref = params.get("ref") if path.startswith("/meetings/") else None
    if ref is None and path.startswith("/portaal/overleggen/"):
        ref = params.get("key")
    if ref is not None:
        return repository.agreement_key_of_meeting(db, str(ref))
    query = request.query_params.get("overeenkomst")
    return query or None


def event(action: str, what: str, *, only_if: str | None = None) -> Callable[..., Any]:
    """A route dependency recording ``action`` ("download", "export", "vergadertoets") of ``what`` (e.g.
    "ondertekend document") with the path's parameters as subject; with ``only_if``, only for principals
    holding that permission."""

    def dependency(request: Request, db: Annotated[Session, Depends(db_session)]) -> None:
        principal: Principal | None = getattr(request.state, "principal", None)
        if only_if is not None and (principal is None or not allowed(principal.role, only_if)):
            return
        params = request.path_params
        subject = redact("/".join(str(v) for v in params.values()) or request.url.path)
        details = {"wat": what, "pad": redact(request.url.path), "ip": client_of(request)}
        agreement = agreement_of_request(request, db)
        record(db, action, actor=actor_of(principal), subject=subject, details=details, agreement=agreement)

    dependency.__name__ = "audit_" + "_".join(f"{action} {what}".split())
    return dependency


def record_refusal(request: Request, status: int, code: str, message: str) -> None:
    """A refusal of a signed-in person, in a transaction of its own (the request's was rolled back)."""
    principal: Principal | None = getattr(request.state, "principal", None)
    engine: Engine | None = getattr(request.app.state, "engine", None)
    if principal is None or engine is None:
        return
    details = {
        "status": status,
        "code": code,
        "methode": request.method,
        "pad": redact(request.url.path),
        "ip": client_of(request),
        "melding": message[:300],
    }
    with Session(engine) as db:  # read only: which agreement and organisation the refusal concerns
        agreement = agreement_of_request(request, db)
        organisation = organisation_id(db, principal.user_id)
    refusal = change(
        "geweigerd",
        actor=actor_of(principal),
        subject=redact(request.url.path),
        details=details,
        agreement=agreement,
        organisation=organisation,
    )
    with writer(engine).begin() as conn:
        append(conn, [refusal])
