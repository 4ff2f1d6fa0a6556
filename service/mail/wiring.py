"""The sender the settings ask for."""

from __future__ import annotations

from service.mail.sender import ConsoleSender, MailConfig, MailSender, NoMailServer, SmtpSender
from service.settings import Settings


def sender_from_settings(settings: Settings) -> MailSender:
    """SMTP when configured; without ``smtp_host`` the console, but only in the demo (links in a console log
    outside a demo would leak and the invitations would look sent); otherwise every send fails clearly."""
    if not settings.smtp_host:
        return ConsoleSender() if settings.demo else NoMailServer()
    return SmtpSender(
        MailConfig(
            host=settings.smtp_host,
            port=settings.smtp_port,
            starttls=settings.smtp_starttls,
            use_ssl=settings.smtp_ssl,
            username=settings.smtp_username,
            password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
            mail_from=settings.mail_from,
        )
    )
