"""The e-mails of signing by link, sent after the commit that made them necessary (``service.mail.outbox``):
``send_after_commit`` sends them and marks each link whose invitation left as sent; ``signed_mails`` are
the mails of a recorded signature (her signed copy with the receipt link, and after the last signature
the final document to everyone). A mail failure never undoes what was stored: it is returned in words."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from service.invitations import links, mails, repository
from service.invitations.links import SignedResult
from service.invitations.models import SigningLink
from service.mail import MailSender
from service.mail.outbox import Outgoing, send_all
from service.settings import Settings


def send_after_commit(db: Session, sender: MailSender, outbox: Sequence[Outgoing]) -> list[str]:
    """Send each message (the transaction that made them has committed); mark each link whose mail left as
    sent, and commit that. Returns the problems (Dutch), empty when everything went out."""
    delivered = send_all(sender, outbox)
    for item in delivered.sent:
        if item.ref is not None:
            links.mark_sent(db, item.ref)
    db.commit()
    return delivered.problems


def signed_mails(settings: Settings, db: Session, link: SigningLink, result: SignedResult) -> list[Outgoing]:
    """The mails of a recorded signature."""
    filename = f"{result.event.document}-{link.name}.pdf".replace(" ", "_").replace("/", "-")
    copy = mails.signed_copy(
        link,
        result.event.document_title,
        result.signed_pdf,
        filename,
        links.receipt_url(settings, result.receipt),
    )
    outbox = [Outgoing(copy, "ondertekend exemplaar")]
    if result.round_completed is not None:
        rnd = result.round_completed
        final = mails.final_copy(
            repository.current_links(db, rnd.id or 0),
            rnd.title,
            result.signed_pdf,
            f"{rnd.dossier_id}-ondertekend.pdf",
            sender=links.contact_of(db, link)["contact_name"] or None,
        )
        outbox.append(Outgoing(final, "volledig ondertekend document"))
    return outbox
