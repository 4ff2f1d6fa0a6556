"""Printable PDFs of the meeting check and the authorisation register (WeasyPrint, Dutch).

HTML comes from sandboxed, autoescaping Jinja templates in ``service/register/templates``; the templates only
lay out values computed in Python. WeasyPrint may load nothing: the stylesheet is inline and every URL is
refused, so registry content can never make the renderer read a file or reach the network.
"""

from __future__ import annotations

import threading
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from registry.rules import nl_date

TEMPLATES = Path(__file__).parent / "templates"
_LOCK = threading.Lock()


class NothingFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint ships no type information
    """Refuses every URL (records what was asked for)."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=[])
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> Any:
        self.refused.append(url)
        raise ValueError(f"geweigerd: {url[:200]}")


def _fmt_date(value: Any) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return nl_date(value)


@lru_cache(maxsize=1)
def _jinja() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined
    )
    env.filters["datum"] = _fmt_date
    return env


def render_html(template: str, **context: Any) -> str:
    return _jinja().get_template(template).render(**context)


def render_pdf(template: str, **context: Any) -> bytes:
    html = render_html(template, **context)
    with _LOCK:  # WeasyPrint's font configuration is not thread-safe
        return HTML(string=html, base_url="about:blank", url_fetcher=NothingFetcher()).write_pdf()  # type: ignore[no-any-return]


def meeting_check_pdf(check: dict[str, Any]) -> bytes:
    return render_pdf("meeting_check.html.j2", check=check)


def register_pdf(register: dict[str, Any]) -> bytes:
    return render_pdf("register.html.j2", register=register)
