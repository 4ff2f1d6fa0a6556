"""Text as the documents print it: control characters removed, the bullet."""

from __future__ import annotations

import re

BULLET = "•"

# Control characters other than tab and newline cannot be represented in DOCX (XML 1.0) or PDF text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def clean(text: str) -> str:
    return _CONTROL.sub("", text)
