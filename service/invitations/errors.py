"""Errors of signing by link (Dutch ``message``, machine ``code``; HTTP status in service/errors.py)."""

from __future__ import annotations

from service.failures import Failure


class InvitationError(Failure):
    code = "uitnodigingsfout"
    default_field = "link"
    heading = "Er ging iets mis"  # the heading of the error page a signatory sees


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
