# ruff: noqa: F811  (pytest fixtures imported from the support modules)
"""Issue 10 item 10: the receipt link (``/ondertekend/<token>``) shows neither the signer's IP address nor
their browser, and expires ``receipt_ttl_days`` after signing (before, it showed both, for ever)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from accounts_support import https_client
from links_support import token_from
from mail_support import smtp_server  # noqa: F401
from test_links import SIGNERS, _send, _sign, world  # noqa: F401

from service.clock import utcnow
from service.invitations import links

pytestmark = pytest.mark.db


def test_the_receipt_hides_ip_and_browser_and_expires(world, monkeypatch):
    _send(world)
    token = token_from(world["inbox"], SIGNERS[0])
    signer = https_client(world["app"])
    signer.headers["User-Agent"] = "Mozilla/5.0 (Proefbrowser 7.1)"
    r = _sign(signer, token, world["inbox"])
    assert r.status_code == 303
    receipt_url = r.headers["location"]
    page = signer.get(receipt_url)
    assert page.status_code == 200 and "Bewijs van uw handtekening" in page.text
    assert "Proefbrowser" not in page.text and "testclient" not in page.text  # the TestClient's address
    assert signer.get(f"{receipt_url}/document.pdf").status_code == 200
    later = utcnow() + timedelta(days=7, minutes=1)
    monkeypatch.setattr(links, "utcnow", lambda: later)
    expired = signer.get(receipt_url, headers={"Accept": "text/html"})
    assert expired.status_code == 410 and "verlopen" in expired.text
    assert signer.get(f"{receipt_url}/document.pdf").status_code == 410
