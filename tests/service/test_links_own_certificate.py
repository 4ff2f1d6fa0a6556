# ruff: noqa: F811  (pytest fixtures imported from the support modules)
"""Bring your own certificate: the signatory downloads the agreement, signs her own field with her own
certificate and software, and uploads it. Accepted only with exactly one valid signature in her field,
nothing else changed; a certificate on another name waits for the privacy officer's confirmation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from accounts_support import csrf_from, https_client, login, make_app, make_staff
from links_support import clean_invitation_tables, post_form, sign_agreement_link, token_from, upload
from mail_support import body_text, smtp_server  # noqa: F401
from sqlmodel import Session, select

from service.accounts.roles import Role
from service.invitations.models import SigningEvent, SigningRound
from signing import SignatureRequest, StampText, TrustConfig, ensure_development_pki, sign_pdf, validate_pdf
from signing.personal import Person, issue_personal_signer, load_signing_ca

pytestmark = pytest.mark.db

JANSSEN = "burgemeester@zeist.example.nl"


@pytest.fixture()
def world(tmp_path: Path, test_database_url: str, smtp_server) -> Iterator[dict]:
    inbox, port = smtp_server
    app = make_app(
        tmp_path,
        test_database_url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        base_url="https://convenant.zeist.example",
        trust_development_ca=True,  # her certificate's CA is one the service trusts
    )
    clean_invitation_tables(test_database_url)
    staff = make_staff(app)
    officer = login(https_client(app), staff[Role.PRIVACYFUNCTIONARIS].email)
    dossier_id = upload(officer)
    post_form(officer, f"/portaal/dossiers/{dossier_id}", f"/portaal/dossiers/{dossier_id}/ondertekening")
    token = token_from(inbox, JANSSEN)
    pki = ensure_development_pki(tmp_path / "keys")
    yield {
        "app": app,
        "token": token,
        "pki": pki,
        "data_dir": tmp_path,
        "officer": officer,
        "dossier_id": dossier_id,
        "inbox": inbox,
        "staff": staff,
    }
    app.state.engine.dispose()
    clean_invitation_tables(test_database_url)  # leave no signing round to a later module


def _own_signer(world: dict, name: str = "Drs. J.J.L.M. Janssen"):  # type: ignore[no-untyped-def]
    """Her own certificate (here from a CA the service trusts; in practice PKIoverheid or a smart card)."""
    ca = load_signing_ca(world["pki"].signing_ca)
    return issue_personal_signer(
        ca, Person(name, "Gemeente Zeist", "Burgemeester", JANSSEN), evidence="eigen-certificaat"
    )


def _download(client, token: str) -> bytes:  # type: ignore[no-untyped-def]
    r = client.get(f"/ondertekenen/{token}/document.pdf")
    assert r.status_code == 200
    return r.content


def _request(field: str) -> SignatureRequest:
    stamp = StampText("Drs. J.J.L.M. Janssen", "Burgemeester", "Gemeente Zeist", signed_on=date.today())
    return SignatureRequest(field, "B-B", stamp, "Ondertekening", "Zeist")


def _upload(client, token: str, pdf: bytes):  # type: ignore[no-untyped-def]
    page = client.get(f"/ondertekenen/{token}")
    return client.post(
        f"/ondertekenen/{token}/eigen-handtekening",
        data={"csrf_token": csrf_from(page.text)},
        files={"bestand": ("getekend.pdf", pdf, "application/pdf")},
    )


def _events(world: dict) -> list[SigningEvent]:
    with Session(world["app"].state.engine) as db:
        return list(db.exec(select(SigningEvent)).all())


def test_own_signature_in_her_field_is_accepted(world) -> None:
    client = https_client(world["app"])
    signed = sign_pdf(_download(client, world["token"]), _request("sig-janssen"), _own_signer(world))
    r = _upload(client, world["token"], signed)
    assert r.status_code == 303 and r.headers["location"].startswith("/ondertekend/"), r.text[:2000]
    [event] = _events(world)
    assert event.auth_method and "eigen certificaat" in event.auth_method
    assert "Drs. J.J.L.M. Janssen" in str(event.certificate_subject)
    with Session(world["app"].state.engine) as db:
        rnd = db.exec(select(SigningRound)).one()
    stored = (world["data_dir"] / "documents" / rnd.current_path).read_bytes()
    assert stored == signed and rnd.version == 1
    report = validate_pdf(stored, TrustConfig(roots=[world["pki"].ca_cert_path]))
    assert report.by_field("sig-janssen").indication == "TOTAL_PASSED"


def test_own_signature_that_also_changes_the_text_is_refused(world) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    client = https_client(world["app"])
    before = _download(client, world["token"])
    writer = IncrementalPdfFileWriter(BytesIO(before))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    extra = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 700 Td (GEWIJZIGD) Tj ET")
    contents = page["/Contents"]
    kids = list(contents) if isinstance(contents, generic.ArrayObject) else [page.raw_get("/Contents")]
    page["/Contents"] = generic.ArrayObject([*kids, writer.add_object(extra)])
    writer.update_container(page)
    from signing.stamp import stamp_style

    meta = signers.PdfSignatureMetadata(field_name="sig-janssen", md_algorithm="sha256")
    pdf_signer = signers.PdfSigner(meta, _own_signer(world).cms_signer, stamp_style=stamp_style(9))
    signed = pdf_signer.sign_pdf(writer, appearance_text_params={"tekst": "Janssen"}).getvalue()
    r = _upload(client, world["token"], signed)
    assert r.status_code == 422 and "iets anders in het document gewijzigd" in r.text
    assert _events(world) == []


def test_own_signature_in_another_persons_field_is_refused(world) -> None:
    client = https_client(world["app"])
    signed = sign_pdf(_download(client, world["token"]), _request("sig-bogerd"), _own_signer(world))
    r = _upload(client, world["token"], signed)
    assert r.status_code == 422 and "niet in uw eigen veld" in r.text
    assert _events(world) == []


def _held_upload(world: dict, client) -> bytes:  # type: ignore[no-untyped-def]
    """She signs her field with a certificate on another name: held, and shown to her as waiting."""
    signer = _own_signer(world, name="P. Plaatsvervanger")
    signed = sign_pdf(_download(client, world["token"]), _request("sig-janssen"), signer)
    r = _upload(client, world["token"], signed)
    assert r.status_code == 202, r.text[:2000]
    assert "wacht op bevestiging" in r.text and "P. Plaatsvervanger" in r.text
    assert _events(world) == []  # not counted as signed
    return signed


def _audit(world: dict) -> list[tuple[str, dict]]:
    import json

    from sqlalchemy import text

    with world["app"].state.engine.connect() as conn:
        rows = conn.execute(text("SELECT action, changes FROM reg_audit ORDER BY seq")).all()
    return [(a, json.loads(c)) for a, c in rows]


def _decide(officer, dossier_id: str, pending_id: int, verb: str, reason: str):  # type: ignore[no-untyped-def]
    page = officer.get(f"/portaal/dossiers/{dossier_id}/bevestigingen")
    return officer.post(
        f"/portaal/dossiers/{dossier_id}/bevestigingen/{pending_id}/{verb}",
        data={"csrf_token": csrf_from(page.text), "reden": reason},
    )


def _pending_id(world: dict) -> int:
    from service.invitations.models import PendingSignature

    with Session(world["app"].state.engine) as db:
        [held] = [p for p in db.exec(select(PendingSignature)).all() if p.status == "wacht"]
        return held.id or 0


def test_a_certificate_on_another_name_waits_and_counts_after_the_officers_approval(world) -> None:
    client = https_client(world["app"])
    signed = _held_upload(world, client)
    # Reopening her link: still waiting, nothing signed.
    again = client.get(f"/ondertekenen/{world['token']}")
    assert again.status_code == 200 and "Uw handtekening wacht op bevestiging" in again.text
    officer, dossier_id = world["officer"], world["dossier_id"]
    detail = officer.get(f"/portaal/dossiers/{dossier_id}")
    assert (
        "1 handtekening met een eigen certificaat op een andere naam wacht op uw bevestiging" in detail.text
        and f"/portaal/dossiers/{dossier_id}/bevestigingen" in detail.text
    )
    assert "wacht op bevestiging" in detail.text  # her row in the status table
    page = officer.get(f"/portaal/dossiers/{dossier_id}/bevestigingen")
    assert page.status_code == 200
    assert "Drs. J.J.L.M. Janssen" in page.text and "P. Plaatsvervanger" in page.text
    pending_id = _pending_id(world)
    # No reason: refused, nothing recorded.
    r = _decide(officer, dossier_id, pending_id, "goedkeuren", "  ")
    assert r.status_code == 422 and "Reden:" in r.text
    assert _events(world) == []
    reason = "Identiteit telefonisch nagegaan; certificaat staat op haar meisjesnaam."
    r = _decide(officer, dossier_id, pending_id, "goedkeuren", reason)
    assert r.status_code == 303, r.text[:2000]
    [event] = _events(world)
    assert event.auth_method and "bevestigd door de privacyfunctionaris" in event.auth_method
    assert "P. Plaatsvervanger" in str(event.certificate_subject)
    with Session(world["app"].state.engine) as db:
        rnd = db.exec(select(SigningRound)).one()
    stored = (world["data_dir"] / "documents" / rnd.current_path).read_bytes()
    assert stored == signed and rnd.version == 1
    report = validate_pdf(stored, TrustConfig(roots=[world["pki"].ca_cert_path]))
    assert report.by_field("sig-janssen").indication == "TOTAL_PASSED"
    actions = _audit(world)
    asked = [c for a, c in actions if a == "bevestiging gevraagd"]
    approved = [c for a, c in actions if a == "naam bevestigd"]
    assert len(asked) == 1 and len(approved) == 1
    assert approved[0]["reden"] == reason and approved[0]["ondertekenaar"] == "Drs. J.J.L.M. Janssen"
    assert (
        "P. Plaatsvervanger" in approved[0]["certificaat"] and "P. Plaatsvervanger" in asked[0]["certificaat"]
    )
    # She gets her signed copy, as after any signature.
    copies = [m for m in world["inbox"].messages if m["Subject"].strip().startswith("Ondertekend: ")]
    assert len(copies) == 1 and JANSSEN in str(copies[0]["To"])
    again = _decide(officer, dossier_id, pending_id, "goedkeuren", reason)
    assert again.status_code == 422 and "al besloten" in again.text
    assert len(_events(world)) == 1


def test_a_rejected_upload_is_mailed_to_her_and_she_can_sign_again(world) -> None:
    client = https_client(world["app"])
    _held_upload(world, client)
    officer, dossier_id = world["officer"], world["dossier_id"]
    r = _decide(officer, dossier_id, _pending_id(world), "afwijzen", "Dit certificaat is niet van u.")
    assert r.status_code == 303, r.text[:2000]
    assert _events(world) == []
    [mail] = [m for m in world["inbox"].messages if "niet bevestigd" in m["Subject"]]
    assert JANSSEN in str(mail["To"])
    assert "Dit certificaat is niet van u." in body_text(mail) and "P. Plaatsvervanger" in body_text(mail)
    assert any(a == "naam afgewezen" for a, _ in _audit(world))
    page = client.get(f"/ondertekenen/{world['token']}")
    assert "is afgewezen" in page.text
    # The link still works: with a certificate on her own name the signature is accepted.
    signed = sign_pdf(_download(client, world["token"]), _request("sig-janssen"), _own_signer(world))
    r = _upload(client, world["token"], signed)
    assert r.status_code == 303 and r.headers["location"].startswith("/ondertekend/")
    assert len(_events(world)) == 1


def test_approval_is_refused_when_another_party_signed_on_top_of_the_old_version(world) -> None:
    client = https_client(world["app"])
    _held_upload(world, client)
    bogerd = token_from(world["inbox"], "teamchef.zblw@politie.example.nl")
    assert sign_agreement_link(https_client(world["app"]), bogerd, world["inbox"]).status_code == 303
    r = _decide(
        world["officer"],
        world["dossier_id"],
        _pending_id(world),
        "goedkeuren",
        "Identiteit nagegaan per telefoon.",
    )
    assert r.status_code == 422 and "andere partij ondertekend" in r.text
    assert len(_events(world)) == 1  # only Bogerd's


def test_only_the_privacy_officer_may_decide(world) -> None:
    client = https_client(world["app"])
    _held_upload(world, client)
    coordinator = login(https_client(world["app"]), world["staff"][Role.COORDINATOR].email)
    r = coordinator.get(f"/portaal/dossiers/{world['dossier_id']}/bevestigingen")
    assert r.status_code == 403
