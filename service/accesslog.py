"""Secrets stay out of the access log: signing-link and receipt tokens are part of their URLs.

uvicorn's access log writes each request's path with its query string. ``install`` adds a filter to the
``uvicorn.access`` logger that replaces the token in ``/ondertekenen/<token>`` and ``/ondertekend/<token>``
(and any other long random path segment or query value, e.g. a token pasted into a query string) by
``[verborgen]`` before any handler sees the record. It is installed by the app factory, so it holds for
every way the app is run (``convenant serve``, uvicorn or gunicorn directly, the tests).
"""

from __future__ import annotations

import logging
import re

ACCESS_LOGGER = "uvicorn.access"
HIDDEN = "[verborgen]"
_TOKEN_PATH = re.compile(r"(/onderteken(?:en|d)/)[^/?#\s]+")
_LONG_RANDOM = re.compile(r"(?<=[/=])[A-Za-z0-9_~.%-]{32,}")


def redact(text: str) -> str:
    return _LONG_RANDOM.sub(HIDDEN, _TOKEN_PATH.sub(rf"\g<1>{HIDDEN}", text))


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install() -> None:
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, RedactTokens) for f in logger.filters):
        logger.addFilter(RedactTokens())
