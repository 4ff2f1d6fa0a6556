"""The manifest of a backup: every file with its size and SHA-256, checked file by file on restore."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from service.backup.errors import BackupCorrupt

FORMAT = "convenant-backup/1"
MANIFEST_NAME = "manifest.json"
DATABASE_FILES = {"sqlite": "database/convenant.db", "postgresql": "database/convenant.pgdump"}


def is_member_name(name: str) -> bool:
    """A relative POSIX path without ``..``, empty parts, backslashes or control characters."""
    if not isinstance(name, str) or not name or name.startswith("/") or "\\" in name:
        return False
    if any(ord(c) < 32 for c in name) or ":" in name.split("/", 1)[0]:
        return False
    return all(part not in ("", ".", "..") for part in name.split("/"))


@dataclass(frozen=True)
class FileEntry:
    path: str  # posix path inside the archive
    size: int
    sha256: str


@dataclass
class Manifest:
    created_at: str
    database_kind: str  # "sqlite" or "postgresql"
    database_file: str  # path inside the archive of the database dump
    files: list[FileEntry] = field(default_factory=list)
    format: str = FORMAT
    app_version: str = ""
    alembic_revision: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        try:
            data: dict[str, Any] = json.loads(text)
        except ValueError as exc:
            raise BackupCorrupt("De back-up is beschadigd: manifest.json is geen geldige JSON.") from exc
        if data.get("format") != FORMAT:
            raise BackupCorrupt(f"Onbekend back-upformaat {data.get('format')!r}; verwacht {FORMAT!r}.")
        try:
            files = [FileEntry(**f) for f in data.pop("files", [])]
            manifest = cls(files=files, **data)
        except TypeError as exc:
            raise BackupCorrupt("De back-up is beschadigd: manifest.json heeft onbekende velden.") from exc
        manifest.check_names()
        return manifest

    def check_names(self) -> None:
        """Every name is a plain relative path inside the archive, and the database dump is the one member
        its kind is stored as (never a path of the restoring machine, e.g. ``/etc/…`` or ``../…``)."""
        for entry in self.files:
            if not is_member_name(entry.path):
                raise BackupCorrupt(
                    f"De back-up is beschadigd: {entry.path!r} in manifest.json is geen naam in het archief."
                )
        expected = DATABASE_FILES.get(self.database_kind)
        if expected is None:
            raise BackupCorrupt(f"De back-up is beschadigd: onbekende databasesoort {self.database_kind!r}.")
        if self.database_file != expected or expected not in {f.path for f in self.files}:
            raise BackupCorrupt(
                f"De back-up is beschadigd: de database moet het archieflid {expected!r} zijn, niet "
                f"{self.database_file!r}."
            )

    def verify(self, root: Path) -> None:
        """Check that ``root`` holds exactly the manifest's files with the recorded size and SHA-256."""
        expected = {f.path: f for f in self.files}
        present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
        present.discard(MANIFEST_NAME)
        missing = sorted(set(expected) - present)
        extra = sorted(present - set(expected))
        if missing:
            raise BackupCorrupt(
                f"De back-up is onvolledig: ontbrekend bestand {missing[0]} ({len(missing)} in totaal)."
            )
        if extra:
            raise BackupCorrupt(f"De back-up bevat een bestand dat niet in het manifest staat: {extra[0]}.")
        for entry in self.files:
            path = root / entry.path
            digest = sha256_file(path)
            if path.stat().st_size != entry.size or digest != entry.sha256:
                raise BackupCorrupt(
                    f"De back-up is beschadigd: {entry.path} komt niet overeen met het manifest "
                    f"(SHA-256 {digest[:12]}… in plaats van {entry.sha256[:12]}…)."
                )


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
