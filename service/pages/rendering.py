"""Rendering staff and signing pages: one sandboxed Jinja2 environment with autoescaping.

Templates only lay out what the handlers computed (no rules in templates). ``render`` adds what every
page needs: the signed-in person, the navigation for their role, the CSRF token for forms (and the
CSRF cookie when the browser has none yet), and Dutch formatting filters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from service.accounts import csrf
from service.accounts.permissions import allowed
from service.accounts.service import Principal
from service.accounts.wiring import secret_key_of
from service.clock import nl_date, nl_datetime
from templates.formatting import format_money

HTML_DIR = Path(__file__).resolve().parent / "html"


_FIELD_PREFIX = re.compile(r"^[a-z_][a-z0-9_.\- ]{0,40}: ")


_WORD_PREFIX = re.compile(r"^[a-zà-ÿ][a-zà-ÿ ]{0,40}: ")


def plain_message(message: str) -> str:
    """A message as a person reads it. A field named in words stays, capitalised, so the message still
    names the field ("wachtwoord: staat op de lijst …" -> "Wachtwoord: staat op de lijst …"); a technical key
    ("account_user.email: …", "sha256: …") is dropped."""
    if not _WORD_PREFIX.match(message):
        message = _FIELD_PREFIX.sub("", message, count=1)
    return message[:1].upper() + message[1:]


def nl_money(value: Decimal | int | None) -> str:
    return "—" if value is None else format_money(value)


_env = SandboxedEnvironment(
    loader=FileSystemLoader(str(HTML_DIR)),
    autoescape=select_autoescape(["html"], default=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["datum"] = nl_date
_env.filters["datumtijd"] = nl_datetime
_env.filters["bedrag"] = nl_money
_env.filters["melding"] = plain_message


@dataclass(frozen=True)
class NavItem:
    href: str
    label: str
    permission: str
    roles: frozenset[str] | None = None  # shown only to these roles (None: everyone with the permission)


NAV: tuple[NavItem, ...] = (
    NavItem("/portaal/dossiers", "Dossiers", "dossiers.lezen"),
    NavItem("/portaal/editor/nieuw", "Nieuw dossier", "dossiers.opstellen"),
    NavItem("/portaal/overleggen", "Wijkoverleggen", "vergaderingen.lezen"),
    NavItem("/portaal/verstrekkingen", "Verstrekkingen", "verstrekkingen.lezen"),
    NavItem("/portaal/register", "Autorisatieregister", "register.lezen"),
    NavItem("/portaal/audit", "Auditlog", "audit.lezen"),
    NavItem("/portaal/accounts", "Accounts", "accounts.beheren"),
    # Only the roles that connect other systems see API keys in the menu (the page stays reachable).
    NavItem(
        "/portaal/sleutels", "API-sleutels", "account.eigen", frozenset({"privacyfunctionaris", "beheerder"})
    ),
    NavItem("/portaal/wachtwoord", "Wachtwoord", "account.eigen"),
)


def nav_for(principal: Principal | None) -> list[NavItem]:
    if principal is None:
        return []
    return [
        n
        for n in NAV
        if allowed(principal.role, n.permission) and (n.roles is None or principal.role.value in n.roles)
    ]


def csrf_cookie_value(request: Request) -> tuple[str, bool]:
    existing = getattr(request.state, "csrf_cookie", None) or request.cookies.get(csrf.COOKIE)
    if existing:
        return existing, False
    value = csrf.new_cookie_value()
    request.state.csrf_cookie = value
    return value, True


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    title: str = "",
) -> HTMLResponse:
    principal: Principal | None = getattr(request.state, "principal", None)
    cookie_value, new_cookie = csrf_cookie_value(request)
    token = csrf.token_for(secret_key_of(request), cookie_value, principal.session_id if principal else None)
    ctx = {
        "title": title,
        "principal": principal,
        "nav": nav_for(principal),
        "current_path": request.url.path,
        "csrf_field": csrf.FIELD,
        "csrf_token": token,
        **(context or {}),
    }
    html = _env.get_template(template).render(ctx)
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # signing links must not leak via Referer
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; object-src 'self'; "
        "form-action 'self'; frame-ancestors 'self'; base-uri 'none'"
    )
    if new_cookie:
        set_csrf_cookie(response, cookie_value)
    return response


def set_csrf_cookie(response: Any, value: str) -> None:
    """``__Host-``: Secure, Path=/ and no Domain, as the prefix requires (browsers treat 127.0.0.1 and
    localhost as secure, so this works over plain http in the tests too)."""
    response.set_cookie(csrf.COOKIE, value, httponly=True, secure=True, samesite="strict", path="/")


def rotate_csrf_cookie(request: Request, response: Any) -> None:
    """A new CSRF cookie at sign-in and sign-out: tokens issued before are worthless afterwards."""
    value = csrf.new_cookie_value()
    request.state.csrf_cookie = value
    set_csrf_cookie(response, value)
