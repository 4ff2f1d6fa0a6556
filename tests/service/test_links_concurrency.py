# ruff: noqa: F811  (pytest fixtures imported from the support modules)
"""Two submits of one link at the same moment (double click, two devices): exactly one signature."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from accounts_support import csrf_from, https_client, login, make_app, make_staff
from links_support import clean_invitation_tables, post_form, request_code, token_from, upload
from mail_support import smtp_server  # noqa: F401
from sqlmodel import Session, select

from service.accounts.roles import Role
from service.invitations.models import SigningEvent, SigningRound

pytestmark = pytest.mark.db  # runs on SQLite and again on PostgreSQL


def test_two_simultaneous_submits_of_one_link_sign_once(tmp_path: Path, test_database_url: str, smtp_server):
    inbox, port = smtp_server
    app = make_app(tmp_path, test_database_url, smtp_host="127.0.0.1", smtp_port=port)
    try:
        clean_invitation_tables(test_database_url)
        staff = make_staff(app)
        officer = login(https_client(app), staff[Role.PRIVACYFUNCTIONARIS].email)
        dossier_id = upload(officer)
        post_form(officer, f"/portaal/dossiers/{dossier_id}", f"/portaal/dossiers/{dossier_id}/ondertekening")
        token = token_from(inbox, "burgemeester@zeist.example.nl")
        devices = [https_client(app), https_client(app)]
        code = request_code(devices[0], token, inbox)
        pages = [d.get(f"/ondertekenen/{token}").text for d in devices]
        forms = [{"csrf_token": csrf_from(p), "akkoord": "ja", "code": code} for p in pages]
        start = threading.Barrier(2)
        results: list[int] = []

        def submit(i: int) -> None:
            start.wait()
            results.append(devices[i].post(f"/ondertekenen/{token}", data=forms[i]).status_code)

        threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert sorted(results) == [303, 410]
        with Session(app.state.engine) as db:
            assert len(db.exec(select(SigningEvent)).all()) == 1
            assert db.exec(select(SigningRound)).one().version == 1
    finally:
        app.state.engine.dispose()
