"""A running world for the link tests: app with SMTP to aiosmtpd, staff, the Zeist dossier uploaded."""

from __future__ import annotations

import re
from pathlib import Path

from accounts_support import csrf_from, https_client, login, make_staff
from fastapi.testclient import TestClient
from mail_support import Inbox, body_text

from registry.database import make_engine
from service.accounts.roles import Role

ROOT = Path(__file__).resolve().parents[2]
ZEIST = ROOT / "examples" / "zeist.yaml"
LINK_RE = re.compile(r"https?://[^\s]+/ondertekenen/([A-Za-z0-9_-]{43})")
INVITE_TABLES = ("sign_event", "sign_link", "sign_round")


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
    return client.post(action, data={"csrf_token": csrf_from(page.text), **(data or {})})


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
