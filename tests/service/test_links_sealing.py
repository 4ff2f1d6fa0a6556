# ruff: noqa: F811  (pytest fixtures imported from the support modules)
"""With a TSA configured, the agreement is sealed with a document timestamp once the last party signs
(PAdES B-LTA): every signature and the seal validate offline against the configured root."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from accounts_support import https_client, login, make_app, make_staff
from links_support import clean_invitation_tables, post_form, sign_agreement_link, token_from, upload
from mail_support import attachments, smtp_server  # noqa: F401

from service.accounts.roles import Role
from signing import TrustConfig, validate_pdf
from tests.signing.pki import TestPki, start_test_pki

pytestmark = pytest.mark.db

SIGNERS = [
    "burgemeester@zeist.example.nl",
    "teamchef.zblw@politie.example.nl",
    "directie@rkwbv.example.nl",
    "directie@meander.example.nl",
    "directie@woongoed.example.nl",
]


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestPki]:
    pki = start_test_pki(tmp_path_factory.mktemp("pki"))
    yield pki
    pki.stop()


def test_last_signature_seals_the_agreement_with_a_document_timestamp(
    tmp_path: Path, test_database_url: str, smtp_server, pki: TestPki
) -> None:  # type: ignore[no-untyped-def]
    inbox, port = smtp_server
    app = make_app(
        tmp_path,
        test_database_url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        base_url="https://convenant.zeist.example",
        pkcs12_path=pki.signer_p12,
        pkcs12_passphrase=pki.passphrase,
        signing_ca_pkcs12_path=pki.signing_ca_p12,
        signing_ca_pkcs12_passphrase=pki.passphrase,
        tsa_url=pki.tsa_url,
        trust_roots=[pki.root_path],
        signature_level="B-T",
    )
    try:
        clean_invitation_tables(test_database_url)
        staff = make_staff(app)
        officer = login(https_client(app), staff[Role.PRIVACYFUNCTIONARIS].email)
        dossier_id = upload(officer)
        r = post_form(
            officer, f"/portaal/dossiers/{dossier_id}", f"/portaal/dossiers/{dossier_id}/ondertekening"
        )
        assert r.status_code == 303, r.text[:500]
        for address in SIGNERS:
            token = token_from(inbox, address)
            r = sign_agreement_link(https_client(app), token, inbox)
            assert r.status_code == 303, r.text[:500]
        final = [m for m in inbox.messages if m["Subject"].strip().startswith("Volledig ondertekend: ")]
        assert len(final) == 1
        [pdf] = attachments(final[0]).values()
        # Offline: the seal embedded the validation data of every signature (long-term validation).
        report = validate_pdf(pdf, TrustConfig(roots=[pki.root_path], allow_fetching=False))
        kinds = [s.kind for s in report.signatures]
        assert kinds.count("handtekening") == 5 and kinds[-1] == "documenttijdstempel", kinds
        assert all(s.indication == "TOTAL_PASSED" for s in report.signatures), report.as_dict()
        assert officer.get(f"/portaal/dossiers/{dossier_id}/ondertekend.pdf").content == pdf
    finally:
        app.state.engine.dispose()
