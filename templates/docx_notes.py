"""Word footnotes for the DOCX rendering: the runs that call them and the footnotes part that holds them.

The layout (``templates/layouts/document.docx``) carries an empty footnotes part (only Word's separator
notes, ids -1 and 0) and ``w:footnotePr`` in its settings; a render fills the part with the document's
footnotes, numbered by Word in the order of their calls (the view model numbers them the same way).
"""

from __future__ import annotations

from docxtpl import RichText

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FOOTNOTES_RELTYPE = f"{R_NS}/footnotes"
FOOTNOTES_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
NOTE_STYLE = "CvFootnote"

_SEPARATORS = (
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
)


def footnotes_xml(notes: list[RichText]) -> bytes:
    """The footnotes part: the separators, then footnote 1, 2, ... with the given texts (escaped runs)."""
    body = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:pPr><w:pStyle w:val="{NOTE_STYLE}"/></w:pPr>'
        '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
        f"<w:r><w:tab/></w:r>{note.xml}</w:p></w:footnote>"
        for i, note in enumerate(notes, start=1)
    )
    xml = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<w:footnotes xmlns:w="{W_NS}" xmlns:r="{R_NS}">{_SEPARATORS}{body}</w:footnotes>'
    )
    return xml.encode("utf-8")


def footnote_call_xml(note_id: int) -> str:
    """The run that places footnote ``note_id`` (Word shows its number, superscript)."""
    return (
        f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{note_id}"/></w:r>'
    )


def bookmark(name: str, bookmark_id: int, inner: str) -> str:
    """``inner`` (run XML) inside a bookmark, the target of a PAGEREF in the table of contents."""
    return (
        f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{name}"/>{inner}<w:bookmarkEnd w:id="{bookmark_id}"/>'
    )


def pageref_xml(name: str, page: int | None) -> str:
    """A PAGEREF field to bookmark ``name``; its shown value is the page in the PDF of the same document
    (Word recomputes it for its own layout when fields are updated, F9)."""
    shown = "" if page is None else f'<w:r><w:t xml:space="preserve">{page}</w:t></w:r>'
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> PAGEREF {name} \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{shown}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
