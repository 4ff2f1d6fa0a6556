"""Printable PDFs of the meeting check and the authorisation register (WeasyPrint, Dutch).

HTML comes from sandboxed, autoescaping Jinja templates in ``service/register/templates``; the templates only
lay out values computed in Python. The stylesheet is inline; the PDF comes from the one pipeline
(``templates.pdf.html_pdf``), which loads nothing but the project's assets, so registry content can never
make the renderer read a file or reach the network.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from registry.rules import nl_date
from templates.pdf import html_pdf

if TYPE_CHECKING:
    from service.meetings.check_view import MeetingCheckView

TEMPLATES = Path(__file__).parent / "templates"


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
    return html_pdf(html)


def meeting_check_pdf(view: MeetingCheckView) -> bytes:
    """The meeting check's PDF, from the same view model as the page (service.meetings.check_view)."""
    return render_pdf("meeting_check.html.j2", check=view)


def register_pdf(register: dict[str, Any]) -> bytes:
    return render_pdf("register.html.j2", register=register)
