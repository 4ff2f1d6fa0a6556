"""A structural PDF/A-3 check for the rules a signed update can break (no full validator installs here).

Read with pypdf — a parser independent of pyHanko, which wrote the updates. Checked, with the clause of
ISO 19005-3 each rule rests on:
- 6.1.3  not encrypted; trailer /ID present
- 6.2.2  an /OutputIntents entry with subtype /GTS_PDFA1 and an embedded ICC profile
- 6.6.2  XMP metadata in the catalog naming pdfaid:part 3 and a conformance level
- 6.6.3  each document-information entry has the equivalent XMP property with the same value
- 6.2.11.4 every font in every content stream, form XObject and annotation appearance stream embedded
- 6.3.2  annotations (except Popup) have /F with Print set and Hidden, Invisible, NoView, ToggleNoView unset
- 6.3.3  annotations with a non-empty /Rect (except Popup and Link) have an appearance dictionary with /N only
- 6.4/6.6.1 no JavaScript and no additional actions (/AA) on catalog, pages, fields and widgets
- 6.4.1  the interactive form has no /NeedAppearances true and no /XFA
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from io import BytesIO
from typing import Any

import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}
FLAG_INVISIBLE, FLAG_HIDDEN, FLAG_PRINT, FLAG_NOVIEW, FLAG_TOGGLE_NOVIEW = 1, 2, 4, 32, 256
INFO_TO_XMP = {
    "/Title": ("dc", "title"),
    "/Author": ("dc", "creator"),
    "/Subject": ("dc", "description"),
    "/Keywords": ("pdf", "Keywords"),
    "/Creator": ("xmp", "CreatorTool"),
    "/Producer": ("pdf", "Producer"),
}


class PdfANotConform(AssertionError):
    pass


def claims_pdfa(pdf: bytes) -> bool:
    """Whether the document's XMP says it is PDF/A (pdfaid:part)."""
    try:
        reader = pypdf.PdfReader(BytesIO(pdf))
        meta = reader.trailer["/Root"].get("/Metadata")
        return meta is not None and b"pdfaid" in meta.get_object().get_data()
    except Exception:
        return False


def pdfa_problems(pdf: bytes) -> list[str]:
    """Every PDF/A-3 rule (of those above) the document breaks; empty when it conforms."""
    reader = pypdf.PdfReader(BytesIO(pdf))
    problems: list[str] = []
    trailer = reader.trailer
    root = trailer["/Root"]
    if "/Encrypt" in trailer:
        problems.append("6.1.3: het document is versleuteld")
    if "/ID" not in trailer:
        problems.append("6.1.3: de trailer heeft geen /ID")
    problems += _output_intent(root)
    xmp = _xmp(root, problems)
    if xmp is not None:
        problems += _info_matches_xmp(trailer, xmp)
    problems += _javascript(root)
    acroform = root.get("/AcroForm")
    if acroform is not None:
        acroform = acroform.get_object()
        if acroform.get("/NeedAppearances") is True or str(acroform.get("/NeedAppearances")) == "True":
            problems.append("6.4.1: /AcroForm /NeedAppearances is true")
        if "/XFA" in acroform:
            problems.append("6.4.1: /AcroForm bevat /XFA")
    seen: set[int] = set()
    for number, page in enumerate(reader.pages, start=1):
        where = f"pagina {number}"
        if "/AA" in page:
            problems.append(f"6.4.2: {where} heeft /AA")
        problems += _fonts_in(page.get("/Resources"), where, seen)
        for annot_ref in page.get("/Annots", []) or []:
            annot = annot_ref.get_object()
            problems += _annotation(annot, where, seen)
    return problems


def assert_pdfa(pdf: bytes, what: str = "het PDF-bestand") -> None:
    problems = pdfa_problems(pdf)
    if problems:
        raise PdfANotConform(f"{what} is geen PDF/A-3: " + "; ".join(problems))


def _output_intent(root: DictionaryObject) -> list[str]:
    intents = root.get("/OutputIntents")
    if not intents:
        return ["6.2.2: geen /OutputIntents"]
    for intent in intents:
        intent = intent.get_object()
        if intent.get("/S") == "/GTS_PDFA1":
            if "/DestOutputProfile" not in intent:
                return ["6.2.2: /OutputIntent zonder ICC-profiel"]
            return []
    return ["6.2.2: geen /OutputIntent met /S /GTS_PDFA1"]


def _xmp(root: DictionaryObject, problems: list[str]) -> ET.Element | None:
    meta = root.get("/Metadata")
    if meta is None:
        problems.append("6.6.2: geen XMP-metadata in de catalogus")
        return None
    data = meta.get_object().get_data()
    try:
        tree = ET.fromstring(re.sub(rb"<\?xpacket[^>]*\?>", b"", data).strip())
    except ET.ParseError as exc:
        problems.append(f"6.6.2: XMP-metadata onleesbaar ({exc})")
        return None
    part = _xmp_value(tree, "pdfaid", "part")
    conformance = _xmp_value(tree, "pdfaid", "conformance")
    if part != "3" or conformance not in ("A", "B", "U"):
        problems.append(f"6.6.2: XMP pdfaid part={part!r} conformance={conformance!r}, verwacht 3 en A/B/U")
    return tree


def _xmp_value(tree: ET.Element, prefix: str, name: str) -> str | None:
    """A simple XMP property: as attribute or element of an rdf:Description; arrays give their first item."""
    ns = NS[prefix]
    for desc in tree.iter(f"{{{NS['rdf']}}}Description"):
        attr = desc.get(f"{{{ns}}}{name}")
        if attr is not None:
            return attr
        element = desc.find(f"{{{ns}}}{name}")
        if element is not None:
            item = element.find(f".//{{{NS['rdf']}}}li")
            return (item.text if item is not None else element.text) or ""
    return None


