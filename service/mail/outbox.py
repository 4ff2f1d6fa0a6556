"""Mail after commit, one mechanism: a service returns the messages its change needs (``Outgoing``), the
handler commits, and only then ``send_all`` sends them. A mail that fails never undoes what was stored: each
failure is logged and returned as a Dutch sentence for the page ("… is opgeslagen, maar de e-mail …")."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from service.mail.errors import MailError
from service.mail.sender import MailMessage, MailSender

log = logging.getLogger("convenant.mail")


@dataclass(frozen=True)
class Outgoing:
    """A message to send once the transaction that made it necessary has committed."""

    message: MailMessage
    what: str  # Dutch, for the log: "uitnodiging", "herinnering", "code", "ondertekend exemplaar", ...
    ref: int | None = None  # the caller's reference (e.g. the link the mail carries), to mark it sent


@dataclass
class Delivered:
    sent: list[Outgoing] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # Dutch, one per message that did not leave


def send_all(sender: MailSender, outbox: Sequence[Outgoing]) -> Delivered:
    """Send every message (after the commit); a failure is logged and returned, the others still go."""
    result = Delivered()
    for item in outbox:
        try:
            sender.send(item.message)
        except MailError as exc:
            log.warning("%s niet verstuurd (de wijziging is wel opgeslagen): %s", item.what, exc.message)
            result.problems.append(exc.message)
            continue
        result.sent.append(item)
    return result
