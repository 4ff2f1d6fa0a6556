# ruff: noqa: F811  (pytest fixtures imported from the support modules)
"""A browser that asks for something missing gets a Dutch HTML page from the one handler; the API gets a
problem document with the same Dutch message."""

from __future__ import annotations

import re

from accounts_support import app, https_client, login, make_staff  # noqa: F401
from fastapi import FastAPI

from service.accounts.roles import Role

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def _h1(html: str) -> str:
    m = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert m, html[:500]
    return " ".join(m.group(1).split())


def test_a_missing_dossier_answers_a_browser_with_a_dutch_page_and_the_api_with_a_problem(
    app: FastAPI,
) -> None:
    staff = make_staff(app)
    browser = login(https_client(app), staff[Role.COORDINATOR].email)

    page = browser.get("/portaal/dossiers/bestaat-niet", headers=BROWSER)
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="nl"' in page.text
    assert _h1(page.text) == "Niet gevonden"
    assert "Er is geen dossier met id &#39;bestaat-niet&#39;." in page.text
    assert "Naar de startpagina" in page.text  # a way back for a signed-in person

    api = https_client(app).get(
        "/dossiers/bestaat-niet", headers={"Authorization": f"Bearer {staff[Role.COORDINATOR].token}"}
    )
    assert api.status_code == 404
    assert api.headers["content-type"] == "application/problem+json"
    body = api.json()
    assert body["code"] == "niet_gevonden"
    assert body["melding"] == "Er is geen dossier met id 'bestaat-niet'."
    assert body["status"] == 404 and body["titel"] == "Niet gevonden"


def test_an_unknown_portal_address_and_an_unknown_meeting_are_dutch_pages(app: FastAPI) -> None:
    staff = make_staff(app)
    browser = login(https_client(app), staff[Role.COORDINATOR].email)

    unknown = browser.get("/portaal/bestaat-niet/ook-niet", headers=BROWSER)
    assert unknown.status_code == 404
    assert unknown.headers["content-type"].startswith("text/html")
    assert _h1(unknown.text) == "Niet gevonden"
    assert "Deze pagina bestaat niet." in unknown.text

    meeting = browser.get("/portaal/overleggen/bestaat-niet", headers=BROWSER)
    assert meeting.status_code == 404
    assert meeting.headers["content-type"].startswith("text/html")
    assert _h1(meeting.text) == "Niet gevonden"

    # a page that cannot be used with this method says so in Dutch, as a page
    wrong = browser.put("/portaal/dossiers", headers=BROWSER)
    assert wrong.status_code == 405
    assert wrong.headers["content-type"].startswith("text/html")
    assert "Deze pagina kunt u zo niet gebruiken." in wrong.text


def test_a_browser_without_a_session_is_sent_to_the_log_in_page(app: FastAPI) -> None:
    r = https_client(app).get("/portaal/dossiers/bestaat-niet", headers=BROWSER)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/aanmelden?volgende=")


def test_an_unknown_api_address_stays_a_problem_document(app: FastAPI) -> None:
    r = https_client(app).get("/api-bestaat-niet", headers={"Accept": "application/json"})
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["melding"] == "Niet gevonden."
