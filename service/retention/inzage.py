"""Inzage: everything the registry holds about one data subject, as JSON, CSV and PDF.

The data subject receives inzage in and a copy of the records about them, as soon as possible and at the
latest within the inzage term of the agreements (each dossier's ``legal.retention.inzage_weeks``; the
strictest applies). The export holds the person record, their
designations, signed declarations (with the signed PDFs), meetings attended, police-data provisions
they gave or received, provisions whose reason or content mentions them (a resident is not a person in
the registry: found by name), and every audit entry about them or mentioning them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy.orm import Session

from registry.csvsafe import csv_text
from service.retention import repository
from service.retention.policy import FALLBACK_INZAGE_ARTICLE, inzage_deadline, retention_rule
from templates.pdf import html_pdf


class SubjectNotFound(Exception):
    code = "betrokkene_onbekend"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class SubjectExport:
    subject: str  # as asked: a person key, e-mail or name
    received_on: date
    answer_before: date
    person: dict[str, Any] | None
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    documents: list[str] = field(default_factory=list)  # document refs (relative to the documents folder)
    article: str = FALLBACK_INZAGE_ARTICLE

    def as_dict(self) -> dict[str, Any]:
        return {
            "betrokkene": self.subject,
            "verzoek_ontvangen": self.received_on.isoformat(),
            "beantwoorden_voor": self.answer_before.isoformat(),
            "artikel": self.article,
            "persoon": self.person,
            **self.sections,
            "documenten": self.documents,
        }


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj: Any, *names: str, **extra: Any) -> dict[str, Any]:
    out = {n: _plain(getattr(obj, n)) for n in names}
    out.update({k: _plain(v) for k, v in extra.items()})
    return out


def collect(session: Session, subject: str, *, received_on: date) -> SubjectExport:
    """Gather everything about ``subject`` (a person's key, e-mail address, or a resident's full name)."""
    needle = " ".join(subject.split())
    if not needle:
        raise SubjectNotFound("Geef een sleutel, e-mailadres of naam van de betrokkene op.")
    person = repository.person_by_key_or_email(session, needle) or repository.person_by_name(session, needle)
    every_agreement = repository.agreements(session)
    agreements = {a.id: a.title for a in every_agreement}
    rule = min(
        [retention_rule(a.legal) for a in every_agreement] or [retention_rule(None)],
        key=lambda r: r.inzage_weeks,
    )
    names = {p.id: p.name for p in repository.people(session)}
    export = SubjectExport(
        needle, received_on, inzage_deadline(received_on, rule), None, article=rule.inzage_article
    )
    if person is None and not is_mention_term(needle):
        raise SubjectNotFound(
            f"'{needle}' is geen sleutel of e-mailadres van een persoon in het register. Zoekt u een "
            "bewoner, geef dan de volledige naam (voornaam en achternaam): op een deel van een naam wordt "
            "niet gezocht, want dan komen gegevens van anderen in de inzage."
        )
    terms = [needle]
    sections = export.sections

    if person is not None:
        org = repository.organisation(session, person.organisation_id) if person.organisation_id else None
        export.person = _row(
            person, "id", "key", "name", "email", "function", organisatie=org.name if org else None
        )
        # A person is mentioned by their full name or e-mail address; a key or a single word is not a
        # mention (the export for "Jan" must not contain "Jan de Vries"). Their own rows are found by id.
        terms = [t for t in dict.fromkeys([person.name, person.email or ""]) if t and is_mention_term(t)]
        sections["aanwijzingen"] = [
            _row(
                d,
                "role",
                "designated_from",
                "designated_until",
                "designated_by",
                convenant=agreements.get(d.agreement_id),
            )
            for d in repository.designations_of(session, person.id)
        ]
        declarations = repository.declarations_of(session, person.id)
        sections["geheimhoudingsverklaringen"] = [
            _row(
                d,
                "ground",
                "signed_on",
                "document_ref",
                "document_sha256",
                convenant=agreements.get(d.agreement_id),
            )
            for d in declarations
        ]
        export.documents = [d.document_ref for d in declarations if d.document_ref]
        sections["overleggen"] = [
            _row(m, "key", "held_on", "title", convenant=agreements.get(m.agreement_id))
            for m in repository.meetings_attended(session, person.id)
        ]
        sections["verstrekkingen_als_verstrekker_of_ontvanger"] = [
            _provision(p, agreements, names) for p in repository.provisions_by_or_to(session, person.id)
        ]
    if person is not None and person.email:
        sections["ondertekeningen_online"] = [
            _row(
                e,
                "document_title",
                "signed_at",
                "ground",
                "ip_address",
                "user_agent",
                "sha256_before",
                "sha256_after",
                "file_path",
            )
            for e in repository.signing_events_of(session, person.email)
        ]
        sections["ondertekeningslinks"] = [
            _row(
                link,
                "document",
                "created_at",
                "created_by",
                "expires_at",
                "sent_at",
                "used_at",
                "revoked_at",
                "revoked_reason",
            )
            for link in repository.signing_links_of(session, person.email)
        ]
    mentioned = mention_matcher(terms)
    sections["verstrekkingen_waarin_genoemd"] = [
        _provision(p, agreements, names)
        for p in repository.provisions_mentioning(session, terms)
        if mentioned(p.content_summary) or mentioned(p.reason)
    ]
    sections["auditregels"] = [
        _row(a, "seq", "at", "actor", "action", "entity", "entity_id", "changes")
        for a in repository.audit_entries_about(session, person, terms)
        if _is_own_audit_row(a, person) or mentioned(a.changes)
    ]
    if person is None and not any(sections.values()):
        raise SubjectNotFound(f"Over '{needle}' is niets vastgelegd in het register.")
    return export


def is_full_name(text: str) -> bool:
    """At least a first name and a surname: two words of letters."""
    return len([w for w in text.split() if any(c.isalpha() for c in w)]) >= 2


def is_mention_term(term: str) -> bool:
    return "@" in term or is_full_name(term)


def mention_matcher(terms: list[str]) -> Callable[[str | None], bool]:
    """Does a text mention one of ``terms`` as a whole name or address (not as part of a longer word or
    name: "Jan de Vries" is not found in "Jan de Vriesema" or "Marijan de Vries")? Case-insensitive."""
    if not terms:
        return lambda _text: False
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in t.split()) for t in terms)
    pattern = re.compile(rf"(?<![\w@.-])(?:{alternatives})(?![\w@-])", re.IGNORECASE)
    return lambda text: bool(text) and pattern.search(text or "") is not None


def _is_own_audit_row(entry: Any, person: Any) -> bool:
    if person is None:
        return False
    if entry.entity in ("person", "persoon", "reg_person") and entry.entity_id == str(person.id):
        return True
    return bool(entry.entity_id == person.key)


def _provision(p: Any, agreements: dict[Any, str], names: dict[Any, str]) -> dict[str, Any]:
    return _row(
        p,
        "provided_on",
        "category",
        "reason",
        "content_summary",
        "recorded_at",
        "recorded_by",
        purposes=",".join(p.purposes or ()),  # the besluit's use keys, joined as the category is
        convenant=agreements.get(p.agreement_id),
        verstrekker=names.get(p.provider_id),
        ontvanger=names.get(p.recipient_id),
    )


SECTION_TITLES = {
    "aanwijzingen": "Aanwijzingen voor het wijkoverleg",
    "geheimhoudingsverklaringen": "Ondertekende geheimhoudingsverklaringen",
    "overleggen": "Bijgewoonde overleggen",
    "verstrekkingen_als_verstrekker_of_ontvanger": (
        "Verstrekkingen van politiegegevens (als verstrekker of ontvanger)"
    ),
    "verstrekkingen_waarin_genoemd": "Verstrekkingen waarin de betrokkene wordt genoemd",
    "ondertekeningen_online": "Online ondertekeningen (audittrail: tijdstip, IP-adres, browser, SHA-256)",
    "ondertekeningslinks": "Ondertekeningslinks die u zijn gestuurd",
    "auditregels": "Regels in het auditlogboek",
}


def to_json(export: SubjectExport) -> str:
    return json.dumps(export.as_dict(), indent=2, ensure_ascii=False)


def to_csv(export: SubjectExport) -> str:
    """One row per field: section, row number, field, value — readable in any spreadsheet."""
    out: list[list[object]] = [
        ["onderdeel", "regel", "veld", "waarde"],
        ["verzoek", 1, "betrokkene", export.subject],
        ["verzoek", 1, "ontvangen", export.received_on.isoformat()],
        ["verzoek", 1, "beantwoorden vóór", export.answer_before.isoformat()],
    ]
    for key, value in (export.person or {}).items():
        out.append(["persoon", 1, key, "" if value is None else value])
    for section, rows in export.sections.items():
        for n, row in enumerate(rows, 1):
            for key, value in row.items():
                out.append([section, n, key, "" if value is None else value])
    for n, ref in enumerate(export.documents, 1):
        out.append(["documenten", n, "bestand", ref])
    return csv_text(out)


def to_html(export: SubjectExport) -> str:
    env = SandboxedEnvironment(autoescape=True)
    template = env.from_string(_HTML)
    return template.render(e=export, titles=SECTION_TITLES)


def to_pdf(export: SubjectExport) -> bytes:
    return html_pdf(to_html(export))


def _write_private(path: Path, data: bytes) -> None:
    """Create (or replace) ``path`` readable by the owner only (0600): it holds personal data."""
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(path, 0o600)  # whatever the umask


def _private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(path, 0o700)


def write_export(export: SubjectExport, out_dir: Path, documents_dir: Path | None) -> list[Path]:
    """Write inzage.json, inzage.csv, inzage.pdf and copies of the signed documents to ``out_dir``; files
    are 0600 and folders 0700 (personal data of one data subject)."""
    _private_dir(out_dir)
    written = []
    for name, content in (("inzage.json", to_json(export)), ("inzage.csv", to_csv(export))):
        _write_private(out_dir / name, content.encode("utf-8"))
        written.append(out_dir / name)
    _write_private(out_dir / "inzage.pdf", to_pdf(export))
    written.append(out_dir / "inzage.pdf")
    if documents_dir is not None:
        root = documents_dir.resolve()
        for ref in export.documents:
            source = (root / ref).resolve()
            if source.is_relative_to(root) and source.is_file():
                target = out_dir / "documenten" / Path(ref).name
                _private_dir(target.parent)
                _write_private(target, source.read_bytes())
                written.append(target)
    return written


_HTML = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><title>Inzage {{ e.subject }}</title>
<style>
 body { font-family: "DejaVu Sans", sans-serif; font-size: 9pt; }
 h1 { font-size: 14pt; } h2 { font-size: 11pt; margin-top: 1.2em; }
 table { border-collapse: collapse; width: 100%; } td, th { border: 0.5pt solid #999; padding: 2pt 4pt;
 vertical-align: top; text-align: left; word-break: break-word; }
</style></head><body>
<h1>Inzage in vastgelegde gegevens</h1>
<p>Betrokkene: <strong>{{ e.subject }}</strong><br>
Verzoek ontvangen op {{ e.received_on.isoformat() }};
te beantwoorden uiterlijk op {{ e.answer_before.isoformat() }} ({{ e.article }}).</p>
{% if e.person %}<h2>Persoon</h2><table>
{% for k, v in e.person.items() %}
<tr><th>{{ k }}</th><td>{{ v if v is not none else "" }}</td></tr>{% endfor %}
</table>{% endif %}
{% for key, rows in e.sections.items() %}<h2>{{ titles.get(key, key) }} ({{ rows|length }})</h2>
{% if rows %}<table><tr>{% for k in rows[0].keys() %}<th>{{ k }}</th>{% endfor %}</tr>
{% for r in rows %}<tr>
{% for v in r.values() %}<td>{{ v if v is not none else "" }}</td>{% endfor %}</tr>{% endfor %}
</table>{% else %}<p>Niets vastgelegd.</p>{% endif %}{% endfor %}
{% if e.documents %}<h2>Documenten (bijgevoegd)</h2>
<ul>{% for d in e.documents %}<li>{{ d }}</li>{% endfor %}</ul>{% endif %}
</body></html>
"""
