"""Writing and checking audit checkpoints (see the package docstring)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from html import escape
from io import BytesIO
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils.reader import PdfFileReader
from sqlalchemy import Connection, Engine

from registry.audit import GENESIS
from service.checkpoints import repository
from service.clock import local, utcnow
from service.settings import Settings
from service.signatures.wiring import signer_from_settings, trust_roots
from signing import (
    FieldSpec,
    Level,
    SignatureRequest,
    SigningError,
    StampText,
    TrustConfig,
    add_signature_fields,
    ensure_development_pki,
    sign_pdf,
    validate_pdf,
)
from templates.fields import signature_field
from templates.pdf import html_pdf

FIELD = signature_field("controlepunt")
MARKER = "convenant-auditcontrolepunt"
_KEYWORDS = re.compile(rf"^{MARKER};seq=(\d+);hash=([0-9a-f]{{64}});tijd=([0-9T:+.\-]+)$")


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    path: Path


@dataclass
class CheckpointReport:
    ok: bool
    checked: int
    problems: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"in_orde": self.ok, "aantal": self.checked, "problemen": self.problems}


def checkpoint_dir(settings: Settings) -> Path:
    return settings.data_dir / "audit"


def _head(conn: Connection) -> tuple[int, str]:
    return repository.chain_head(conn) or (0, GENESIS)


def _pdf(seq: int, head: str, at: str) -> bytes:
    keywords = f"{MARKER};seq={seq};hash={head};tijd={at}"
    html = f"""<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">
<title>Controlepunt auditlog</title><meta name="keywords" content="{escape(keywords)}">
<style>@page {{ size: A4; margin: 25mm }} body {{ font-family: sans-serif; font-size: 11pt }}
code {{ font-size: 9pt; word-break: break-all }}</style></head><body>
<h1>Controlepunt van het auditlog</h1>
<p>Op {escape(at)} (UTC) was de laatste regel van het auditlog regel <strong>{seq}</strong>, met hash</p>
<p><code>{escape(head)}</code></p>
<p>Deze verklaring is ondertekend met de ondertekensleutel van de dienst. Wie later een regel van het
auditlog tot en met regel {seq} wijzigt, ook met opnieuw berekende hashes, verandert deze hash:
<code>convenant audit verify</code> meldt dat.</p>
</body></html>"""
    return html_pdf(html)


def write_checkpoint(settings: Settings, engine: Engine, *, now: datetime | None = None) -> Checkpoint:
    """Sign the current head of the chain into today's checkpoint (replacing an earlier one of today: a
    later head covers every earlier row). Written atomically, mode 0600."""
    now = now or utcnow()
    day = local(now).date()  # the checkpoint of a day in Amsterdam (the schedule asks for that day)
    with engine.connect() as conn:
        seq, head = _head(conn)
    at = now.isoformat(timespec="seconds")
    pdf = add_signature_fields(_pdf(seq, head, at), [FieldSpec(FIELD, 0, (72, 72, 330, 150))])
    level: Level = "B-T" if settings.tsa_url else "B-B"
    stamp = StampText("Convenant (dienst)", "auditlog", "controlepunt", signed_on=day)
    request = SignatureRequest(
        FIELD, level, stamp, f"Controlepunt auditlog regel {seq}", "", settings.tsa_url
    )
    signed = sign_pdf(pdf, request, signer_from_settings(settings))
    folder = checkpoint_dir(settings)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / f"controlepunt-{day.isoformat()}.pdf"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(signed)
    tmp.replace(path)
    return Checkpoint(seq, head, at, path)


def has_checkpoint(settings: Settings, day: date) -> bool:
    return (checkpoint_dir(settings) / f"controlepunt-{day.isoformat()}.pdf").exists()


def _read(pdf: bytes, path: Path) -> Checkpoint | None:
    try:
        info = PdfFileReader(BytesIO(pdf), strict=False).trailer_view["/Info"]
        keywords = str(info.get("/Keywords", ""))
    except Exception:  # noqa: BLE001 - any unreadable file is reported as such by the caller
        return None
    m = _KEYWORDS.match(keywords)
    return Checkpoint(int(m.group(1)), m.group(2), m.group(3), path) if m else None


def _signature_problem(pdf: bytes, trust: TrustConfig) -> str | None:
    try:
        report = validate_pdf(pdf, trust)
    except SigningError as exc:
        return exc.message
    if len(report.signatures) != 1:
        return f"verwacht één handtekening, gevonden: {len(report.signatures)}"
    sig = report.signatures[0]
    if not sig.coverage.whole_document or sig.coverage.later_revisions:
        return "de handtekening dekt niet het hele bestand (er is iets aan toegevoegd)"
    # Offline, a B-B signature cannot reach TOTAL_PASSED (no revocation data): integrity and our chain are
    # what counts here, and TRY_LATER says exactly that the rest could not be fetched.
    if sig.indication == "TOTAL_PASSED" or (
        sig.indication == "INDETERMINATE" and sig.sub_indication == "TRY_LATER"
    ):
        return None
    return f"handtekening ongeldig ({sig.indication}/{sig.sub_indication})"


def verify_checkpoints(settings: Settings, conn: Connection) -> CheckpointReport:
    """Check every checkpoint in ``data_dir/audit``: a valid signature of ours over the whole file, and the
    row it names still there with the recorded hash."""
    folder = checkpoint_dir(settings)
    paths = sorted(folder.glob("controlepunt-*.pdf")) if folder.is_dir() else []
    roots = trust_roots(settings) or [*_own_ca(settings)]
    trust = TrustConfig(roots=roots, allow_fetching=False)
    problems: list[str] = []
    for path in paths:
        pdf = path.read_bytes()
        problem = _signature_problem(pdf, trust)
        if problem is not None:
            problems.append(f"{path.name}: {problem}")
            continue
        cp = _read(pdf, path)
        if cp is None:
            problems.append(f"{path.name}: geen leesbaar controlepunt (regel en hash ontbreken)")
            continue
        if cp.seq == 0:
            continue
        stored = repository.hash_at(conn, cp.seq)
        if stored is None:
            problems.append(f"{path.name}: regel {cp.seq} van {cp.at} bestaat niet meer (regels verwijderd)")
        elif stored != cp.hash:
            problems.append(
                f"{path.name}: regel {cp.seq} heeft niet meer de hash van {cp.at} — het auditlog is tot en "
                "met die regel herschreven (ook als de keten zelf weer sluit)"
            )
    return CheckpointReport(ok=not problems, checked=len(paths), problems=problems)


def _own_ca(settings: Settings) -> list[Path]:
    """Without configured trust roots the development CA (the development key signs the checkpoints)."""
    if settings.signing_backend == "pkcs12" and settings.pkcs12_path is None:
        return [ensure_development_pki(settings.keys_dir).ca_cert_path]
    return []
