"""The name of a signature field: ``sig-<key>``, the one form the documents and the signing flows use.

A signatory's field is ``sig-<signatory key>`` in every document they sign; the fixed fields are
``sig-agendadeelnemer`` (the declaration), ``sig-besluit`` (the besluit ex art. 20 Wpg) and, in the service,
``sig-controlepunt`` (an audit checkpoint).
"""

from __future__ import annotations

import re

PREFIX = "sig-"
FIELD_NAME = re.compile(r"sig-[a-z0-9_.-]+")


def signature_field(key: str) -> str:
    """``"janssen"`` -> ``"sig-janssen"``."""
    return f"{PREFIX}{key}"


def is_signature_field(name: str) -> bool:
    """Whether ``name`` has the form of one of our signature fields (``sig-`` and a key)."""
    return FIELD_NAME.fullmatch(name) is not None
