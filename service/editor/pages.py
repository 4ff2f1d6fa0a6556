"""Editor pages (Dutch, server-rendered, work without JavaScript): a new dossier from a model, empty or from
Word; one page with forms per part of the dossier; a preview of the agreement from the same view model as
the PDF. Every form post stores a new version (with the author and an optional comment) or, on bad input,
shows the page again with the message next to the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from service.accounts import tenancy
from service.accounts.guard import DbSession, require
from service.accounts.permissions import allowed
from service.accounts.service import Principal
from service.clock import clock_of
from service.dossiers import service as dossiers
from service.dossiers import versions
from service.editor import budget as budget_forms
from service.editor import data as editor_data
from service.editor import decisions, paragraphs
from service.editor import legal as legal_forms
from service.editor import service as editor
from service.editor.describe import Message, describe
from service.failures import ServiceError
from service.invitations.document_view import document_body
from service.pages.common import settings_of, who
from service.pages.rendering import render
from templates import Dossier, DossierInvalid, TemplatesError, check_dossier
from templates.budget import compute_budget
from templates.dossier.citation import citations
from templates.dossier.legal import DATA_LABELS

router = APIRouter(prefix="/portaal/editor", tags=["pagina"], include_in_schema=False)

Author = Annotated[Principal, Depends(require("dossiers.opstellen"))]
MAX_FORM_FIELDS = 400


async def _form(request: Request) -> dict[str, str]:
    """The posted fields; a field chosen several times (checkboxes, a multiple select) holds its values
    separated by commas (they are keys, which never contain one)."""
    form = await request.form(max_fields=MAX_FORM_FIELDS)
    out: dict[str, str] = {}
    for k in form:
        values = [v for v in form.getlist(k) if isinstance(v, str)]
        out[k] = ",".join(values) if len(values) > 1 else (values[0] if values else "")
    return out


# --- new dossiers ---


def _new_page(
    request: Request,
    db: DbSession,
    principal: Principal,
    *,
    error: str | None = None,
    report: Any = None,
    status: int = 200,
) -> Response:
    settings = settings_of(request)
    scope = tenancy.agreement_scope(db, principal)  # a model is one of the author's own dossiers
    ctx = {
        "models": [d for d in dossiers.list_dossiers(settings) if d.id in scope],
        "error": error,
        "report": report,
    }
    return render(request, "editor_new.html", ctx, title="Nieuw dossier", status_code=status)


@router.get("/nieuw", response_class=HTMLResponse)
def new_dossier_page(request: Request, db: DbSession, principal: Author) -> Response:
    return _new_page(request, db, principal)


@router.post("/nieuw", response_class=HTMLResponse)
async def new_dossier(request: Request, db: DbSession, principal: Author) -> Response:
    settings = settings_of(request)
    form = await _form(request)
    title = " ".join(form.get("titel", "").split())
    if not title:
        return _new_page(
            request, db, principal, error="Titel: geef het nieuwe dossier een titel.", status=422
        )
    model = form.get("model", "")
    try:
        if model:
            tenancy.ensure_dossier(db, principal, model)
            data = editor.from_model(settings, model, title)
        else:
            municipality = " ".join(form.get("gemeente", "").split()) or "…"
            data = editor.empty(title, municipality, clock_of(request).today())
        data["id"] = editor.unique_id(settings, title, db)
        result = editor.save(
            settings,
            db,
            data,
            author=who(principal),
            comment=f"nieuw dossier{' naar het model ' + model if model else ''}",
            source="nieuw",
            owner=principal,
        )
    except (TemplatesError, ServiceError) as exc:
        return _new_page(request, db, principal, error=exc.message, status=422)
    return RedirectResponse(f"/portaal/editor/{result.dossier.id}?melding=aangemaakt", status_code=303)


@router.post("/nieuw/word", response_class=HTMLResponse)
async def new_from_word(
    request: Request, db: DbSession, principal: Author, bestand: UploadFile | None = None
) -> Response:
    settings = settings_of(request)
    if bestand is None or not bestand.filename:
        return _new_page(request, db, principal, error="Word-bestand: kies een .docx-bestand.", status=422)
    limit = settings.max_upload_bytes
    body = await bestand.read(limit + 1)
    if len(body) > limit:
        message = f"Word-bestand: het bestand is te groot (ten hoogste {limit} bytes)."
        return _new_page(request, db, principal, error=message, status=422)
    try:
        imported = editor.from_word(body, clock_of(request).today())
        data = dict(imported.data)
        data["id"] = editor.unique_id(settings, str(data["id"]), db)
        result = editor.save(
            settings,
            db,
            data,
            author=who(principal),
            comment=f"geïmporteerd uit {bestand.filename[:200]}",
            source="word",
            owner=principal,
        )
    except (TemplatesError, ServiceError) as exc:
        return _new_page(request, db, principal, error=f"Word-bestand: {exc.message}", status=422)
    report = {"import": imported, "dossier": result.dossier, "version": result.version}
    return render(request, "editor_import.html", report, title="Import uit Word")


# --- the editor ---


def _editor_page(
    request: Request,
    db: DbSession,
    principal: Principal,
    dossier_id: str,
    *,
    flash: dict[str, str] | None = None,
    error: tuple[str, str, str] | None = None,  # (section, field, message)
    posted: dict[str, str] | None = None,  # the refused form: its action, target and values are shown again
    editing: tuple[str, str] | None = None,  # the legal-model item whose change form is open
    text_document: str = "",  # whose text the Tekst section edits: "" the agreement, or an annex key
    status: int = 200,
) -> Response:
    settings = settings_of(request)
    tenancy.ensure_dossier(db, principal, dossier_id)
    dossier = dossiers.get_dossier(settings, dossier_id)
    data = dossier.model_dump(mode="json")  # every field present (defaults included) for the forms
    messages: list[Message] = [describe(dossier, p) for p in check_dossier(dossier)]
    state = versions.signed_state(db, dossier.id)
    texts = editor_data.documents(data)
    if text_document not in {k for k, _, _ in texts}:
        text_document = ""
    refs = editor_data.articles(data, text_document)
    ctx = {
        "dossier": dossier,
        "data": data,
        "articles": [
            {
                "number": r.number,
                "chapter": r.chapter,
                "a": r.holder[r.index],
                "points": editor.points_of(r.holder[r.index]),
            }
            for r in refs
        ],
        "messages": messages,
        "by_anchor": _by_anchor(messages),
        "state": state,
        "frozen": state.current_is_frozen,
        "choices": editor.reference_choices(dossier, data),
        "kinds": editor.KINDS,
        "renewals": editor.RENEWALS,
        "term_renewal": editor.renewal_choice(data),
        "flash": flash,
        "error": error,
        "may_send": allowed(principal.role, "ondertekening.versturen"),
        "may_read": allowed(principal.role, "dossiers.lezen"),
        "placeholder": editor.PLACEHOLDER,
        "posted": posted or {},
        "editing": editing,
        "text_document": text_document,
        "texts": [(k, name) for k, name, _ in texts],
        "chapters": editor.chapters(data, text_document),
        "paragraphs": paragraphs.paragraphs(data, text_document),
        "ground_kinds": legal_forms.GROUND_KINDS,
        "condition_kinds": legal_forms.CONDITION_KINDS,
        "data_kinds": DATA_LABELS,
        "places": citations(dossier, dossier.legal.cited_keys()),
        "budget_ways": budget_forms.WAYS,
        "way_of": budget_forms.way_of,
        "mandate_documents": decisions.documents(data),
        "computed_budget": compute_budget(dossier.budget) if dossier.budget else None,
    }
    return render(request, "editor.html", ctx, title=f"Bewerken: {dossier.title}", status_code=status)


def _by_anchor(messages: list[Message]) -> dict[str, list[Message]]:
    out: dict[str, list[Message]] = {}
    for m in messages:
        out.setdefault(m.anchor, []).append(m)
        if m.anchor != m.section:
            out.setdefault(f"sectie-{m.section}", []).append(m)
        else:
            out.setdefault(f"sectie-{m.section}", []).append(m)
    return out


FLASHES = {
    "aangemaakt": "Het dossier is aangemaakt (versie 1).",
    "opgeslagen": "Opgeslagen als nieuwe versie.",
}


@router.get("/{dossier_id}", response_class=HTMLResponse)
def editor_page(
    request: Request,
    db: DbSession,
    principal: Author,
    dossier_id: str,
    melding: str | None = None,
    bewerk: str | None = None,
    tekst: str = "",
) -> Response:
    """``bewerk=soort:sleutel`` opens the change form of one item of the legal model."""
    flash = {"kind": "goed", "text": FLASHES[melding]} if melding in FLASHES else None
    kind, _, key = (bewerk or "").partition(":")
    editing = (kind, key) if kind in legal_forms.KINDS and key else None
    return _editor_page(request, db, principal, dossier_id, flash=flash, editing=editing, text_document=tekst)


SECTION_OF = {
    "algemeen": "algemeen",
    "partij-toevoegen": "partijen",
    "partij-wijzigen": "partijen",
    "partij-omhoog": "partijen",
    "partij-omlaag": "partijen",
    "partij-verwijderen": "partijen",
    "ondertekenaar-toevoegen": "partijen",
    "ondertekenaar-wijzigen": "partijen",
    "ondertekenaar-verwijderen": "partijen",
    "artikel-toevoegen": "tekst",
    "artikel-wijzigen": "tekst",
    "artikel-omhoog": "tekst",
    "artikel-omlaag": "tekst",
    "artikel-verwijderen": "tekst",
    "lid-toevoegen": "tekst",
    "onderdeel-toevoegen": "tekst",
    "onderdeel-verwijderen": "tekst",
    "hoofdstuk-toevoegen": "tekst",
    "hoofdstuk-wijzigen": "tekst",
    "alinea-wijzigen": "tekst",
    "alinea-toevoegen": "tekst",
    "hoofdstuk-verwijderen": "tekst",
    "onderdeel-omhoog": "tekst",
    "onderdeel-omlaag": "tekst",
    "lid-omhoog": "tekst",
    "lid-omlaag": "tekst",
    "hoofdstuk-omhoog": "tekst",
    "hoofdstuk-omlaag": "tekst",
    "verwijzing": "tekst",
    "begroting": "begroting",
    "besluit": "besluit",
    "mandaat": "mandaten",
    "bewaartermijn": "rechtsmodel",
    "nieuwe-versie": "versie",
}
for _kind in legal_forms.KINDS:
    for _op in ("toevoegen", "wijzigen", "verwijderen"):
        SECTION_OF[f"{_kind}-{_op}"] = "rechtsmodel"
for _kind in decisions.LISTS:
    for _op in ("toevoegen", "wijzigen", "verwijderen"):
        SECTION_OF[f"{_kind}-{_op}"] = "besluit"
SECTION_OF |= {
    "plichten": "rechtsmodel",
    "besluit-ontvangers": "besluit",
    "mandaat-toevoegen": "mandaten",
    "mandaat-verwijderen": "mandaten",
}


Change = Callable[[dict[str, Any], str, dict[str, str]], dict[str, Any]]
BUDGET_ACTIONS: dict[str, Change] = {
    "begroting-groep-toevoegen": lambda d, t, f: budget_forms.add_group(d, f),
    "begroting-groep-wijzigen": budget_forms.rename_group,
    "begroting-groep-verwijderen": lambda d, t, f: budget_forms.remove_group(d, t),
    "begroting-regel-toevoegen": budget_forms.add_line,
    "begroting-regel-wijzigen": budget_forms.update_line,
    "begroting-regel-verwijderen": lambda d, t, f: budget_forms.remove_line(d, t),
}
DECISION_ACTIONS: dict[str, Change] = {
    "besluit-ontvangers": lambda d, t, f: decisions.set_recipients(d, f),
    "plichten": lambda d, t, f: legal_forms.set_duties(d, f),
    "mandaat-toevoegen": lambda d, t, f: decisions.add_mandate(d, f),
    "mandaat-verwijderen": lambda d, t, f: decisions.remove_mandate(d, t),
}
SECTION_OF |= {a: "begroting" for a in BUDGET_ACTIONS}


def apply(data: dict[str, Any], action: str, form: dict[str, str]) -> dict[str, Any]:
    target = form.get("doel", "")
    if action == "algemeen":
        return editor.update_general(data, form)
    if action == "partij-toevoegen":
        return editor.add_party(data, form)
    if action == "partij-wijzigen":
        return editor.update_party(data, target, form)
    if action in ("partij-omhoog", "partij-omlaag"):
        return editor.move_party(data, target, -1 if action.endswith("omhoog") else 1)
    if action == "partij-verwijderen":
        return editor.remove_party(data, target)
    if action == "ondertekenaar-toevoegen":
        return editor.add_signatory(data, target, form)
    if action == "ondertekenaar-wijzigen":
        return editor.update_signatory(data, form.get("partij", ""), target, form)
    if action == "ondertekenaar-verwijderen":
        return editor.remove_signatory(data, form.get("partij", ""), target)
    document = form.get("document", "")
    if action == "artikel-toevoegen":
        return editor.add_article(data, form.get("titel", ""), form.get("lid", ""), document)
    if action == "artikel-wijzigen":
        leden = [form[k] for k in sorted((k for k in form if k.startswith("lid-")), key=lambda k: int(k[4:]))]
        return editor.update_article(data, target, form.get("titel", ""), leden)
    if action in ("artikel-omhoog", "artikel-omlaag"):
        return editor.move_article(data, target, -1 if action.endswith("omhoog") else 1)
    if action == "artikel-verwijderen":
        return editor.remove_article(data, target)
    if action == "lid-toevoegen":
        return editor.add_lid(data, target, form.get("tekst", ""))
    if action == "onderdeel-toevoegen":
        return editor.add_item(data, target, form.get("tekst", ""))
    if action == "onderdeel-verwijderen":
        return editor.remove_item(data, target)
    if action == "hoofdstuk-toevoegen":
        return editor.add_chapter(
            data, form.get("hoofdstuk", ""), form.get("titel", ""), form.get("lid", ""), document
        )
    if action == "hoofdstuk-wijzigen":
        return editor.rename_chapter(data, target, form.get("hoofdstuk", ""), document)
    if action == "hoofdstuk-verwijderen":
        return editor.remove_chapter(data, target, document)
    if action == "alinea-wijzigen":
        return paragraphs.update_paragraph(data, target, form.get("tekst", ""), document)
    if action == "alinea-toevoegen":
        return paragraphs.add_paragraph(data, target, form.get("tekst", ""), form.get("soort", "p"), document)
    if action in ("onderdeel-omhoog", "onderdeel-omlaag"):
        return editor.move_item(data, target, -1 if action.endswith("omhoog") else 1)
    if action in ("lid-omhoog", "lid-omlaag"):
        return editor.move_lid(data, target, -1 if action.endswith("omhoog") else 1)
    if action in ("hoofdstuk-omhoog", "hoofdstuk-omlaag"):
        return editor.move_chapter(data, target, -1 if action.endswith("omhoog") else 1, document)
    if action == "verwijzing":
        return editor.insert_reference(data, form.get("lid", ""), form.get("naar", ""))
    if action == "begroting":
        return editor.update_budget(data, form)
    if action == "besluit":
        return editor.update_besluit(data, form)
    if action == "mandaat":
        return editor.update_mandate(data, target, form)
    if action == "bewaartermijn":
        return editor.update_retention(data, form)
    if action == "nieuwe-versie":
        return data
    if action in BUDGET_ACTIONS:
        return BUDGET_ACTIONS[action](data, target, form)
    if action in DECISION_ACTIONS:
        return DECISION_ACTIONS[action](data, target, form)
    kind, _, op = action.partition("-")
    if kind in decisions.LISTS and op == "toevoegen":
        return decisions.add_entry(data, kind, form)
    if kind in decisions.LISTS and op == "wijzigen":
        return decisions.update_entry(data, kind, target, form)
    if kind in decisions.LISTS and op == "verwijderen":
        return decisions.remove_entry(data, kind, target)
    if kind in legal_forms.KINDS and op == "toevoegen":
        return legal_forms.add(data, kind, form)
    if kind in legal_forms.KINDS and op == "wijzigen":
        return legal_forms.update(data, kind, target, form)
    if kind in legal_forms.KINDS and op == "verwijderen":
        return legal_forms.remove(data, kind, target)
    raise editor_data.EditorInputError("actie", "Onbekende handeling; laad de pagina opnieuw.")


@router.post("/{dossier_id}", response_class=HTMLResponse)
async def editor_save(request: Request, db: DbSession, principal: Author, dossier_id: str) -> Response:
    settings = settings_of(request)
    form = await _form(request)
    action = form.get("actie", "")
    section = SECTION_OF.get(action, "algemeen")
    posted = {k: v for k, v in form.items() if k != "csrf_token"}
    tenancy.ensure_dossier(db, principal, dossier_id)
    dossier = dossiers.get_dossier(settings, dossier_id)
    data: dict[str, Any] = {}
    try:
        data = apply(editor.current_data(settings, dossier.id), action, form)
        comment = form.get("toelichting", "").strip()[:1000] or DEFAULT_COMMENTS.get(action, action)
        editor.save(
            settings,
            db,
            data,
            author=who(principal),
            comment=comment,
            new_version_after_signing=action == "nieuwe-versie" and form.get("begrepen") == "ja",
            source="nieuwe-versie" if action == "nieuwe-versie" else "editor",
            owner=principal,
        )
    except editor_data.EditorInputError as exc:
        return _editor_page(
            request,
            db,
            principal,
            dossier.id,
            error=(section, exc.field, exc.message),
            posted=posted,
            text_document=form.get("document", ""),
            status=422,
        )
    except DossierInvalid as exc:
        try:  # describe the places in the changed dossier (a new party has its name there)
            changed = Dossier.model_validate(data)
        except ValueError:
            changed = dossier
        words = "; ".join(describe(changed, p).sentence for p in exc.problems[:5] if p.severity == "fout")
        return _editor_page(
            request,
            db,
            principal,
            dossier.id,
            error=(section, "", f"Niet opgeslagen — {words or exc.message}"),
            posted=posted,
            text_document=form.get("document", ""),
            status=422,
        )
    except (TemplatesError, ServiceError) as exc:
        return _editor_page(
            request,
            db,
            principal,
            dossier.id,
            error=(section, "", exc.message),
            posted=posted,
            text_document=form.get("document", ""),
            status=422,
        )
    document = form.get("document", "")
    text = f"&tekst={quote(document)}" if document else ""
    return RedirectResponse(
        f"/portaal/editor/{dossier.id}?melding=opgeslagen{text}#{quote(section)}", status_code=303
    )


DEFAULT_COMMENTS = {
    "algemeen": "algemene gegevens gewijzigd",
    "partij-toevoegen": "partij toegevoegd",
    "partij-wijzigen": "partij gewijzigd",
    "partij-omhoog": "volgorde van de partijen gewijzigd",
    "partij-omlaag": "volgorde van de partijen gewijzigd",
    "partij-verwijderen": "partij verwijderd",
    "ondertekenaar-toevoegen": "ondertekenaar toegevoegd",
    "ondertekenaar-wijzigen": "ondertekenaar gewijzigd",
    "ondertekenaar-verwijderen": "ondertekenaar verwijderd",
    "artikel-toevoegen": "artikel toegevoegd",
    "artikel-wijzigen": "artikel gewijzigd",
    "artikel-omhoog": "artikel verplaatst",
    "artikel-omlaag": "artikel verplaatst",
    "artikel-verwijderen": "artikel verwijderd",
    "lid-toevoegen": "lid toegevoegd",
    "onderdeel-toevoegen": "onderdeel toegevoegd",
    "onderdeel-verwijderen": "onderdeel verwijderd",
    "hoofdstuk-toevoegen": "hoofdstuk toegevoegd",
    "hoofdstuk-wijzigen": "hoofdstuk hernoemd",
    "alinea-wijzigen": "alinea gewijzigd",
    "alinea-toevoegen": "alinea toegevoegd",
    "hoofdstuk-verwijderen": "hoofdstuk verwijderd",
    "onderdeel-omhoog": "onderdeel verplaatst",
    "onderdeel-omlaag": "onderdeel verplaatst",
    "lid-omhoog": "lid verplaatst",
    "lid-omlaag": "lid verplaatst",
    "hoofdstuk-omhoog": "hoofdstuk verplaatst",
    "hoofdstuk-omlaag": "hoofdstuk verplaatst",
    "verwijzing": "verwijzing ingevoegd",
    "begroting": "begroting gewijzigd",
    "besluit": "artikel 20-besluit gewijzigd",
    "mandaat": "mandaatbesluit gewijzigd",
    "bewaartermijn": "bewaartermijn in het rechtsmodel gewijzigd",
    "nieuwe-versie": "nieuwe versie na ondertekening",
}
for _kind, (_part, _what) in legal_forms.KINDS.items():
    for _op, _done in (("toevoegen", "toegevoegd"), ("wijzigen", "gewijzigd"), ("verwijderen", "verwijderd")):
        DEFAULT_COMMENTS[f"{_kind}-{_op}"] = f"rechtsmodel: {_what.lower()} {_done}"
for _kind, (_part, _what) in decisions.LISTS.items():
    for _op, _done in (("toevoegen", "toegevoegd"), ("wijzigen", "gewijzigd"), ("verwijderen", "verwijderd")):
        DEFAULT_COMMENTS[f"{_kind}-{_op}"] = f"artikel 20-besluit: {_what.lower()} {_done}"
_DONE = {"toevoegen": "toegevoegd", "wijzigen": "gewijzigd", "verwijderen": "verwijderd"}
for _action in BUDGET_ACTIONS:
    _, _what, _op = _action.split("-")
    DEFAULT_COMMENTS[_action] = f"begroting: {_what} {_DONE[_op]}"
DEFAULT_COMMENTS |= {
    "besluit-ontvangers": "artikel 20-besluit: ontvangers gewijzigd",
    "plichten": "rechtsmodel: autorisatieregister, logboek en aanwijzing gewijzigd",
    "mandaat-toevoegen": "mandaatbesluit toegevoegd",
    "mandaat-verwijderen": "mandaatbesluit verwijderd",
}


@router.get("/{dossier_id}/voorbeeld", response_class=HTMLResponse)
def preview(request: Request, db: DbSession, principal: Author, dossier_id: str) -> Response:
    """The agreement as it will be printed: the HTML of the same view model as the PDF."""

    tenancy.ensure_dossier(db, principal, dossier_id)
    settings = settings_of(request)
    dossier = dossiers.get_dossier(settings, dossier_id)
    try:
        text = document_body(dossier, "overeenkomst")
        error = None
    except TemplatesError as exc:
        text, error = None, exc.message
    ctx = {"dossier": dossier, "text": text, "error": error}
    return render(request, "editor_preview.html", ctx, title=f"Voorbeeld: {dossier.title}")


@router.get("/{dossier_id}/voorbeeld.pdf")
def preview_pdf(request: Request, db: DbSession, principal: Author, dossier_id: str) -> Response:
    tenancy.ensure_dossier(db, principal, dossier_id)
    data = dossiers.render(settings_of(request), dossier_id, "overeenkomst", "pdf")
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{dossier_id}-voorbeeld.pdf"',
            "Cache-Control": "no-store",
        },
    )
