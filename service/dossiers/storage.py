"""Dossier files under ``<data_dir>/dossiers/<id>.yaml``: written atomically (temp file + rename)."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

from service.settings import Settings
from templates import Dossier, load_dossier


class DossierStore:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._parsed: dict[str, tuple[tuple[int, int, int], Dossier]] = {}
        self._lock = threading.Lock()

    def path(self, dossier_id: str) -> Path:
        return self.directory / f"{dossier_id}.yaml"

    def ids(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        return sorted(p.stem for p in self.directory.glob("*.yaml") if not p.name.startswith("."))

    def exists(self, dossier_id: str) -> bool:
        return self.path(dossier_id).is_file()

    def load(self, dossier_id: str) -> Dossier | None:
        path = self.path(dossier_id)
        try:
            stat = path.stat()
        except FileNotFoundError:
            return None
        with self._lock:
            hit = self._parsed.get(dossier_id)
            version = (stat.st_mtime_ns, stat.st_size, stat.st_ino)  # a replaced file has a new inode
            if hit is not None and hit[0] == version:
                return hit[1]
        dossier = load_dossier(path.read_bytes(), path.name)
        with self._lock:
            self._parsed[dossier_id] = ((stat.st_mtime_ns, stat.st_size, stat.st_ino), dossier)
        return dossier

    def save(self, dossier_id: str, text: str, parsed: Dossier | None = None) -> None:
        """Replace the stored text in one step: a failed write leaves the previous file untouched.
        ``parsed``: the dossier ``text`` holds (already validated), kept so the next read needs no parse."""
        self.directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".upload-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path(dossier_id))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        with self._lock:
            self._parsed.pop(dossier_id, None)
            if parsed is not None:
                stat = self.path(dossier_id).stat()
                self._parsed[dossier_id] = ((stat.st_mtime_ns, stat.st_size, stat.st_ino), parsed)


_STORES: dict[Path, DossierStore] = {}


def store_for(settings: Settings) -> DossierStore:
    """One store per folder, so parsed dossiers are reused between requests (until the file changes)."""
    directory = (settings.data_dir / "dossiers").resolve()
    if directory not in _STORES:
        _STORES[directory] = DossierStore(directory)
    return _STORES[directory]
