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
    405: "Dat kan hier niet",
    415: "Dit soort bestand kan niet",
    422: "Controleer de invoer",
    429: "Te veel pogingen",
    500: "Er ging iets mis",
    502: "E-mail niet verstuurd",
    503: "Even niet beschikbaar",
}


PAGE_PREFIXES = ("/portaal", "/ondertekenen", "/ondertekend", "/aanmelden")
LINK_PREFIXES = ("/ondertekenen/", "/ondertekend/")


def wants_page(request: Request) -> bool:
    """A page route, or an address no route matched under the pages' prefixes (or asked for by a browser)."""
    route = request.scope.get("route")
    if route is not None:
        return is_page_route(route)
    path = request.url.path
    if path == "/" or any(path == p or path.startswith(p + "/") for p in PAGE_PREFIXES):
        return True
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "json" not in accept


def is_link_page(request: Request) -> bool:
    """The signing pages behind a link: their visitors have no staff account."""
    return request.url.path.startswith(LINK_PREFIXES)


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
    if is_link_page(request):  # a signatory or agendadeelnemer: no staff log-in, the sender helps
        back_href, back_label = None, None
        hint = hint or (
            "Heeft u vragen? Neem contact op met de persoon die u de e-mail met de link stuurde. "
            "Die kan u zo nodig een nieuwe link sturen."
        )
    elif principal:
        back_href, back_label = "/", "Naar de startpagina"
    else:
        back_href, back_label = "/aanmelden", "Naar de aanmeldpagina"
    ctx = {
        "heading": title,
        "message": message,
        "hint": hint,
        "back_href": back_href,
        "back_label": back_label,
    }
    return render(request, "error.html", ctx, status_code=status, title=title)
