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
        files = [FileEntry(**f) for f in data.pop("files", [])]
        return cls(files=files, **data)

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
