"""What several page modules share: the settings, sending links after commit."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from service.accounts.guard import require
from service.accounts.service import Principal
from service.invitations import service as links
from service.mail import MailError, MailMessage
from service.settings import Settings

log = logging.getLogger("convenant.pages")


def settings_of(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def who(principal: Principal) -> str:
    return f"{principal.email} ({principal.role.value})"


def send_after_commit(request: Request, db: Session, items: list[tuple[int, MailMessage]]) -> list[str]:
    """Send each message (after the links were committed); mark each link sent. Returns Dutch problems."""
    sender = request.app.state.mail_sender
    problems = []
    for link_id, message in items:
        try:
            sender.send(message)
        except MailError as exc:
            problems.append(exc.message)
            log.warning("uitnodiging niet verstuurd: %s", exc.message)
            continue
        links.mark_sent(db, link_id)
    db.commit()
    return problems


def require_dep(key: str):  # type: ignore[no-untyped-def]
    return Annotated[Principal, Depends(require(key))]
