"""API endpoints of the accounts package (thin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from service.accounts import service
from service.accounts.guard import DbSession, client_ip, require
from service.accounts.permissions import PERMISSIONS
from service.accounts.service import Principal

router = APIRouter(prefix="/api/account", tags=["account"])


class AccountOut(BaseModel):
    email: str
    naam: str
    rol: str
    rechten: list[str]


@router.get("", response_model=AccountOut, summary="Wie ben ik (bij deze API-sleutel)?")
def whoami(principal: Annotated[Principal, Depends(require("account.eigen"))]) -> AccountOut:
    rights = sorted(k for k, p in PERMISSIONS.items() if principal.role in p.roles)
    return AccountOut(email=principal.email, naam=principal.name, rol=principal.role.value, rechten=rights)


class PasswordChange(BaseModel):
    huidig: str = Field(max_length=1024, description="Het huidige wachtwoord")
    nieuw: str = Field(
        max_length=1024,
        description="Het nieuwe wachtwoord: minstens 12 tekens, niet veelgebruikt of gelekt, zonder naam of "
        "e-mailadres",
    )


class Notice(BaseModel):
    melding: str


@router.post(
    "/wachtwoord",
    response_model=Notice,
    summary="Eigen wachtwoord wijzigen (alle sessies van het account eindigen)",
)
def change_password(
    body: PasswordChange,
    request: Request,
    db: DbSession,
    principal: Annotated[Principal, Depends(require("account.eigen"))],
) -> Notice:
    service.change_password(db, principal.user_id, body.huidig, body.nieuw, client_ip(request))
    return Notice(melding="Het wachtwoord is gewijzigd; alle sessies van het account zijn beëindigd.")
