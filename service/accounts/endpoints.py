"""API endpoints of the accounts package (thin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from service.accounts.guard import require
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
