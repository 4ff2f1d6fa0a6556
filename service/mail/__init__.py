"""Sending e-mail: SMTP (host, port, STARTTLS or SSL, credentials from Settings) or, without an SMTP
host, in the demo only, printing each message — with its links — to the console (outside the demo,
without a host, nothing is sent and every send is a ``MailError``: ``NoMailServer``).

    sender = sender_from_settings(settings)
    sender.send(MailMessage(to=["a@b.nl"], subject="…", text="…", attachments=[Attachment(...)]))
"""

from service.mail.errors import MailError
from service.mail.sender import (
    Attachment,
    ConsoleSender,
    MailConfig,
    MailMessage,
    MailSender,
    NoMailServer,
    SmtpSender,
)
from service.mail.wiring import sender_from_settings

__all__ = [
    "Attachment",
    "ConsoleSender",
    "MailConfig",
    "MailError",
    "MailMessage",
    "MailSender",
    "NoMailServer",
    "SmtpSender",
    "sender_from_settings",
]
