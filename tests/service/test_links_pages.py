# ruff: noqa: F811  (pytest fixtures imported from the support modules)
"""Staff pages around signing: bad uploads and bad send requests are refused in Dutch with nothing stored."""

from __future__ import annotations

from pathlib import Path

import yaml
from accounts_support import app, https_client, login, make_staff  # noqa: F401
from links_support import ZEIST, clean_invitation_tables, post_form, upload
from sqlmodel import Session, select

from service.accounts.roles import Role
from service.invitations.models import SigningLink, SigningRound


def test_an_invalid_dossier_upload_names_the_field_and_stores_nothing(app, tmp_path):
    staff = make_staff(app)
    officer = login(https_client(app), staff[Role.PRIVACYFUNCTIONARIS].email)
    data = yaml.safe_load(ZEIST.read_text(encoding="utf-8"))
    data["term"]["start"] = "geen datum"
    page = officer.get("/portaal/dossiers")
    from accounts_support import csrf_from

    r = officer.post(
        "/portaal/dossiers",
        data={"csrf_token": csrf_from(page.text)},
        files={"bestand": ("zeist.yaml", yaml.safe_dump(data).encode(), "application/x-yaml")},
    )
    assert r.status_code == 422
    assert "term.start" in r.text and 'role="alert"' in r.text
    assert not (tmp_path / "dossiers").exists() or not any((tmp_path / "dossiers").iterdir())
    assert "Er zijn nog geen dossiers." in officer.get("/portaal/dossiers").text


def test_the_upload_page_reports_an_incomplete_legal_model(app, tmp_path):
    """Issue 9 point 7: a flow without a legal ground, a condition naming an unknown role and a citation of a
    provision that does not exist are each named with their field; nothing is stored."""
    staff = make_staff(app)
    officer = login(https_client(app), staff[Role.PRIVACYFUNCTIONARIS].email)
    data = yaml.safe_load(ZEIST.read_text(encoding="utf-8"))
    data["legal"]["flows"][0]["grounds"] = []
    data["legal"]["conditions"][7]["roles"] = ["gastspreker"]
    data["legal"]["term"]["source"] = ["artikel-99"]
    page = officer.get("/portaal/dossiers")
    from accounts_support import csrf_from

    r = officer.post(
        "/portaal/dossiers",
        data={"csrf_token": csrf_from(page.text)},
        files={
            "bestand": ("zeist.yaml", yaml.safe_dump(data, allow_unicode=True).encode(), "application/x-yaml")
        },
    )
    assert r.status_code == 422 and 'role="alert"' in r.text
    for field in ("legal.flows.0.grounds", "legal.conditions.7.roles.0", "legal.term.source.0"):
        assert field in r.text, field
    assert "noemt geen grondslag" in r.text and "gastspreker" in r.text and "artikel-99" in r.text
    assert "Er zijn nog geen dossiers." in officer.get("/portaal/dossiers").text


def test_sending_is_refused_when_a_signatory_has_no_email_and_nothing_is_stored(app, test_database_url):
    clean_invitation_tables(test_database_url)
    staff = make_staff(app)
    officer = login(https_client(app), staff[Role.PRIVACYFUNCTIONARIS].email)
    data = yaml.safe_load(ZEIST.read_text(encoding="utf-8"))
    del data["parties"][2]["signatories"][0]["email"]
    dossier_id = upload(officer, Path("zeist.yaml"), yaml.safe_dump(data, allow_unicode=True).encode())
    r = post_form(officer, f"/portaal/dossiers/{dossier_id}", f"/portaal/dossiers/{dossier_id}/ondertekening")
    assert r.status_code == 422
    assert "signatories.schuurmans.email" in r.text and "heeft geen e-mailadres" in r.text
    with Session(app.state.engine) as db:
        assert db.exec(select(SigningRound)).all() == [] and db.exec(select(SigningLink)).all() == []


def test_dossier_page_shows_dates_in_dutch_and_coordinator_sees_no_send_button(app):
    staff = make_staff(app)
    officer = login(https_client(app), staff[Role.PRIVACYFUNCTIONARIS].email)
    dossier_id = upload(officer)
    page = officer.get(f"/portaal/dossiers/{dossier_id}").text
    assert "14 juni 2018" in page and "Ter ondertekening versturen" in page
    coordinator = login(https_client(app), staff[Role.COORDINATOR].email)
    page = coordinator.get(f"/portaal/dossiers/{dossier_id}").text
    assert "14 juni 2018" in page and "Ter ondertekening versturen" not in page
