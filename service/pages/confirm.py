"""A confirmation step for actions that cannot be undone, without JavaScript.

The button on a page posts to the action itself; without ``bevestigd=ja`` the handler answers with this
page, which names the consequence and posts the same fields again with ``bevestigd=ja`` ("Ja, …") or
goes back ("Nee, terug"). Nothing happens before the second post.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import Response

from service.pages.rendering import render

CONFIRMED = "ja"
Confirmed = Annotated[str, Form(max_length=3)]  # the "bevestigd" field of a destructive form


def confirm_page(
    request: Request,
    *,
    question: str,
    consequence: str,
    button: str,
    back: str,
    fields: dict[str, str] | None = None,
) -> Response:
    ctx = {
        "question": question,
        "consequence": consequence,
        "button": button,
        "action": request.url.path,
        "back": back,
        "fields": fields or {},
    }
    return render(request, "confirm.html", ctx, title=question)
