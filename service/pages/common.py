"""What several page modules share: the settings, sending links after commit."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import Depends, Request

from service import deps
from service.accounts.guard import require
from service.accounts.service import Principal
from service.invitations.rounds import Author
from service.settings import Settings

log = logging.getLogger("convenant.pages")


def settings_of(request: Request) -> Settings:
    return deps.settings_of(request)


def who(principal: Principal) -> str:
    return f"{principal.email} ({principal.role.value})"


def author_of(principal: Principal) -> Author:
    """The signed-in staff member as the sender named in an e-mail."""
    return Author(principal.name, principal.email)


def require_dep(key: str):  # type: ignore[no-untyped-def]
    return Annotated[Principal, Depends(require(key))]
