# ruff: noqa: F811  (pytest fixtures imported from mail_support)
"""Mail over a real SMTP server (aiosmtpd on 127.0.0.1): plain, STARTTLS with login, refusals in Dutch."""

from __future__ import annotations

import datetime
import io
import ssl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from mail_support import Inbox, attachments, body_text, free_port, smtp_server  # noqa: F401

from service.mail import (
    Attachment,
    ConsoleSender,
    MailConfig,
    MailError,
    MailMessage,
    NoMailServer,
    SmtpSender,
)
from service.mail.wiring import sender_from_settings
from service.settings import Settings


def test_message_with_pdf_arrives_over_smtp_from_settings(smtp_server, tmp_path):
    inbox, port = smtp_server
    settings = Settings(
        data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=port, mail_from="convenant@zeist.nl"
    )
    sender = sender_from_settings(settings)
    sender.send(
        MailMessage(
            to=["j.janssen@zeist.nl"],
            to_names={"j.janssen@zeist.nl": "Drs. J.J.L.M. Janssen"},
            subject="Ondertekenen: Samenwerkingsovereenkomst Wijkgericht Werken",
            text="Beste heer Janssen,\n\nOnderteken via https://convenant.example/ondertekenen/abc\n",
            attachments=[Attachment("overeenkomst.pdf", b"%PDF-1.7 test")],
        )
    )
    [msg] = inbox.wait_for("j.janssen@zeist.nl")
    assert msg["Subject"] == "Ondertekenen: Samenwerkingsovereenkomst Wijkgericht Werken"
    assert "Janssen" in msg["To"] and "convenant@zeist.nl" in msg["From"]
    assert "https://convenant.example/ondertekenen/abc" in body_text(msg)
    assert attachments(msg) == {"overeenkomst.pdf": b"%PDF-1.7 test"}
    assert inbox.envelopes[0] == ("convenant@zeist.nl", ["j.janssen@zeist.nl"])


def _self_signed(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    import ipaddress

    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
        )
        .sign(key, hashes.SHA256())
    )
    cert_pem = tmp_path / "smtp.pem"
    key_pem = tmp_path / "smtp.key"
    cert_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return cert_pem, key_pem


def test_starttls_with_login_and_wrong_password_gives_dutch_error(tmp_path):
    cert_pem, key_pem = _self_signed(tmp_path)
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(cert_pem, key_pem)
    client_ctx = ssl.create_default_context(cafile=str(cert_pem))

    def authenticator(server, session, envelope, mechanism, auth_data):  # type: ignore[no-untyped-def]
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == b"convenant"
            and (auth_data.password == b"geheim-smtp")
        )
        return AuthResult(success=ok, handled=False)

    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=server_ctx,
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
    )
    controller.start()
    try:
        config = MailConfig(
            host="127.0.0.1",
            port=port,
            starttls=True,
            username="convenant",
            password="geheim-smtp",
            mail_from="convenant@zeist.nl",
            ssl_context=client_ctx,
        )
        SmtpSender(config).send(MailMessage(to=["a@zeist.nl"], subject="Test", text="Hallo"))
        assert body_text(inbox.wait_for("a@zeist.nl")[0]).strip() == "Hallo"
        bad = MailConfig(
            host="127.0.0.1",
            port=port,
            starttls=True,
            username="convenant",
            password="fout",
            timeout=5,
            mail_from="convenant@zeist.nl",
            ssl_context=client_ctx,
        )
        with pytest.raises(MailError, match="weigerde de inloggegevens"):
            SmtpSender(bad).send(MailMessage(to=["a@zeist.nl"], subject="Test", text="Hallo"))
    finally:
        controller.stop()
    assert len(inbox.messages) == 1


def test_unreachable_server_is_a_dutch_mail_error(tmp_path):
    config = MailConfig(host="127.0.0.1", port=free_port(), timeout=2)
    with pytest.raises(MailError, match="kon niet worden verstuurd via 127.0.0.1"):
        SmtpSender(config).send(MailMessage(to=["a@zeist.nl"], subject="x", text="y"))


def test_without_smtp_host_the_demo_prints_the_message_with_its_link(tmp_path):
    sender = sender_from_settings(Settings(data_dir=tmp_path, demo=True))
    assert isinstance(sender, ConsoleSender)
    out = io.StringIO()
    sender.out = out
    sender.send(
        MailMessage(
            to=["x@zeist.nl"], subject="Uitnodiging", text="Link: http://127.0.0.1:8000/ondertekenen/t"
        )
    )
    printed = out.getvalue()
    assert "Aan:       x@zeist.nl" in printed and "http://127.0.0.1:8000/ondertekenen/t" in printed


def test_outside_the_demo_without_smtp_host_nothing_is_printed_and_sending_fails_clearly(tmp_path, capsys):
    """Issue 10 item 10: links went to stdout outside --demo and were marked "verstuurd"."""
    sender = sender_from_settings(Settings(data_dir=tmp_path))
    assert isinstance(sender, NoMailServer)
    with pytest.raises(MailError, match="geen mailserver ingesteld"):
        sender.send(MailMessage(to=["x@zeist.nl"], subject="U", text="http://h/ondertekenen/geheim-token"))
    assert "geheim-token" not in capsys.readouterr().out


@pytest.mark.db
def test_sending_for_signature_without_a_mail_server_says_so_and_marks_nothing_sent(
    tmp_path, test_database_url, capsys
):
    from accounts_support import https_client, login, make_app, make_staff
    from links_support import clean_invitation_tables, post_form, upload
    from sqlmodel import Session, select

    from service.accounts.roles import Role
    from service.invitations.models import SigningLink

    app = make_app(tmp_path, test_database_url)
    clean_invitation_tables(test_database_url)
    try:
        staff = make_staff(app)
        officer = login(https_client(app), staff[Role.PRIVACYFUNCTIONARIS].email)
        dossier_id = upload(officer)
        r = post_form(
            officer, f"/portaal/dossiers/{dossier_id}", f"/portaal/dossiers/{dossier_id}/ondertekening"
        )
        assert r.status_code == 303 and r.headers["location"].endswith("melding=mailfout")
        page = officer.get(r.headers["location"]).text
        assert "Niet alle e-mails konden worden verstuurd" in page and "nog niet verstuurd" in page
        with Session(app.state.engine) as db:
            sent = [link.sent_at for link in db.exec(select(SigningLink)).all()]
        assert sent and all(s is None for s in sent)
        assert "/ondertekenen/" not in capsys.readouterr().out
    finally:
        app.state.engine.dispose()
