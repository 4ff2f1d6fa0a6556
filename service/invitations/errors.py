"""Errors of signing by link (Dutch ``message``, machine ``code``; HTTP status in service/errors.py)."""

from __future__ import annotations


class InvitationError(Exception):
    code = "uitnodigingsfout"
    heading = "Er ging iets mis"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def as_problem(self) -> dict[str, str]:
        return {"pad": self.field or "link", "melding": self.message}


class LinkUnknown(InvitationError):
    code = "link_onbekend"
    heading = "Deze link is niet geldig"


class LinkUnusable(InvitationError):
    """Used, expired or revoked: never a second signature."""

    code = "link_niet_meer_geldig"
    heading = "Deze link is niet meer geldig"


class LinkUsed(LinkUnusable):
    code = "link_gebruikt"
    heading = "Deze link is al gebruikt"


class LinkExpired(LinkUnusable):
    code = "link_verlopen"
    heading = "Deze link is verlopen"


class LinkRevoked(LinkUnusable):
    code = "link_ingetrokken"
    heading = "Deze link is ingetrokken"


class LinkDeclined(LinkUnusable):
    code = "link_geweigerd"
    heading = "U heeft niet ondertekend"


class InvalidInvitation(InvitationError):
    code = "ongeldige_invoer"
    heading = "Controleer de invoer"


class RoundConflict(InvitationError):
    code = "conflict"
    heading = "Kan niet (meer)"
