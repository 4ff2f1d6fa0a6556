"""Service-level signing errors (mapped to HTTP by ``service.errors``, like every ``Failure``)."""

from __future__ import annotations

from service.failures import Forbidden, NotFound


class SignatureRefused(Forbidden):
    """The registry's rule says this person may not sign this document for this party on this date."""

    code = "ondertekening_geweigerd"


class SignatoryUnknown(NotFound):
    code = "ondertekenaar_onbekend"
