"""Dossier versions: every save, upload and Word import is a numbered version with author, time and comment.

The text of each version is kept as a file under ``<data_dir>/dossiers/.versies/<id>/`` (named by number and
SHA-256, never overwritten); the row holds the number, the digest and who made it, so the audit chain (which
copies each new row) records every version without copying the whole text. The working file
``<data_dir>/dossiers/<id>.yaml`` is always the newest version.

A version sent for signature is frozen: the signing round records its number. Changing a dossier whose
newest version is signed (or out for signature) is refused unless the caller says, in so many words, that a
new version is wanted; the signatures on the older version never cover the new one (see ``SignedState``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from service.clock import utcnow
from service.dossiers import repository
from service.dossiers.models import SOURCES as SOURCES
from service.dossiers.models import DossierVersion as DossierVersion
from service.invitations import repository as signing_repository
from service.invitations.files import write_atomic
from service.invitations.models import AGREEMENT, SigningEvent, SigningRound
from service.settings import Settings


def versions_dir(settings: Settings) -> Path:
    return settings.data_dir / "dossiers" / ".versies"


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def history(db: Session, dossier_id: str) -> list[DossierVersion]:
    return repository.versions(db, dossier_id)


def latest(db: Session, dossier_id: str) -> DossierVersion | None:
    return repository.latest_version(db, dossier_id)


def get(db: Session, dossier_id: str, number: int) -> DossierVersion | None:
    return repository.version(db, dossier_id, number)


def text_of(settings: Settings, version: DossierVersion) -> str:
    path = (versions_dir(settings) / version.path).resolve()
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != version.sha256:
        raise RuntimeError(
            f"De tekst van versie {version.number} van '{version.dossier_id}' is gewijzigd op schijf."
        )
    return data.decode("utf-8")


def record(
    db: Session,
    settings: Settings,
    dossier_id: str,
    title: str,
    text: str,
    *,
    author: str,
    source: str,
    comment: str = "",
) -> DossierVersion:
    """Store ``text`` as the next version (file first, then the row; the caller commits)."""
    previous = latest(db, dossier_id)
    number = 1 if previous is None else previous.number + 1
    digest = sha256_text(text)
    rel = f"{dossier_id}/v{number:04d}-{digest[:16]}.yaml"
    write_atomic(versions_dir(settings) / rel, text.encode("utf-8"))
    version = DossierVersion(
        dossier_id=dossier_id,
        number=number,
        title=title[:2000],
        sha256=digest,
        path=rel,
        source=source,
        author=author[:300],
        comment=comment.strip()[:1000],
        created_at=utcnow(),
    )
    return repository.add_version(db, version)


def ensure_recorded(
    db: Session, settings: Settings, dossier_id: str, title: str, text: str, *, author: str
) -> DossierVersion:
    """The version whose text is ``text`` (the working file): the newest one when it matches, otherwise
    a new version (a dossier stored before versioning, or loaded from the examples)."""
    newest = latest(db, dossier_id)
    if newest is not None and newest.sha256 == sha256_text(text):
        return newest
    return record(db, settings, dossier_id, title, text, author=author, source="bestaand")


@dataclass(frozen=True)
class SignedVersion:
    """One version that was sent for signature, and who signed it (from the signing audit trail)."""

    number: int | None  # None: a round from before versioning
    round: SigningRound
    signers: list[SigningEvent]

    @property
    def complete(self) -> bool:
        return self.round.status == "voltooid"


@dataclass(frozen=True)
class SignedState:
    """What the signatures cover, compared with the newest version."""

    current: DossierVersion | None
    latest_round: SigningRound | None
    signed: list[SignedVersion]

    @property
    def frozen_number(self) -> int | None:
        """The version that is out for signature or fully signed (the last round that was not withdrawn)."""
        rnd = self.latest_round
        if rnd is None or rnd.status not in ("open", "voltooid"):
            return None
        return rnd.dossier_version

    @property
    def current_is_frozen(self) -> bool:
        """The newest version is the one out for signature or signed: it may not change."""
        rnd = self.latest_round
        if rnd is None or rnd.status not in ("open", "voltooid"):
            return False
        if rnd.dossier_version is None or self.current is None:
            return True  # a round from before versioning: the working file is what was sent
        return rnd.dossier_version == self.current.number

    @property
    def changed_after_signing(self) -> bool:
        """A fully signed version exists and the newest version is another one: not covered."""
        rnd = self.latest_round
        return (
            rnd is not None
            and rnd.status == "voltooid"
            and self.current is not None
            and rnd.dossier_version is not None
            and rnd.dossier_version != self.current.number
        )

    def signers_of(self, number: int) -> list[SigningEvent]:
        out: list[SigningEvent] = []
        for s in self.signed:
            if s.number == number:
                out.extend(s.signers)
        return out


def signed_state(db: Session, dossier_id: str) -> SignedState:
    rounds = signing_repository.rounds_of(db, dossier_id, AGREEMENT)
    signed = [
        SignedVersion(rnd.dossier_version, rnd, signing_repository.round_events(db, rnd.id or 0))
        for rnd in rounds
    ]
    return SignedState(latest(db, dossier_id), rounds[-1] if rounds else None, signed)
