"""Planning a meeting: the page and the API use one service and answer alike (issue 11).

A key planned again with the same data changes nothing; with another date it is refused (409 naming the
field) and the meeting stays where it was; moving it is an explicit ``PUT``. A date before the agreement
starts and an agreement the planner does not know are refused with the same Dutch reason on both."""

from __future__ import annotations

import html

from fastapi import FastAPI
from fastapi.testclient import TestClient

from service.accounts.roles import Role
from tests.registry.test_api import _h, app, client, staff  # noqa: F401  (fixtures)
from tests.service.accounts_support import Staff, csrf_from, https_client, login

ZEIST = "zeist-wijkgericht-werken-2018"


def _page_plan(page: TestClient, **form: str):  # type: ignore[no-untyped-def]
    token = csrf_from(page.get("/portaal/overleggen").text)
    return page.post("/portaal/overleggen", data={"csrf_token": token, **form})


def _sentence(api_message: str, field: str) -> str:
    """The API's ``veld: reden`` as the page shows it at the field."""
    text = api_message.removeprefix(f"{field}: ")
    return text[:1].upper() + text[1:]


def test_page_and_api_plan_a_meeting_the_same_way(
    app: FastAPI,  # noqa: F811
    client: TestClient,  # noqa: F811
    staff: dict[Role, Staff],  # noqa: F811
) -> None:
    api = _h(staff, Role.COORDINATOR)
    page = login(https_client(app), staff[Role.COORDINATOR].email)

    # Planned on the page: the key is made from the title and the date.
    r = _page_plan(page, overeenkomst=ZEIST, titel="Overleg Noord", datum="2019-06-03")
    assert r.status_code == 303, r.text[:500]
    key = r.headers["location"].split("?")[0].rsplit("/", 1)[1]
    assert key == "overleg-noord-2019-06-03"
    planned = client.get(f"/meetings/{key}", headers=api).json()

    # The API, without a key, makes it the same way.
    made = client.post(
        "/meetings", headers=api, json={"overeenkomst": ZEIST, "titel": "Overleg Zuid", "datum": "2019-07-01"}
    )
    assert made.status_code == 201 and made.json()["sleutel"] == "overleg-zuid-2019-07-01"

    # The same plan again through the API: nothing changes, 200 instead of 201.
    same = {"sleutel": key, "overeenkomst": ZEIST, "titel": "Overleg Noord", "datum": "2019-06-03"}
    again = client.post("/meetings", headers=api, json=same)
    assert again.status_code == 200, again.text
    assert again.json() == planned

    # Another date under the same key: refused naming the field; the meeting does not move.
    moved = client.post("/meetings", headers=api, json={**same, "datum": "2019-06-10"})
    assert moved.status_code == 409, moved.text
    problem = moved.json()["fouten"][0]
    assert problem["pad"] == "datum" and "al gepland (op 3 juni 2019)" in problem["melding"]
    assert f"PUT /meetings/{key}" in problem["melding"]
    assert client.get(f"/meetings/{key}", headers=api).json() == planned
    other_people = client.post("/meetings", headers=api, json={**same, "deelnemers": ["woongoed"]})
    assert other_people.status_code == 409 and other_people.json()["fouten"][0]["pad"] == "deelnemers"

    # Moving is explicit.
    put = client.put(f"/meetings/{key}", headers=api, json={"datum": "2019-06-10", "titel": "Overleg Noord"})
    assert put.status_code == 200, put.text
    assert client.get(f"/meetings/{key}", headers=api).json() == {**planned, "datum": "2019-06-10"}

    # A date before the agreement starts (14 June 2018): the same reason on the page and from the API.
    early = {"overeenkomst": ZEIST, "titel": "Te vroeg", "datum": "2018-01-02"}
    api_early = client.post("/meetings", headers=api, json=early)
    assert api_early.status_code == 422
    problem = api_early.json()["fouten"][0]
    assert (
        problem["pad"] == "datum" and "vóór de start van de overeenkomst (14 juni 2018)" in problem["melding"]
    )
    page_early = _page_plan(page, **early)
    assert page_early.status_code == 422
    assert _sentence(problem["melding"], "datum") in html.unescape(page_early.text)

    # An agreement the planner does not know: the same reason; nothing planned on either.
    unknown = {"overeenkomst": "bestaat-niet", "titel": "Nergens", "datum": "2019-06-03"}
    api_unknown = client.post("/meetings", headers=api, json=unknown)
    assert api_unknown.status_code == 404
    problem = api_unknown.json()["fouten"][0]
    assert problem["pad"] == "overeenkomst"
    page_unknown = _page_plan(page, **unknown)
    assert page_unknown.status_code == 422
    assert _sentence(problem["melding"], "overeenkomst") in html.unescape(page_unknown.text)
    for refused in ("te-vroeg-2018-01-02", "nergens-2019-06-03"):
        assert client.get(f"/meetings/{refused}", headers=api).status_code == 404
