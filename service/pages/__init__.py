"""Server-rendered staff pages and the signing pages (Dutch, no JavaScript needed, WCAG 2.1 AA).

One module per group of pages, each with its ``router`` (assembled in ``service.routes``); ``render``
(``rendering``) and ``page_error`` / ``wants_page`` (``errors``) are used by other packages' page handlers
(e.g. the signing link pages in ``service.invitations``) and by the one error handler (``service.errors``).
"""

from __future__ import annotations

from service.pages.errors import page_error, wants_page
from service.pages.rendering import render

__all__ = ["page_error", "render", "wants_page"]
