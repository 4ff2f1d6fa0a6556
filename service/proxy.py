"""The client's address behind a reverse proxy, trusted only from the proxies named in the settings.

uvicorn's own proxy handling (``--proxy-headers``, on by default, trusting ``127.0.0.1``) is switched off
(``service.commands.serve``): anyone able to reach the port from loopback could otherwise write their own
``X-Forwarded-For`` into rate limits and signing evidence. Instead ``install`` adds this middleware when
``trusted_proxies`` is configured: only a request whose peer is one of those addresses (or networks) has
its client address taken from ``client_ip_header``. For ``X-Forwarded-For`` (a list, each proxy appending
the address it saw) that is the right-most address that is not itself a trusted proxy; any other header
(``X-Real-IP``) holds one address. ``X-Forwarded-Proto`` from a trusted proxy sets the scheme.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from fastapi import FastAPI

from service.settings import Settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: Iterable[str]) -> list[Network]:
    """``"10.0.0.1"``, ``"10.0.0.0/8"``, ``"::1"``; a bad value is a start-up error naming it."""
    out = []
    for value in values:
        try:
            out.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(f"trusted_proxies: '{value}' is geen IP-adres of netwerk") from None
    return out


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    value = value.strip().strip('"')
    if value.startswith("["):  # [2001:db8::1]:4711
        value = value[1 : value.find("]")] if "]" in value else value
    elif value.count(":") == 1:  # 192.0.2.1:4711
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def is_trusted(host: str | None, networks: list[Network]) -> bool:
    address = _address(host or "")
    return address is not None and any(address in n for n in networks)


def client_from_header(value: str, networks: list[Network]) -> str | None:
    """The first untrusted address from the right of a forwarded list, or ``None`` if none is usable."""
    for part in reversed(value.split(",")):
        address = _address(part)
        if address is None:
            return None  # garbage in the chain: do not guess further left (that part is client-written)
        if not any(address in n for n in networks):
            return str(address)
    return None


class TrustedProxyMiddleware:
    def __init__(self, app: Any, networks: list[Network], header: str) -> None:
        self.app = app
        self.networks = networks
        self.header = header.lower().encode("latin-1")

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            peer = scope.get("client")
            if peer and is_trusted(peer[0], self.networks):
                values = [v.decode("latin-1") for k, v in scope["headers"] if k == self.header]
                client = client_from_header(", ".join(values), self.networks) if values else None
                if client is not None:
                    scope["client"] = (client, 0)
                for k, v in scope["headers"]:
                    if k == b"x-forwarded-proto" and v in (b"http", b"https"):
                        scope["scheme"] = v.decode()
        await self.app(scope, receive, send)


def install(app: FastAPI, settings: Settings) -> None:
    networks = parse_networks(settings.trusted_proxies)
    if networks:
        app.add_middleware(TrustedProxyMiddleware, networks=networks, header=settings.client_ip_header)
