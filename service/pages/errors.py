"""Error pages: the same domain errors as the API, shown as a Dutch HTML page when a page was asked for."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from service.accounts.guard import is_page_route
from service.pages.rendering import render

HEADINGS = {
    401: "Niet aangemeld",
    403: "Geen toegang",
    404: "Niet gevonden",
    409: "Kan niet (meer)",
    410: "Deze link is niet meer geldig",
    413: "Bestand te groot",
    422: "Controleer de invoer",
    429: "Te veel pogingen",
}


def wants_page(request: Request) -> bool:
    return is_page_route(request.scope.get("route"))


def page_error(
    request: Request, status: int, message: str, *, hint: str | None = None, heading: str | None = None
) -> Response:
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "GET":
            target = "/"
        return RedirectResponse(f"/aanmelden?volgende={quote(target, safe='')}", status_code=303)
    principal = getattr(request.state, "principal", None)
    title = heading or HEADINGS.get(status, "Er ging iets mis")
    ctx = {
        "heading": title,
        "message": message,
        "hint": hint,
        "back_href": "/" if principal else "/aanmelden",
        "back_label": "Naar de startpagina" if principal else "Naar de aanmeldpagina",
    }
    return render(request, "error.html", ctx, status_code=status, title=title)
