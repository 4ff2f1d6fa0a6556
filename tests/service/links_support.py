"""A running world for the link tests: app with SMTP to aiosmtpd, staff, the Zeist dossier uploaded."""

from __future__ import annotations

import re
import time
from pathlib import Path

from accounts_support import csrf_from, https_client, login, make_staff
from fastapi.testclient import TestClient
from mail_support import Inbox, body_text

from registry.database import make_engine
from service.accounts.roles import Role

ROOT = Path(__file__).resolve().parents[2]
ZEIST = ROOT / "examples" / "zeist.yaml"
LINK_RE = re.compile(r"https?://[^\s]+/ondertekenen/([A-Za-z0-9_-]{43})")
INVITE_TABLES = ("sign_pending", "sign_archive", "sign_event", "sign_link", "sign_round")


def clean_invitation_tables(url: str) -> None:
    from sqlalchemy import text

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            for t in INVITE_TABLES:
                conn.execute(text(f"DELETE FROM {t}"))
    finally:
        engine.dispose()


def upload(client: TestClient, path: Path = ZEIST, content: bytes | None = None) -> str:
    page = client.get("/portaal/dossiers")
    data = content if content is not None else path.read_bytes()
    r = client.post(
        "/portaal/dossiers",
        data={"csrf_token": csrf_from(page.text)},
        files={"bestand": (path.name, data, "application/x-yaml")},
    )
    assert r.status_code == 303, r.text[:2000]
    return r.headers["location"].split("?")[0].rsplit("/", 1)[1]


def post_form(client: TestClient, page_url: str, action: str, data: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    page = client.get(page_url)
    # bevestigd=ja: the confirmation step of destructive actions (ignored by other forms)
    return client.post(action, data={"csrf_token": csrf_from(page.text), "bevestigd": "ja", **(data or {})})


def token_from(inbox: Inbox, address: str, index: int = -1) -> str:
    msgs = inbox.wait_for(address, count=1)
    m = LINK_RE.search(body_text(msgs[index]))
    assert m, body_text(msgs[index])
    return m.group(1)


__all__ = ["Role", "csrf_from", "https_client", "login", "make_staff"]


def current_zeist_yaml(today) -> bytes:  # type: ignore[no-untyped-def]
    """The Zeist dossier renewed for a term that starts today (the 2018 term has ended, and an agendadeelnemer
    can only be entitled under an agreement in force)."""
    import yaml

    data = yaml.safe_load(ZEIST.read_text(encoding="utf-8"))
    data["id"] = f"zeist-wijkgericht-werken-{today.year}"
    data["signing"]["date"] = today
    data["term"]["start"] = today
    data["period_label"] = f"{today.year} – {today.year + 3}"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


CODE_RE = re.compile(r"^\s+(\d{6})\s*$", re.MULTILINE)
EMAIL_RE = re.compile(r"Ondertekenaar</dt><dd>[^<(]*\(([^)\s]+)\)")


def _code_mails(inbox: Inbox, address: str) -> list:  # type: ignore[type-arg]
    return [m for m in inbox.to(address) if "Uw code" in m["Subject"]]


def request_code(client: TestClient, token: str, inbox: Inbox) -> str:
    """Ask for the one-time code on the signing page and read it from the e-mail (real SMTP)."""
    page = client.get(f"/ondertekenen/{token}")
    assert page.status_code == 200, page.text[:500]
    found = EMAIL_RE.search(page.text)
    assert found, page.text[:3000]
    address = found.group(1)
    before = len(_code_mails(inbox, address))
    sent = client.post(f"/ondertekenen/{token}/code", data={"csrf_token": csrf_from(page.text)})
    assert sent.status_code == 200, sent.text[:500]
    assert f"Er is een code gestuurd naar {address}" in sent.text
    deadline = time.monotonic() + 10
    while len(_code_mails(inbox, address)) <= before and time.monotonic() < deadline:
        time.sleep(0.05)
    msgs = _code_mails(inbox, address)
    assert len(msgs) > before, "geen code-e-mail ontvangen"
    code = CODE_RE.search(body_text(msgs[-1]))
    assert code, body_text(msgs[-1])
    return code.group(1)


def sign_agreement_link(client: TestClient, token: str, inbox: Inbox):  # type: ignore[no-untyped-def]
    """Open the link, confirm the e-mailed code and sign, as the signatory does."""
    code = request_code(client, token, inbox)
    page = client.get(f"/ondertekenen/{token}")
    return client.post(
        f"/ondertekenen/{token}", data={"csrf_token": csrf_from(page.text), "akkoord": "ja", "code": code}
    )
