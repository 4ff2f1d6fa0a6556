"""Errors of the mail package (Dutch ``message``, machine ``code``)."""

from __future__ import annotations


class MailError(Exception):
    """The message could not be handed to the mail server; nothing was marked as sent."""

    code = "email_niet_verstuurd"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def as_problem(self) -> dict[str, str]:
        return {"pad": "email", "melding": self.message}
