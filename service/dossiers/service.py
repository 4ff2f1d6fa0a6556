"""The dossier work: upload (validate, check, store), list, read, render. No HTTP here."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session

from registry.sync import sync_dossier
from service.accounts import tenancy
from service.accounts.service import Principal
from service.dossiers import repository, versions
from service.dossiers.storage import store_for as store_for  # the one store per folder
from service.failures import (
    Conflict,
    NotFound,
    PayloadTooLarge,
    SignedVersionFrozen,
    UnsupportedMediaType,
)
from service.settings import Settings
from templates import (
    Dossier,
    DossierInvalid,
    Problem,
    check_dossier,
    document_names,
    load_dossier,
    render_docx,
    render_pdf,
)
from templates.cache import RenderCache
from templates.dossier.loading import dossier_from_data, parse_dossier_text, with_line_numbers
from templates.formatting import count_phrase
from templates.render import document_title

_CACHES: dict[Path, RenderCache] = {}


@dataclass(frozen=True)
class Upload:
    dossier: Dossier
    replaced: bool
    warnings: list[Problem]
    text: str = ""  # the stored text (YAML)
    version: int | None = None  # the version number it became (when versions are recorded)
    signed_version: int | None = None  # the fully signed version it does NOT fall under, if any


def render_cache(settings: Settings) -> RenderCache:
    directory = (settings.data_dir / "cache" / "renders").resolve()
    if directory not in _CACHES:
        _CACHES[directory] = RenderCache(directory=directory)
    return _CACHES[directory]


def _as_yaml(text: str, data: object, syntax: str | None) -> str:
    """Keep an uploaded YAML text as written (comments included); JSON is stored as YAML."""
    if syntax == "json" or (syntax is None and text.lstrip().startswith("{")):
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110)
    return text


JSON_TYPES = {"application/json"}
YAML_TYPES = {"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml", "text/plain"}


def syntax_for(content_type: str | None) -> str | None:
    """The dossier language a Content-Type announces; None (no type) means: recognise it."""
    if not content_type:
        return None
    media = content_type.split(";")[0].strip().lower()
    if media in JSON_TYPES or media.endswith("+json"):
        return "json"
    if media in YAML_TYPES:
        return "yaml"
    raise UnsupportedMediaType(
        f"Content-Type '{media[:80]}' wordt niet ondersteund: stuur het dossier als application/yaml of "
        "application/json."
    )


def upload(
    settings: Settings,
    body: bytes,
    source_name: str = "upload",
    content_type: str | None = None,
    *,
    before_store: Callable[[Dossier], None] | None = None,
    parsed: dict[str, Any] | None = None,
) -> Upload:
    """Validate and check a dossier; store it only when it has no errors. Warnings are returned.

    ``before_store`` may refuse a valid dossier (raise) after validation, before anything is written.
    ``parsed``: the data ``body`` holds, when the caller made ``body`` from it (the editor), so it is not
    parsed again."""
    syntax = syntax_for(content_type)
    _check_size(settings, len(body))
    data = parsed if parsed is not None else parse_dossier_text(body, source_name, syntax)
    try:
        dossier = dossier_from_data(data, source_name)
    except DossierInvalid as exc:
        exc.problems = with_line_numbers(body.decode("utf-8-sig"), exc.problems)
        raise
    problems = check_dossier(dossier)
    errors = [p for p in problems if p.severity == "fout"]
    if errors:
        summary = "; ".join(f"{p.path}: {p.message}" for p in errors[:3])
        raise DossierInvalid(
            f"Het dossier is niet opgeslagen: {count_phrase(len(errors), 'fout', 'fouten')} — {summary}",
            problems,
        )
    if before_store is not None:
        before_store(dossier)
    store = store_for(settings)
    replaced = store.exists(dossier.id)
    text = _as_yaml(body.decode("utf-8-sig"), data, syntax)
    store.save(dossier.id, text, dossier)
    return Upload(dossier, replaced, [p for p in problems if p.severity != "fout"], text)


SIGNED_CHANGE_HELP = (
    "De handtekeningen op versie {n} gelden niet voor een nieuwe versie: na het opslaan is een nieuwe "
    "ondertekeningsronde nodig, of een addendum dat alle partijen ondertekenen."
)


def upload_and_register(
    settings: Settings,
    db: Session,
    body: bytes,
    source_name: str = "upload",
    content_type: str | None = None,
    *,
    author: str = "systeem",
    comment: str = "",
    source: str = "upload",
    new_version_after_signing: bool = False,
    parsed: dict[str, Any] | None = None,
    owner: Principal | None = None,
) -> Upload:
    """Store a dossier as its next version and let the registry learn its agreement, parties, besluit and
    mandates. Used by the API, the pages and the editor alike.

    With ``owner`` (the signed-in privacy officer): a new dossier is granted to her; an existing one she
    is not granted is refused, never replaced (tenancy, service.accounts.tenancy).

    A version out for signature may not change (the signatories sign the text they were sent): withdraw
    the round first. A fully signed version is frozen: a changed dossier is stored only as a new version,
    and only when the caller asks for that explicitly (``new_version_after_signing``); the signatures on
    the older version do not cover it."""
    state_box: list[versions.SignedState] = []

    def may_store(dossier: Dossier) -> None:
        if owner is not None and not tenancy.in_scope(db, owner, dossier.id):
            if store_for(settings).exists(dossier.id) or tenancy.key_is_taken(db, dossier.id):
                raise Conflict(
                    f"id: de dossier-id '{dossier.id}' is al in gebruik voor een overeenkomst die u niet "
                    "beheert; kies een andere id."
                )
        state = versions.signed_state(db, dossier.id)
        state_box.append(state)
        rnd = state.latest_round
        if rnd is not None and rnd.status == "open":
            raise Conflict(
                f"Het dossier '{dossier.id}' is ter ondertekening verstuurd; "
                "de tekst mag nu niet veranderen. "
                "Trek eerst de ondertekening in en upload dan de nieuwe versie."
            )
        if state.current_is_frozen and not new_version_after_signing:
            n = state.frozen_number or (state.current.number if state.current else 1)
            raise SignedVersionFrozen(
                f"Het dossier '{dossier.id}' is volledig ondertekend (versie {n}); die versie staat vast en "
                "wordt niet vervangen. Wilt u een wijziging vastleggen, maak dan uitdrukkelijk een nieuwe "
                "versie (vink 'nieuwe versie na ondertekening' aan; in de API: "
                "?nieuwe_versie_na_ondertekening=ja). " + SIGNED_CHANGE_HELP.format(n=n)
            )
        store = store_for(settings)
        if state.current is None and store.exists(dossier.id):
            # stored before versioning: keep the text that is about to be replaced as version 1
            previous = store.path(dossier.id).read_text(encoding="utf-8")
            old = store.load(dossier.id)
            first = versions.record(
                db,
                settings,
                dossier.id,
                old.title if old else dossier.title,
                previous,
                author=author,
                source="bestaand",
                comment="de tekst van vóór het versiebeheer",
            )
            if rnd is not None and rnd.status == "voltooid" and rnd.dossier_version is None:
                rnd.dossier_version = first.number  # the round predates versioning: it signed this text
                repository.save(db, rnd)

    result = upload(settings, body, source_name, content_type, before_store=may_store, parsed=parsed)
    version = versions.record(
        db,
        settings,
        result.dossier.id,
        result.dossier.title,
        result.text,
        author=author,
        source=source,
        comment=comment,
    )
    sync_dossier(db, result.dossier)
    if owner is not None:
        tenancy.grant(db, owner.user_id, result.dossier.id, by=owner.email)
    state = state_box[0] if state_box else None
    signed = None
    if state is not None and state.latest_round is not None and state.latest_round.status == "voltooid":
        signed = state.latest_round.dossier_version or 0
    return Upload(result.dossier, result.replaced, result.warnings, result.text, version.number, signed)


def current_version(
    settings: Settings, db: Session, dossier: Dossier, *, author: str
) -> versions.DossierVersion:
    """The recorded version of the working file (recorded now when it predates versioning)."""
    text = store_for(settings).path(dossier.id).read_text(encoding="utf-8")
    return versions.ensure_recorded(db, settings, dossier.id, dossier.title, text, author=author)


def version_dossier(settings: Settings, version: versions.DossierVersion) -> Dossier:
    """The dossier as it was in ``version`` (parsed from its frozen text)."""
    return load_dossier(versions.text_of(settings, version).encode("utf-8"), f"versie-{version.number}.yaml")


def _check_size(settings: Settings, size: int) -> None:
    if size > settings.max_upload_bytes:
        raise PayloadTooLarge(
            f"Het dossier is te groot ({size} bytes; ten hoogste {settings.max_upload_bytes})."
        )


def list_dossiers(settings: Settings) -> list[Dossier]:
    store = store_for(settings)
    out = []
    for dossier_id in store.ids():
        dossier = store.load(dossier_id)
        if dossier is not None:
            out.append(dossier)
    return out


def get_dossier(settings: Settings, dossier_id: str) -> Dossier:
    dossier = store_for(settings).load(dossier_id) if _valid_id(dossier_id) else None
    if dossier is None:
        raise NotFound(f"Er is geen dossier met id '{dossier_id}'.")
    return dossier


def _valid_id(dossier_id: str) -> bool:
    return re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", dossier_id) is not None and ".." not in dossier_id


def report(dossier: Dossier) -> list[Problem]:
    return check_dossier(dossier)


def documents(dossier: Dossier) -> list[tuple[str, str]]:
    return [(name, document_title(dossier, name)) for name in document_names(dossier)]


def render(settings: Settings, dossier_id: str, name: str, fmt: str) -> bytes:
    dossier = get_dossier(settings, dossier_id)
    cache = render_cache(settings)
    if fmt == "pdf":
        return render_pdf(dossier, name, cache=cache).data
    if fmt == "docx":
        return render_docx(dossier, name, cache=cache)
    raise NotFound(f"Onbekend formaat '{fmt}': kies .pdf of .docx.")
