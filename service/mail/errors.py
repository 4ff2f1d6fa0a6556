"""Errors of the mail package (Dutch ``message``, machine ``code``)."""

from __future__ import annotations

from service.failures import Failure


class MailError(Failure):
    """The message could not be handed to the mail server; nothing was marked as sent."""

    code = "email_niet_verstuurd"
    default_field = "email"
