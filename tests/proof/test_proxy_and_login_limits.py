"""Issue 10 items 8, 10 (access log) and 17, replayed over HTTP.

- 8: the service as ``convenant serve`` runs it never takes ``X-Forwarded-For`` from a loopback peer (uvicorn
  trusted 127.0.0.1 by default): a spoofed address neither dodges the per-address limits nor lands in the
  records. Behind a proxy named in ``trusted_proxies`` the configured header is used, and only from that
  proxy. Wrong passwords typed by someone elsewhere do not lock the real user out: failures throttle the
  pair (account, address) with a doubling wait.
- 10: signing-link and receipt tokens do not appear in the access log.
- 17: the session and CSRF cookies are ``__Host-`` cookies (Secure, Path=/, no Domain); a CSRF pair planted
  in the victim's browser under a name a sibling subdomain could set does not let a login form through; a
  login posted from another site is refused even with a valid pair; signing in rotates the CSRF cookie.
"""

from __future__ import annotations

import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from service.accounts import csrf
from service.accounts.models import AuthAttempt
from service.commands.serve import UVICORN_OPTIONS
from tests.proof.api_support import PASSWORD, ApiWorld, build_api_world

CSRF_RE = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
VICTIM = "coordinator@proef.example"  # a role without a second factor: the password step is the whole sign-in


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _world(tmp_path, database_url: str, **settings: object) -> ApiWorld:  # type: ignore[no-untyped-def]
    return build_api_world(tmp_path / "data", database_url, **settings)


def _client(world: ApiWorld, ip: str, **headers: str) -> TestClient:
    c = TestClient(
        world.app,
        base_url="https://testserver",
        raise_server_exceptions=False,
        follow_redirects=False,
        client=(ip, 50000),
    )
    c.headers.update(headers)
    return c


def _login(client: TestClient, email: str, password: str) -> httpx.Response:
    page = client.get("/aanmelden")
    token = CSRF_RE.search(page.text)
    assert token, page.text[:300]
    return client.post(
        "/aanmelden", data={"email": email, "wachtwoord": password, "csrf_token": token.group(1)}
    )


def _attempt_ips(world: ApiWorld) -> set[str]:
    with Session(world.app.state.engine) as db:
        return {a.ip_address for a in db.exec(select(AuthAttempt)).all()}


@pytest.fixture
def world(tmp_path, database_url) -> Iterator[ApiWorld]:  # type: ignore[no-untyped-def]
    w = _world(tmp_path, database_url)
    yield w
    w.app.state.engine.dispose()