def _info_matches_xmp(trailer: DictionaryObject, xmp: ET.Element) -> list[str]:
    info = trailer.get("/Info")
    if info is None:
        return []
    info = info.get_object()
    problems = []
    for key, (prefix, name) in INFO_TO_XMP.items():
        if key not in info:
            continue
        value = str(info[key])
        in_xmp = _xmp_value(xmp, prefix, name)
        if in_xmp != value:
            problems.append(f"6.6.3: /Info {key} = {value!r}, XMP {prefix}:{name} = {in_xmp!r}")
    return problems


def _javascript(root: DictionaryObject) -> list[str]:
    problems = []
    names = root.get("/Names")
    if names is not None and "/JavaScript" in names.get_object():
        problems.append("6.6.1: /Names /JavaScript aanwezig")
    if "/AA" in root:
        problems.append("6.6.2: de catalogus heeft /AA")
    action = root.get("/OpenAction")
    if isinstance(action, (DictionaryObject, IndirectObject)):
        action = action.get_object()
        if isinstance(action, DictionaryObject) and action.get("/S") == "/JavaScript":
            problems.append("6.6.1: /OpenAction is JavaScript")
    fields = root.get("/AcroForm", {})
    for field in _walk_fields(fields.get_object().get("/Fields", []) if fields else []):
        if "/AA" in field:
            problems.append(f"6.4.2: veld {field.get('/T')} heeft /AA")
    return problems


def _walk_fields(fields: Any) -> list[DictionaryObject]:
    out: list[DictionaryObject] = []
    stack = list(fields or [])
    while stack:
        field = stack.pop().get_object()
        out.append(field)
        stack.extend(field.get("/Kids", []) or [])
    return out


def _annotation(annot: DictionaryObject, where: str, seen: set[int]) -> list[str]:
    subtype = annot.get("/Subtype")
    name = f"{where}, annotatie {subtype} {annot.get('/T', '')}".rstrip()
    problems = []
    if subtype == "/Popup":
        return problems
    flags = annot.get("/F")
    if flags is None:
        problems.append(f"6.3.2: {name} heeft geen /F")
    else:
        flags = int(flags)
        if not flags & FLAG_PRINT:
            problems.append(f"6.3.2: {name} wordt niet afgedrukt (Print-vlag uit)")
        for bit, label in (
            (FLAG_HIDDEN, "Hidden"),
            (FLAG_INVISIBLE, "Invisible"),
            (FLAG_NOVIEW, "NoView"),
            (FLAG_TOGGLE_NOVIEW, "ToggleNoView"),
        ):
            if flags & bit:
                problems.append(f"6.3.2: {name} heeft de vlag {label}")
    if "/A" in annot and annot["/A"].get_object().get("/S") == "/JavaScript":
        problems.append(f"6.6.1: {name} heeft een JavaScript-actie")
    if "/AA" in annot:
        problems.append(f"6.4.2: {name} heeft /AA")
    rect = [float(v) for v in annot.get("/Rect", [0, 0, 0, 0])]
    empty_rect = abs(rect[2] - rect[0]) == 0 or abs(rect[3] - rect[1]) == 0
    ap = annot.get("/AP")
    if ap is None:
        if not empty_rect and subtype != "/Link":
            problems.append(f"6.3.3: {name} heeft geen verschijningsbeeld (/AP)")
        return problems
    ap = ap.get_object()
    if set(ap.keys()) != {"/N"}:
        problems.append(f"6.3.3: {name}: /AP bevat {sorted(ap.keys())}, alleen /N is toegestaan")
    for key in ap:
        stream = ap[key].get_object()
        if isinstance(stream, StreamObject):
            problems += _form(stream, f"{name} /AP {key}", seen)
        elif isinstance(stream, DictionaryObject):  # appearance states
            for state, sub in stream.items():
                problems += _form(sub.get_object(), f"{name} /AP {key} {state}", seen)
    return problems


def _form(stream: Any, where: str, seen: set[int]) -> list[str]:
    return _fonts_in(stream.get("/Resources"), where, seen)


def _fonts_in(resources: Any, where: str, seen: set[int]) -> list[str]:
    """Fonts of a resource dictionary and of every form XObject below it, each checked once."""
    if resources is None:
        return []
    resources = resources.get_object()
    key = id(resources)
    if key in seen:
        return []
    seen.add(key)
    problems = []
    fonts = resources.get("/Font")
    if fonts is not None:
        for name, font in fonts.get_object().items():
            font = font.get_object()
            problem = _font_problem(font)
            if problem:
                problems.append(f"6.2.11.4: {where}: lettertype {name} ({font.get('/BaseFont')}) {problem}")
    xobjects = resources.get("/XObject")
    if xobjects is not None:
        for name, xobject in xobjects.get_object().items():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form":
                problems += _fonts_in(xobject.get("/Resources"), f"{where} {name}", seen)
    return problems


def _font_problem(font: DictionaryObject) -> str | None:
    subtype = font.get("/Subtype")
    if subtype == "/Type3":
        return None  # glyphs are content streams themselves
    if subtype == "/Type0":
        descendants = font.get("/DescendantFonts")
        if not isinstance(descendants, ArrayObject) or not descendants:
            return "heeft geen /DescendantFonts"
        font = descendants[0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return "is niet ingebed (geen /FontDescriptor)"
    descriptor = descriptor.get_object()
    if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
        return "is niet ingebed (geen /FontFile)"
    return None
