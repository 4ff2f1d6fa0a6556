"""Mail senders: SMTP, or the console (demo). A message is plain text (links stay readable and clickable)."""

from __future__ import annotations

import re
import smtplib
import ssl
import sys
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from typing import Protocol, TextIO

from service.mail.errors import MailError


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    mime_type: str = "application/pdf"


@dataclass(frozen=True)
class MailMessage:
    to: list[str]
    subject: str
    text: str
    to_names: dict[str, str] = field(default_factory=dict)  # address -> display name
    attachments: list[Attachment] = field(default_factory=list)


@dataclass(frozen=True)
class MailConfig:
    host: str
    port: int = 25
    starttls: bool = False
    use_ssl: bool = False
    username: str | None = None
    password: str | None = None
    mail_from: str = "convenant@localhost"
    timeout: float = 30.0
    ssl_context: ssl.SSLContext | None = None  # None: the system's default verification


class MailSender(Protocol):
    def send(self, message: MailMessage) -> None: ...


_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")


def header_text(value: str) -> str:
    """A value fit for a header: line breaks and control characters become one space (no header injection;
    inputs are refused earlier with a Dutch message, this is the last line of defence)."""
    return _CONTROL.sub(" ", value).strip()


def build_email(message: MailMessage, mail_from: str) -> EmailMessage:
    for address in [*message.to, mail_from]:
        if _CONTROL.search(address):
            raise MailError(f"Ongeldig e-mailadres (bevat een regeleinde): {address!r}.")
    msg = EmailMessage()
    msg["From"] = formataddr(("Convenant", mail_from))
    msg["To"] = ", ".join(formataddr((header_text(message.to_names.get(a, "")), a)) for a in message.to)
    msg["Subject"] = header_text(message.subject)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=mail_from.rpartition("@")[2] or "localhost")
    msg["Content-Language"] = "nl"
    msg.set_content(message.text)
    for a in message.attachments:
        maintype, _, subtype = a.mime_type.partition("/")
        msg.add_attachment(a.data, maintype=maintype, subtype=subtype, filename=a.filename)
    return msg


class SmtpSender:
    def __init__(self, config: MailConfig) -> None:
        if config.starttls and config.use_ssl:
            raise MailError("E-mailinstellingen: kies STARTTLS óf SSL, niet beide (smtp_starttls, smtp_ssl).")
        self.config = config

    def send(self, message: MailMessage) -> None:
        c = self.config
        email = build_email(message, c.mail_from)
        try:
            if c.use_ssl:
                ctx = c.ssl_context or ssl.create_default_context()
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=ctx)
            else:
                smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
            with smtp:
                smtp.ehlo()
                if c.starttls:
                    smtp.starttls(context=c.ssl_context or ssl.create_default_context())
                    smtp.ehlo()
                if c.username:
                    smtp.login(c.username, c.password or "")
                refused = smtp.send_message(email, from_addr=c.mail_from, to_addrs=message.to)
        except smtplib.SMTPAuthenticationError:
            raise MailError(
                "De mailserver weigerde de inloggegevens (smtp_username/smtp_password)."
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(
                f"De e-mail aan {', '.join(message.to)} kon niet worden verstuurd via {c.host}:{c.port} "
                f"({type(exc).__name__}: {exc})."
            ) from None
        if refused:
            raise MailError(f"De mailserver weigerde de ontvanger(s): {', '.join(sorted(refused))}.")


class NoMailServer:
    """No SMTP server configured outside the demo: nothing is sent (nor printed), each send is a MailError,
    so the link stays "nog niet verstuurd" and the page says the e-mail failed."""

    def send(self, message: MailMessage) -> None:
        raise MailError(
            f"Er is geen mailserver ingesteld (CONVENANT_SMTP_HOST): de e-mail aan {', '.join(message.to)} "
            "is niet verstuurd."
        )


class ConsoleSender:
    """For the demo: print the message (not the attachments' bytes) instead of sending it."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out
        self.sent: list[MailMessage] = []

    def send(self, message: MailMessage) -> None:
        self.sent.append(message)
        out = self.out or sys.stdout
        files = ", ".join(
            f"{a.filename} ({len(a.data):,} bytes)".replace(",", ".") for a in message.attachments
        )
        print(
            "\n".join(
                [
                    "=" * 72,
                    "E-MAIL (demo: niet verstuurd, hier getoond)",
                    f"Aan:       {', '.join(message.to)}",
                    f"Onderwerp: {message.subject}",
                    *([f"Bijlagen:  {files}"] if files else []),
                    "-" * 72,
                    message.text,
                    "=" * 72,
                ]
            ),
            file=out,
            flush=True,
        )
