"""The e-mails after a signature is recorded: her signed copy with the receipt link, and after the last
signature the final document to everyone. A mail failure never undoes the signature: it is returned."""

from __future__ import annotations

from sqlmodel import Session

from service.invitations import mails
from service.invitations import service as links
from service.invitations.models import SigningLink
from service.mail import MailError, MailSender
from service.settings import Settings


def receipt_url(settings: Settings, receipt: str) -> str:
    base = links.link_url(settings, "x").rsplit("/ondertekenen/", 1)[0]
    return f"{base}/ondertekend/{receipt}"


def deliver_signed(
    settings: Settings, sender: MailSender, db: Session, link: SigningLink, result: links.SignedResult
) -> list[str]:
    """Send the mails of a recorded signature; returns the problems (Dutch), empty when all went out."""
    filename = f"{result.event.document}-{link.name}.pdf".replace(" ", "_").replace("/", "-")
    problems = []
    try:
        sender.send(
            mails.signed_copy(
                link,
                result.event.document_title,
                result.signed_pdf,
                filename,
                receipt_url(settings, result.receipt),
            )
        )
    except MailError as exc:
        problems.append(exc.message)
    if result.round_completed is not None:
        rnd = result.round_completed
        everyone = links.current_links(db, rnd.id or 0)
        try:
            sender.send(
                mails.final_copy(
                    everyone,
                    rnd.title,
                    result.signed_pdf,
                    f"{rnd.dossier_id}-ondertekend.pdf",
                    sender=links.contact_of(db, link)["contact_name"] or None,
                )
            )
        except MailError as exc:
            problems.append(exc.message)
    return problems
