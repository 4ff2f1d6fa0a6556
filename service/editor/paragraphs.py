"""Editor operations on the text outside articles: the paragraphs and headings of a document's parts and its
considerations ("Overwegende: …"). A text made of paragraphs only (an agreement in letter form, an annex
such as a handreiking or a financing note) is edited here. A place is named by its position ("2.0": part 2,
block 0; "3.o.1": part 3, consideration 1); pure functions on the stored data."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from service.editor.data import EditorInputError, body_of
from service.editor.data import text_field as _text

KINDS = {"p": "alinea", "heading": "tussenkop"}


@dataclass(frozen=True)
class Paragraph:
    at: str
    kind: str  # "p", "heading" or "overweging"
    text: str

    @property
    def label(self) -> str:
        return {"p": "Alinea", "heading": "Tussenkop", "overweging": "Overweging"}[self.kind]


def paragraphs(data: dict[str, Any], document: str = "") -> list[Paragraph]:
    """The paragraphs, headings and considerations of one document, in reading order."""
    out: list[Paragraph] = []
    for pi, part in enumerate(body_of(data, document).get("parts", [])):
        for bi, block in enumerate(part.get("blocks") or []):
            for kind in KINDS:
                if isinstance(block.get(kind), str):
                    out.append(Paragraph(f"{pi}.{bi}", kind, block[kind]))
        for ni, item in enumerate((part.get("considerations") or {}).get("items") or []):
            out.append(Paragraph(f"{pi}.o.{ni}", "overweging", item))
    return out


def _place(data: dict[str, Any], document: str, at: str) -> tuple[list[Any], int, str]:
    """(the list that holds the place, its index, its kind)."""
    bits = at.split(".")
    parts = body_of(data, document).get("parts", [])
    if bits and bits[0].isdigit() and int(bits[0]) < len(parts):
        part = parts[int(bits[0])]
        if len(bits) == 2 and bits[1].isdigit() and int(bits[1]) < len(part.get("blocks") or []):
            block = part["blocks"][int(bits[1])]
            kind = next((k for k in KINDS if isinstance(block.get(k), str)), "")
            if kind:
                return part["blocks"], int(bits[1]), kind
        items = (part.get("considerations") or {}).get("items") or []
        if len(bits) == 3 and bits[1] == "o" and bits[2].isdigit() and int(bits[2]) < len(items):
            return items, int(bits[2]), "overweging"
    raise EditorInputError("alinea", "Deze alinea bestaat niet (meer); laad de pagina opnieuw.")


def update_paragraph(data: dict[str, Any], at: str, text: str, document: str = "") -> dict[str, Any]:
    """New text for a paragraph, heading or consideration; an empty text removes it."""
    data = copy.deepcopy(data)
    holder, i, kind = _place(data, document, at)
    if not text.strip():
        if kind == "overweging" and len(holder) == 1:
            raise EditorInputError(
                "alinea", "De laatste overweging kan niet weg; verwijder de overwegingen niet."
            )
        del holder[i]
        return data
    value = _text(text, "alinea", {"p": "Alinea", "heading": "Tussenkop"}.get(kind, "Overweging"))
    if kind == "overweging":
        holder[i] = value
    else:
        holder[i][kind] = value
    return data


def add_paragraph(data: dict[str, Any], at: str, text: str, kind: str, document: str = "") -> dict[str, Any]:
    """A new paragraph or heading after the place ``at`` (a consideration after a consideration)."""
    data = copy.deepcopy(data)
    holder, i, where = _place(data, document, at)
    if where == "overweging":
        holder.insert(i + 1, _text(text, "alinea", "Nieuwe overweging"))
        return data
    if kind not in KINDS:
        raise EditorInputError("soort", "Soort: kies alinea of tussenkop.")
    holder.insert(i + 1, {kind: _text(text, "alinea", f"Nieuwe {KINDS[kind]}")})
    return data