# --- item 8: who is the client ---------------------------------------------------------------------------


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def served(world: ApiWorld) -> Iterator[tuple[str, _Lines]]:
    """The app under uvicorn as ``convenant serve`` runs it, on 127.0.0.1; the access log caught."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(world.app, host="127.0.0.1", port=port, **UVICORN_OPTIONS))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn startte niet"
        time.sleep(0.05)
    access = _Lines()
    logging.getLogger("uvicorn.access").addHandler(access)
    try:
        yield f"http://127.0.0.1:{port}", access
    finally:
        logging.getLogger("uvicorn.access").removeHandler(access)
        server.should_exit = True
        thread.join(timeout=15)


def test_a_spoofed_forwarded_for_from_loopback_is_not_believed(world, served):
    url, _ = served
    with httpx.Client(base_url=url) as c:
        for n in range(3):
            r = c.post(
                "/api/account",
                headers={"X-Forwarded-For": f"203.0.113.{n}", "Authorization": f"Bearer cvt_geraden{n}"},
            )
            assert r.status_code in (401, 405)
        c.get("/dossiers", headers={"X-Forwarded-For": "203.0.113.77", "Authorization": "Bearer cvt_fout"})
    assert _attempt_ips(world) == {"127.0.0.1"}


def test_tokens_in_signing_and_receipt_urls_never_reach_the_access_log(served):
    url, access = served
    token = "Zq3" + "x" * 40
    receipt = "Rc9" + "y" * 40
    with httpx.Client(base_url=url) as c:
        c.get(f"/ondertekenen/{token}")
        c.get(f"/ondertekenen/{token}/document.pdf?grondslag=a")
        c.get(f"/ondertekend/{receipt}")
        c.get(f"/ondertekend/{receipt}/document.pdf")
    deadline = time.monotonic() + 5
    while len(access.lines) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    log = "\n".join(access.lines)
    assert log.count("/ondertekenen/[verborgen]") == 2 and log.count("/ondertekend/[verborgen]") == 2, log
    assert token not in log and receipt not in log


def test_behind_a_trusted_proxy_the_configured_header_counts_and_only_from_that_proxy(tmp_path, database_url):
    w = _world(tmp_path, database_url, trusted_proxies=["10.0.0.0/24"], client_ip_header="X-Real-IP")
    try:
        proxy = _client(w, "10.0.0.5", **{"X-Real-IP": "198.51.100.20"})
        assert _login(proxy, VICTIM, "fout-wachtwoord-1").status_code == 401
        stranger = _client(w, "192.0.2.50", **{"X-Real-IP": "198.51.100.21"})
        assert _login(stranger, VICTIM, "fout-wachtwoord-2").status_code == 401
        assert _attempt_ips(w) == {"198.51.100.20", "192.0.2.50"}
    finally:
        w.app.state.engine.dispose()


def test_behind_a_proxy_one_guesser_does_not_lock_out_the_others(tmp_path, database_url):
    w = _world(tmp_path, database_url, trusted_proxies=["10.0.0.5"])
    try:
        attacker = _client(w, "10.0.0.5", **{"X-Forwarded-For": "1.2.3.4, 198.51.100.66"})
        statuses = [_login(attacker, VICTIM, f"fout-{n}-wachtwoord").status_code for n in range(7)]
        assert statuses == [401] * 5 + [429] * 2
        user = _client(w, "10.0.0.5", **{"X-Forwarded-For": "198.51.100.1"})
        assert _login(user, VICTIM, PASSWORD).status_code == 303
        # The attacker's own spoofed left-most entry does not help: the proxy appended the real address.
        assert "1.2.3.4" not in _attempt_ips(w)
    finally:
        w.app.state.engine.dispose()


def test_wrong_passwords_from_elsewhere_do_not_lock_out_the_real_user(world, monkeypatch):
    attacker = _client(world, "198.51.100.66")
    statuses = [_login(attacker, VICTIM, f"fout-{n}-wachtwoord").status_code for n in range(6)]
    assert statuses == [401] * 5 + [429]
    assert _login(_client(world, "192.0.2.10"), VICTIM, PASSWORD).status_code == 303
    # The guesser's address waits (even with the right password), then may try again: throttled, not locked.
    right = _login(attacker, VICTIM, PASSWORD)
    assert right.status_code == 429 and "seconden" in right.text
    from service import clock
    from service.accounts import ratelimit

    later = clock.utcnow() + timedelta(seconds=31)
    monkeypatch.setattr(ratelimit, "utcnow", lambda: later)
    assert _login(attacker, VICTIM, PASSWORD).status_code == 303


def test_a_guess_from_many_addresses_slows_unknown_addresses_but_not_where_the_user_signed_in_before(world):
    home = _client(world, "192.0.2.10")
    assert _login(home, VICTIM, PASSWORD).status_code == 303
    for n in range(50):
        assert (
            _login(
                _client(world, f"198.51.{n // 200}.{n % 200 + 1}"), VICTIM, "fout-wachtwoord-x"
            ).status_code
            == 401
        )
    assert _login(_client(world, "203.0.113.200"), VICTIM, PASSWORD).status_code == 429
    assert _login(_client(world, "192.0.2.10"), VICTIM, PASSWORD).status_code == 303


# --- item 17: cookies and CSRF ---------------------------------------------------------------------------


def _set_cookies(response: httpx.Response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.get_list("set-cookie")}


def test_session_and_csrf_cookies_are_host_prefixed_secure_path_root_without_domain(world):
    client = _client(world, "192.0.2.1")
    page = client.get("/aanmelden")
    r = client.post(
        "/aanmelden",
        data={"email": VICTIM, "wachtwoord": PASSWORD, "csrf_token": CSRF_RE.search(page.text).group(1)},  # type: ignore[union-attr]
    )
    assert r.status_code == 303
    cookies = {**_set_cookies(page), **_set_cookies(r)}
    assert {"__Host-convenant_sessie", "__Host-convenant_csrf"} <= set(cookies)
    for name in ("__Host-convenant_sessie", "__Host-convenant_csrf"):
        header = cookies[name].lower()
        assert (
            "; secure" in header and "; path=/" in header and "domain=" not in header and "httponly" in header
        )


def test_a_planted_anonymous_csrf_pair_does_not_get_a_login_through(world):
    attacker = _client(world, "198.51.100.66")
    page = attacker.get("/aanmelden")
    value = attacker.cookies.get(csrf.COOKIE)
    token = CSRF_RE.search(page.text).group(1)  # type: ignore[union-attr]
    # A sibling subdomain (or a man in the middle on plain http) can set a cookie without the __Host- prefix
    # for the victim's browser; it cannot set a __Host- cookie.
    victim = _client(world, "192.0.2.1")
    victim.cookies.set(csrf.COOKIE.removeprefix("__Host-"), value, domain="testserver.local")
    r = victim.post("/aanmelden", data={"email": VICTIM, "wachtwoord": PASSWORD, "csrf_token": token})
    assert r.status_code == 403 and "convenant_sessie" not in r.headers.get("set-cookie", "")


def test_a_login_posted_from_another_site_is_refused_even_with_a_valid_pair(world):
    for headers in ({"Origin": "https://aanvaller.example"}, {"Sec-Fetch-Site": "cross-site"}):
        client = _client(world, "192.0.2.1")
        page = client.get("/aanmelden")
        r = client.post(
            "/aanmelden",
            data={"email": VICTIM, "wachtwoord": PASSWORD, "csrf_token": CSRF_RE.search(page.text).group(1)},  # type: ignore[union-attr]
            headers=headers,
        )
        assert r.status_code == 403 and "andere website" in r.text
    # The same form from this site goes through.
    client = _client(world, "192.0.2.1", Origin="https://testserver", **{"Sec-Fetch-Site": "same-origin"})
    assert _login(client, VICTIM, PASSWORD).status_code == 303


def test_signing_in_rotates_the_csrf_cookie(world):
    client = _client(world, "192.0.2.1")
    client.get("/aanmelden")
    before = client.cookies.get(csrf.COOKIE)
    assert _login(client, VICTIM, PASSWORD).status_code == 303
    after = client.cookies.get(csrf.COOKIE)
    assert before and after and before != after
