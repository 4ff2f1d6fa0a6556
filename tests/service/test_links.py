# ruff: noqa: F811  (pytest fixtures imported from the support modules)
"""Signing by link, end to end over HTTP: upload, send for signature over real SMTP, follow each link,
sign; the final PDF validates with every signature; and every kind of link misuse is refused."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from accounts_support import csrf_from, https_client, login, make_app, make_staff
from links_support import (
    LINK_RE,
    ZEIST,
    clean_invitation_tables,
    post_form,
    request_code,
    sign_agreement_link,
    token_from,
    upload,
)
from mail_support import Inbox, attachments, body_text, smtp_server  # noqa: F401
from sqlmodel import Session, select

from service.accounts.roles import Role
from service.invitations.models import SigningEvent, SigningLink, SigningRound
from service.invitations.tokens import token_hash
from signing import TrustConfig, ensure_development_pki, validate_pdf

pytestmark = pytest.mark.db  # runs on SQLite and again on PostgreSQL


@pytest.fixture()
def world(tmp_path: Path, test_database_url: str, smtp_server) -> Iterator[dict]:
    inbox, port = smtp_server
    app = make_app(
        tmp_path,
        test_database_url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        mail_from="convenant@zeist.example",
        base_url="https://convenant.zeist.example",
        declaration_personal_certificate=False,  # the declaration sealed by the organisation (the other path)
    )
    clean_invitation_tables(test_database_url)
    staff = make_staff(app)
    officer = login(https_client(app), staff[Role.PRIVACYFUNCTIONARIS].email)
    yield {"app": app, "inbox": inbox, "officer": officer, "staff": staff, "data_dir": tmp_path}
    app.state.engine.dispose()
    clean_invitation_tables(test_database_url)  # leave no signing round to a later module


def _send(world: dict) -> str:
    officer = world["officer"]
    dossier_id = upload(officer)
    r = post_form(officer, f"/portaal/dossiers/{dossier_id}", f"/portaal/dossiers/{dossier_id}/ondertekening")
    assert r.status_code == 303 and "verstuurd" in r.headers["location"], r.text[:500]
    return dossier_id


def _sign(client, token: str, inbox: Inbox):  # type: ignore[no-untyped-def]
    return sign_agreement_link(client, token, inbox)


SIGNERS = [
    "burgemeester@zeist.example.nl",
    "teamchef.zblw@politie.example.nl",
    "directie@rkwbv.example.nl",
    "directie@meander.example.nl",
    "directie@woongoed.example.nl",
]


def test_every_signatory_signs_from_the_mailed_link_and_the_final_pdf_validates(world):
    dossier_id = _send(world)
    inbox: Inbox = world["inbox"]
    app = world["app"]
    for address in SIGNERS:
        msg = inbox.wait_for(address)[0]
        assert msg["Subject"].strip().startswith("Verzoek tot ondertekening: ")
        assert "https://convenant.zeist.example/ondertekenen/" in body_text(msg)
    for address in SIGNERS:
        token = token_from(inbox, address)
        signer = https_client(app)
        page = signer.get(f"/ondertekenen/{token}")
        assert "Uw ondertekeningsblok" in page.text and 'name="sha256"' in page.text
        assert "SHA-256" not in page.text and "PAdES" not in page.text  # no jargon for signatories
        # The text itself, readable without a PDF viewer, with this person's own signature place marked.
        assert page.text.count("Hier komt uw handtekening") == 1
        assert "Maken de volgende afspraken" in page.text
        r = _sign(signer, token, world["inbox"])
        assert r.status_code == 303 and r.headers["location"].startswith("/ondertekend/")
        receipt = signer.get(r.headers["location"])
        assert "Bewijs van uw handtekening" in receipt.text
        assert "testclient" not in receipt.text  # neither the IP nor the browser of the TestClient
        copy = [m for m in inbox.to(address) if m["Subject"].strip().startswith("Ondertekend: ")]
        assert len(copy) == 1 and attachments(copy[0])
    final = [m for m in inbox.messages if m["Subject"].strip().startswith("Volledig ondertekend: ")]
    assert len(final) == 1 and sorted(
        a.strip().split("<")[-1].rstrip(">") for a in final[0]["To"].split(",")
    ) == sorted(SIGNERS)
    [pdf] = attachments(final[0]).values()
    pki = ensure_development_pki(world["data_dir"] / "keys")
    report = validate_pdf(pdf, TrustConfig(roots=[pki.ca_cert_path], allow_fetching=False))
    assert len(report.signatures) == 5
    assert all(s.indication == "TOTAL_PASSED" for s in report.signatures), report.as_dict()
    officer = world["officer"]
    detail = officer.get(f"/portaal/dossiers/{dossier_id}")
    assert "volledig ondertekend" in detail.text and detail.text.count("status-ondertekend") == 5
    assert officer.get(f"/portaal/dossiers/{dossier_id}/ondertekend.pdf").content == pdf
    with Session(app.state.engine) as db:
        rnd = db.exec(select(SigningRound)).one()
        events = db.exec(select(SigningEvent)).all()
    assert rnd.status == "voltooid" and rnd.version == 5
    # The audit trail chains: each signature's "before" is the previous one's "after".
    assert [e.sha256_before for e in events[1:]] == [e.sha256_after for e in events[:-1]]
    sheet = (world["data_dir"] / "documents" / rnd.current_path).with_suffix(".audit.json")
    assert sheet.exists() and all(a in sheet.read_text() for a in SIGNERS)


def _meeting_with_invitation(world: dict, held_on_days: int = 7) -> tuple[str, str, str]:
    import uuid
    from datetime import date

    from links_support import current_zeist_yaml

    app = world["app"]
    today = date.today()
    dossier_id = upload(world["officer"], Path(f"zeist-{today.year}.yaml"), current_zeist_yaml(today))
    coordinator = login(https_client(app), world["staff"][Role.COORDINATOR].email)
    held_on = (today + timedelta(days=held_on_days)).isoformat()
    # Unique keys: the registry database is shared by the whole test session.
    unique = uuid.uuid4().hex[:8]
    guest = world["guest"] = f"a.arts.{unique}@huisarts.example.nl"
    r = post_form(
        coordinator,
        "/portaal/overleggen",
        "/portaal/overleggen",
        {"overeenkomst": dossier_id, "titel": f"Wijkoverleg Centrum {unique}", "datum": held_on},
    )
    assert r.status_code == 303, r.text[:1000]
    # The key is made from the title and the date (never typed).
    meeting = world["meeting"] = r.headers["location"].split("?")[0].rsplit("/", 1)[1]
    assert meeting == f"wijkoverleg-centrum-{unique}-{held_on}"
    r = post_form(
        coordinator,
        f"/portaal/overleggen/{meeting}",
        f"/portaal/overleggen/{meeting}/uitnodigen",
        {
            "naam": "Dr. A. Arts",
            "email": guest,
            "instelling": "Huisartsenpraktijk Zeist-Centrum",
            "functie": "huisarts",
        },
    )
    assert r.status_code == 303 and "uitgenodigd" in r.headers["location"], r.text[:1000]
    token = token_from(world["inbox"], guest)
    return dossier_id, token, held_on


def _row_for(html: str, name: str) -> str:
    start = html.index(name)
    return html[start : html.index("</tr>", start)]


def test_agendadeelnemer_signs_the_declaration_and_is_entitled_to_personal_data_never_police_data(world):
    app = world["app"]
    _, token, _ = _meeting_with_invitation(world)
    coordinator = login(https_client(app), world["staff"][Role.COORDINATOR].email)
    before = coordinator.get(f"/portaal/overleggen/{world['meeting']}").text
    assert "ondertekende geheimhoudingsverklaring" in _row_for(before, "Dr. A. Arts")
    guest = https_client(app)
    first = guest.get(f"/ondertekenen/{token}")
    assert first.status_code == 200 and 'type="radio"' in first.text and "Stap 3" not in first.text
    chosen = guest.get(f"/ondertekenen/{token}?grondslag=gerechtvaardigd-belang")
    assert "Stap 3: ondertekenen" in chosen.text and "gerechtvaardigd belang" in chosen.text
    assert "Huisartsenpraktijk Zeist-Centrum" in chosen.text.split("De tekst van de verklaring", 1)[1]
    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"', chosen.text).group(1)
    pdf_seen = guest.get(f"/ondertekenen/{token}/document.pdf?grondslag=gerechtvaardigd-belang").content
    assert hashlib.sha256(pdf_seen).hexdigest() == sha
    r = guest.post(
        f"/ondertekenen/{token}",
        data={
            "csrf_token": csrf_from(chosen.text),
            "akkoord": "ja",
            "grondslag": "gerechtvaardigd-belang",
            "sha256": sha,
        },
    )
    assert r.status_code == 303, r.text[:1000]
    receipt = guest.get(r.headers["location"])
    assert "Grondslag" in receipt.text and "gerechtvaardigd belang" in receipt.text
    assert sha not in receipt.text and "Browser" not in receipt.text  # no hash, no raw user agent
    [copy] = [m for m in world["inbox"].to(world["guest"]) if m["Subject"].strip().startswith("Ondertekend")]
    [signed] = attachments(copy).values()
    pki = ensure_development_pki(world["data_dir"] / "keys")
    report = validate_pdf(signed, TrustConfig(roots=[pki.ca_cert_path], allow_fetching=False))
    assert [s.indication for s in report.signatures] == ["TOTAL_PASSED"]
    after = coordinator.get(f"/portaal/overleggen/{world['meeting']}").text
    row = _row_for(after, "Dr. A. Arts")
    personal = row.split('<td data-label="Persoonsgegevens">')[1].split("</td>")[0]
    police = row.split('<td data-label="Politiegegevens">')[1].split("</td>")[0]
    assert "status-ja" in personal and "agendadeelnemer" in personal
    assert "status-nee" in police and "nooit politiegegevens" in police


@pytest.fixture()
def personal_world(tmp_path: Path, test_database_url: str, smtp_server) -> Iterator[dict]:
    """As ``world``, with declarations signed with a personal certificate after an e-mailed code."""
    inbox, port = smtp_server
    app = make_app(
        tmp_path,
        test_database_url,
        smtp_host="127.0.0.1",
        smtp_port=port,
        base_url="https://convenant.zeist.example",
        declaration_personal_certificate=True,
    )
    clean_invitation_tables(test_database_url)
    staff = make_staff(app)
    officer = login(https_client(app), staff[Role.PRIVACYFUNCTIONARIS].email)
    yield {"app": app, "inbox": inbox, "officer": officer, "staff": staff, "data_dir": tmp_path}
    app.state.engine.dispose()
    clean_invitation_tables(test_database_url)  # leave no signing round to a later module


def test_a_declaration_is_signed_with_a_certificate_naming_the_agendadeelnemer_after_her_code(personal_world):
    from signing.pdfio import open_reader
    from signing.personal import POLICY_OID, certificate_policies

    world = personal_world
    app, inbox = world["app"], world["inbox"]
    _, token, _ = _meeting_with_invitation(world)
    guest = https_client(app)
    ground = "gerechtvaardigd-belang"
    chosen = guest.get(f"/ondertekenen/{token}?grondslag={ground}")
    assert "certificaat op uw naam" in chosen.text and "Stuur mij een code" in chosen.text
    sha = re.search(r'name="sha256" value="([0-9a-f]{64})"', chosen.text).group(1)

    def post(code: str):  # type: ignore[no-untyped-def]
        page = guest.get(f"/ondertekenen/{token}?grondslag={ground}")
        data = {"csrf_token": csrf_from(page.text), "akkoord": "ja", "grondslag": ground, "sha256": sha}
        return guest.post(f"/ondertekenen/{token}", data={**data, "code": code})

    no_code = post("")
    assert no_code.status_code == 422 and "Code: vraag eerst een code aan" in no_code.text  # names the field
    sent = guest.post(
        f"/ondertekenen/{token}/code", data={"csrf_token": csrf_from(chosen.text), "grondslag": ground}
    )
    assert sent.status_code == 200 and f"Er is een code gestuurd naar {world['guest']}" in sent.text
    assert "Stap 3: ondertekenen" in sent.text  # back on the declaration with her ground
    [mail] = [m for m in inbox.wait_for(world["guest"], count=2) if "Uw code" in m["Subject"]]
    code = re.search(r"^\s+(\d{6})\s*$", body_text(mail), re.MULTILINE).group(1)
    wrong = post(f"{(int(code) + 1) % 1_000_000:06d}")
    assert wrong.status_code == 422 and "de code is onjuist" in wrong.text
    # B1: how many tries are left, in words; never "poging(en)" (issue 14, item 9)
    assert (
        "U kunt het nog 4 keer proberen. Er is niets ondertekend." in wrong.text and "(en)" not in wrong.text
    )
    with Session(app.state.engine) as db:
        assert db.exec(select(SigningEvent)).all() == []
    r = post(code)
    assert r.status_code == 303, r.text[:1000]
    with Session(app.state.engine) as db:
        [event] = db.exec(select(SigningEvent)).all()
    assert event.auth_method == "eenmalige code per e-mail" and event.auth_evidence
    [copy] = [m for m in inbox.to(world["guest"]) if m["Subject"].strip().startswith("Ondertekend")]
    [signed] = attachments(copy).values()
    pki = ensure_development_pki(world["data_dir"] / "keys")
    [sig] = validate_pdf(signed, TrustConfig(roots=[pki.ca_cert_path], allow_fetching=False)).signatures
    assert sig.indication == "TOTAL_PASSED" and "Common Name: Dr. A. Arts" in str(sig.signer)
    assert "ontwikkel-ondertekensleutel" not in str(sig.signer)
    [embedded] = open_reader(signed).embedded_signatures
    assert POLICY_OID in certificate_policies(embedded.signer_cert)
    assert event.certificate_serial == format(embedded.signer_cert.serial_number, "x")
    notice = str(
        embedded.signer_cert.certificate_policies_value[0]["policy_qualifiers"][0]["qualifier"].native
    )
    assert event.auth_evidence in notice


def test_a_used_link_never_signs_twice(world):
    _send(world)
    app = world["app"]
    token = token_from(world["inbox"], SIGNERS[0])
    signer = https_client(app)
    page = signer.get(f"/ondertekenen/{token}")
    assert _sign(signer, token, world["inbox"]).status_code == 303
    again = signer.get(f"/ondertekenen/{token}")
    assert again.status_code == 410 and "U heeft al ondertekend" in again.text  # with the download
    assert f"/ondertekenen/{token}/ondertekend.pdf" in again.text
    assert signer.get(f"/ondertekenen/{token}/ondertekend.pdf").content.startswith(b"%PDF")
    replay = signer.post(f"/ondertekenen/{token}", data={"csrf_token": csrf_from(page.text), "akkoord": "ja"})
    assert replay.status_code == 410
    with Session(app.state.engine) as db:
        assert len(db.exec(select(SigningEvent)).all()) == 1
        assert db.exec(select(SigningRound)).one().version == 1


def test_expired_and_revoked_links_give_a_clear_page_and_no_signature(world):
    dossier_id = _send(world)
    app = world["app"]
    expired, revoked = token_from(world["inbox"], SIGNERS[1]), token_from(world["inbox"], SIGNERS[2])
    with Session(app.state.engine) as db:
        link = db.exec(select(SigningLink).where(SigningLink.token_hash == token_hash(expired))).one()
        link.expires_at = link.created_at - timedelta(seconds=1)
        db.add(link)
        db.commit()
        revoked_id = (
            db.exec(select(SigningLink).where(SigningLink.token_hash == token_hash(revoked))).one().id
        )
    r = https_client(app).get(f"/ondertekenen/{expired}")
    assert r.status_code == 410 and "verlopen" in r.text and 'lang="nl"' in r.text
    officer = world["officer"]
    assert (
        post_form(
            officer,
            f"/portaal/dossiers/{dossier_id}",
            f"/portaal/dossiers/{dossier_id}/ondertekening/{revoked_id}/intrekken",
        ).status_code
        == 303
    )
    r = https_client(app).get(f"/ondertekenen/{revoked}")
    assert r.status_code == 410 and "ingetrokken" in r.text
    with Session(app.state.engine) as db:
        assert db.exec(select(SigningEvent)).all() == []


def test_reminder_sends_a_new_link_and_the_old_one_stops_working(world):
    dossier_id = _send(world)
    app = world["app"]
    old = token_from(world["inbox"], SIGNERS[3])
    with Session(app.state.engine) as db:
        link_id = db.exec(select(SigningLink).where(SigningLink.token_hash == token_hash(old))).one().id
    r = post_form(
        world["officer"],
        f"/portaal/dossiers/{dossier_id}",
        f"/portaal/dossiers/{dossier_id}/ondertekening/{link_id}/herinneren",
    )
    assert r.status_code == 303 and "herinnerd" in r.headers["location"]
    msgs = world["inbox"].wait_for(SIGNERS[3], count=2)
    assert msgs[-1]["Subject"].strip().startswith("Herinnering: ")
    new = LINK_RE.search(body_text(msgs[-1])).group(1)
    assert new != old
    assert https_client(app).get(f"/ondertekenen/{old}").status_code == 410
    assert _sign(https_client(app), new, world["inbox"]).status_code == 303


def test_tampered_or_guessed_tokens_are_unknown_and_guessing_is_rate_limited(world):
    _send(world)
    app = world["app"]
    token = token_from(world["inbox"], SIGNERS[0])
    flipped = token[:-1] + ("A" if token[-1] != "A" else "B")
    client = https_client(app)
    for bad in (flipped, token[:-3], token + "x", "%2e%2e"):
        r = client.get(f"/ondertekenen/{bad}")
        assert r.status_code == 404 and "bestaat niet" in r.text, bad
    for i in range(16):
        client.get(f"/ondertekenen/{'x' * 42}{i % 10}")
    r = client.get(f"/ondertekenen/{token}")  # even the right link waits once the address guessed too often
    assert r.status_code == 429 and "Te veel" in r.text
    with Session(app.state.engine) as db:
        assert db.exec(select(SigningEvent)).all() == []


def test_a_link_signs_only_its_own_persons_field_whatever_the_form_says(world):
    dossier_id = _send(world)
    app = world["app"]
    token = token_from(world["inbox"], SIGNERS[2])  # Schuurmans (R.K. Woningbouwvereniging)
    client = https_client(app)
    code = request_code(client, token, world["inbox"])
    page = client.get(f"/ondertekenen/{token}")
    r = client.post(
        f"/ondertekenen/{token}",
        data={
            "csrf_token": csrf_from(page.text),
            "akkoord": "ja",
            "code": code,
            "ondertekenaar": "janssen",
            "partij": "gemeente",
            "signatory_key": "janssen",
            "sha256": "0" * 64,
        },
    )
    assert r.status_code == 303
    with Session(app.state.engine) as db:
        [event] = db.exec(select(SigningEvent)).all()
        links = {x.email: x for x in db.exec(select(SigningLink)).all()}
    assert event.signer_email == SIGNERS[2]
    assert links[SIGNERS[2]].used_at is not None and links[SIGNERS[0]].used_at is None
    pdf = world["officer"].get(f"/portaal/dossiers/{dossier_id}/ondertekend.pdf").content
    from signing import list_signature_fields

    signed = {f.name for f in list_signature_fields(pdf) if f.signed}
    assert signed == {"sig-schuurmans"}


def test_link_form_post_without_csrf_token_is_refused_and_signs_nothing(world):
    _send(world)
    app = world["app"]
    token = token_from(world["inbox"], SIGNERS[0])
    client = https_client(app)
    client.get(f"/ondertekenen/{token}")
    r = client.post(f"/ondertekenen/{token}", data={"akkoord": "ja"})
    assert r.status_code == 403 and "controlecode" in r.text
    # A token from another browser does not help either.
    other = https_client(app)
    foreign = csrf_from(other.get(f"/ondertekenen/{token}").text)
    assert (
        client.post(f"/ondertekenen/{token}", data={"akkoord": "ja", "csrf_token": foreign}).status_code
        == 403
    )
    with Session(app.state.engine) as db:
        assert db.exec(select(SigningEvent)).all() == []
    assert _sign(client, token, world["inbox"]).status_code == 303  # the link is still usable


def test_a_crash_after_the_file_is_written_but_before_commit_leaves_the_link_usable(world, monkeypatch):
    from service.invitations import files

    _send(world)
    app = world["app"]
    token = token_from(world["inbox"], SIGNERS[0])
    real = files.write_atomic
    written = []

    def write_then_crash(path, data):  # type: ignore[no-untyped-def]
        real(path, data)
        written.append(path)
        raise RuntimeError("proces gestopt na het schrijven van het bestand")  # as after SIGKILL: no commit

    monkeypatch.setattr(files, "write_atomic", write_then_crash)
    client = https_client(app)
    with pytest.raises(RuntimeError, match="proces gestopt"):
        _sign(client, token, world["inbox"])
    assert written and written[0].exists()
    with Session(app.state.engine) as db:
        assert db.exec(select(SigningRound)).one().version == 0
        assert db.exec(select(SigningEvent)).all() == []
        assert (
            db.exec(select(SigningLink).where(SigningLink.token_hash == token_hash(token))).one().used_at
            is None
        )
    monkeypatch.setattr(files, "write_atomic", real)
    assert _sign(https_client(app), token, world["inbox"]).status_code == 303
    with Session(app.state.engine) as db:
        rnd = db.exec(select(SigningRound)).one()
    assert rnd.version == 1
    pdf = (world["data_dir"] / "documents" / rnd.current_path).read_bytes()
    pki = ensure_development_pki(world["data_dir"] / "keys")
    report = validate_pdf(pdf, TrustConfig(roots=[pki.ca_cert_path], allow_fetching=False))
    assert [s.indication for s in report.signatures] == ["TOTAL_PASSED"]


def test_a_dossier_out_for_signature_cannot_be_replaced_until_the_round_is_withdrawn(world):
    dossier_id = _send(world)
    app = world["app"]
    officer = world["officer"]
    token = token_from(world["inbox"], SIGNERS[0])
    page = officer.get("/portaal/dossiers")
    refused = officer.post(
        "/portaal/dossiers",
        data={"csrf_token": csrf_from(page.text)},
        files={"bestand": ("zeist.yaml", ZEIST.read_bytes(), "application/x-yaml")},
    )
    assert refused.status_code == 422 and "Trek eerst de ondertekening in" in refused.text
    # An invalid new version is reported on its own merits (the field), not as "out for signature".
    import yaml

    broken = yaml.safe_load(ZEIST.read_text(encoding="utf-8"))
    broken["term"]["start"] = "geen datum"
    invalid = officer.post(
        "/portaal/dossiers",
        data={"csrf_token": csrf_from(officer.get("/portaal/dossiers").text)},
        files={"bestand": ("zeist.yaml", yaml.safe_dump(broken).encode(), "application/x-yaml")},
    )
    assert invalid.status_code == 422 and "term.start" in invalid.text
    r = post_form(
        officer, f"/portaal/dossiers/{dossier_id}", f"/portaal/dossiers/{dossier_id}/ondertekening/intrekken"
    )
    assert r.status_code == 303 and "ronde-ingetrokken" in r.headers["location"]
    old = https_client(app).get(f"/ondertekenen/{token}")
    assert old.status_code == 410 and "de ondertekening is ingetrokken" in old.text
    assert upload(officer) == dossier_id  # now the dossier may be replaced
    r = post_form(officer, f"/portaal/dossiers/{dossier_id}", f"/portaal/dossiers/{dossier_id}/ondertekening")
    assert r.status_code == 303 and "verstuurd" in r.headers["location"]
    fresh = token_from(world["inbox"], SIGNERS[0])
    assert fresh != token and _sign(https_client(app), fresh, world["inbox"]).status_code == 303


def test_each_signatory_signs_with_a_certificate_that_names_her(world, tmp_path):
    """pdfsig (poppler) and pyHanko both name the person, not the service, for every signature."""
    import subprocess

    from signing.pdfio import open_reader
    from signing.personal import POLICY_OID, certificate_policies

    dossier_id = _send(world)
    app, inbox = world["app"], world["inbox"]
    for address in SIGNERS[:2]:
        assert _sign(https_client(app), token_from(inbox, address), inbox).status_code == 303
    with Session(app.state.engine) as db:
        rnd = db.exec(select(SigningRound)).one()
        events = {e.signer_email: e for e in db.exec(select(SigningEvent)).all()}
    pdf = (world["data_dir"] / "documents" / rnd.current_path).read_bytes()
    pki = ensure_development_pki(world["data_dir"] / "keys")
    report = validate_pdf(pdf, TrustConfig(roots=[pki.ca_cert_path], allow_fetching=False))
    by_field = {s.field_name: s for s in report.signatures}
    expected = {"sig-janssen": "Drs. J.J.L.M. Janssen", "sig-bogerd": "J.D. Bogerd"}
    for field, name in expected.items():
        sig = by_field[field]
        assert sig.indication == "TOTAL_PASSED", sig.as_dict()
        assert f"Common Name: {name}" in str(sig.signer)
        assert "ontwikkel-ondertekensleutel" not in str(sig.signer)
    path = tmp_path / "ondertekend.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True).stdout
    common_names = re.findall(r"Signer Certificate Common Name: (.+)", out)
    assert common_names == list(expected.values()), out
    for sig in open_reader(pdf).embedded_signatures:
        cert = sig.signer_cert
        assert POLICY_OID in certificate_policies(cert)
        email = cert.subject.native["email_address"]
        event = events[email]
        assert event.certificate_serial == format(cert.serial_number, "x")
        notice = str(cert.certificate_policies_value[0]["policy_qualifiers"][0]["qualifier"].native)
        assert event.auth_evidence and event.auth_evidence in notice  # the certificate points at the evidence
        assert event.auth_method == "eenmalige code per e-mail" and event.auth_confirmed_at is not None
    assert dossier_id


def test_a_wrong_code_is_refused_and_signs_nothing(world):
    _send(world)
    app, inbox = world["app"], world["inbox"]
    token = token_from(inbox, SIGNERS[0])
    client = https_client(app)
    code = request_code(client, token, inbox)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    page = client.get(f"/ondertekenen/{token}")
    r = client.post(
        f"/ondertekenen/{token}", data={"csrf_token": csrf_from(page.text), "akkoord": "ja", "code": wrong}
    )
    assert r.status_code == 422 and "code is onjuist" in r.text
    no_code = client.post(
        f"/ondertekenen/{token}", data={"csrf_token": csrf_from(page.text), "akkoord": "ja"}
    )
    assert no_code.status_code == 422
    with Session(app.state.engine) as db:
        assert db.exec(select(SigningEvent)).all() == []
        link = db.exec(select(SigningLink).where(SigningLink.token_hash == token_hash(token))).one()
        assert link.used_at is None and link.code_attempts == 2
    assert _sign(client, token, inbox).status_code == 303  # the right code still signs
