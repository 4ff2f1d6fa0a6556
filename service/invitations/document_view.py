"""The text of a document as HTML, to read on the signing page next to the PDF (a phone's browser often
shows no PDF inside a page). Built by the templates package from the same view model as the PDF; its
layout is autoescaped in a Jinja2 sandbox, so the body can be placed in our page as it is.

Adapter over ``templates.documents.build_document`` and ``templates.pdf.document_html``.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from templates import Dossier, Participant
from templates.documents import build_document
from templates.fields import is_signature_field
from templates.pdf import document_html

_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)
_RUNNING_HEADER = re.compile(r'<div class="running-header">.*?</div>', re.S)
_HEADING = re.compile(r"<(/?)h([1-6])\b")
# The print layout's table of contents has an empty link per entry (WeasyPrint fills in the page number); on a
# web page the entry's text becomes the link (a link without text is unusable: WCAG 2.4.4).
_TOC_LINK = re.compile(r'<span class="toc-text">([^<]*)</span><a class="toc-page" href="(#[^"]*)"></a>')
_EMPTY_LINK = re.compile(r'<a class="toc-page" href="#[^"]*"></a>')
# A footnote travels inside the text for print (CSS float: footnote); on a web page its number stays in the
# text and the note goes to the end (its content holds no span, so the first </span> closes it).
_FOOTNOTE = re.compile(r'<span class="fn" data-n="(\d+)">(.*?)</span>', re.S)


def document_body(
    dossier: Dossier, name: str, participant: Participant | None = None, own_field: str | None = None
) -> Markup | None:
    html = document_html(build_document(dossier, name, participant))
    match = _BODY.search(html)
    if match is None:
        return None
    body = _RUNNING_HEADER.sub("", match.group(1))
    notes: list[str] = []

    def _note(m: re.Match[str]) -> str:
        notes.append(f'<div class="note"><sup>{m.group(1)}</sup> {m.group(2)}</div>')
        return f'<sup class="noteref">{m.group(1)}</sup>'

    body = _FOOTNOTE.sub(_note, body)
    if notes:
        body += '<div class="notes">' + "".join(notes) + "</div>"
    # The page has its own h1 and h2: the document's headings go two levels down (at most h6).
    body = _EMPTY_LINK.sub("", _TOC_LINK.sub(r'<a class="toc-text" href="\2">\1</a>', body))
    # The document's heading levels, in rank order, become h3, h4, ... (no level skipped: WCAG 1.3.1).
    rank = {level: i for i, level in enumerate(sorted({int(x) for x in re.findall(r"<h([1-6])\b", body)}))}
    body = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(rank.get(int(m.group(2)), 3) + 3, 6)}", body)
    if own_field and is_signature_field(own_field):
        marker = f'<div class="sigbox" id="{own_field}"></div>'
        body = body.replace(
            marker,
            f'<div class="sigbox eigen-handtekening" id="{own_field}">Hier komt uw handtekening</div>',
            1,
        )
    return Markup(body)  # noqa: S704 - produced by the templates package's autoescaping sandbox
