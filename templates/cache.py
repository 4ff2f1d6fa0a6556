"""A content-hash cache of rendered documents: (engine version, dossier JSON, document, format) -> bytes.

In memory (bounded LRU), optionally mirrored in a folder so a restarted service keeps its renders.
An unchanged dossier's set comes back without rendering; any change to the dossier, the layouts or the
engine version yields a new key.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

log = logging.getLogger("convenant")

ENGINE_VERSION = "1"
_LAYOUT_FILES = ("layouts/document.html.j2", "layouts/document.docx", "assets/document.css")


def _layout_digest() -> str:
    """Engine version, layouts and the renderer's own code: a change to any of them is a new cache key."""
    h = hashlib.sha256(ENGINE_VERSION.encode())
    base = Path(__file__).parent
    for name in _LAYOUT_FILES:
        h.update((base / name).read_bytes())
    for source in sorted(base.rglob("*.py")):
        h.update(source.read_bytes())
    return h.hexdigest()[:16]


LAYOUT_DIGEST = _layout_digest()


def cache_key(dossier_json: str, document: str, fmt: str, extra: str = "") -> str:
    h = hashlib.sha256()
    for part in (LAYOUT_DIGEST, document, fmt, extra, dossier_json):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


class RenderCache:
    """Bounded in memory (``max_bytes``); the optional folder keeps at most ``max_files`` renders (oldest
    removed first). The folder is best effort: a file that cannot be written or read is a cache miss."""

    def __init__(
        self, max_bytes: int = 64_000_000, directory: Path | None = None, max_files: int = 2000
    ) -> None:
        self.max_bytes = max_bytes
        self.directory = directory
        self.max_files = max_files
        self._items: OrderedDict[str, tuple[int, Any]] = OrderedDict()
        self._size = 0
        self._puts = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> Any | None:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None:
                self._items.move_to_end(key)
                return hit[1]
        if self.directory is not None:
            path = self.directory / key[:2] / key
            try:
                data = path.read_bytes()
                value = pickle.loads(data)  # noqa: S301 - our own files, written below
            except FileNotFoundError:
                return None
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
                log.warning("beschadigd cachebestand %s verwijderd", path.name)
                path.unlink(missing_ok=True)
                return None
            self._remember(key, value, len(data))
            return value
        return None

    def put(self, key: str, value: Any, size: int) -> None:
        self._remember(key, value, size)
        if self.directory is None:
            return
        try:
            folder = self.directory / key[:2]
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(pickle.dumps(value))
                os.replace(tmp, folder / key)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:  # disk full, read-only: the render itself is fine
            log.warning("render niet in de cachemap bewaard: %s", exc)
            return
        self._puts += 1
        if self._puts % 100 == 1:
            self._prune()

    def _prune(self) -> None:
        assert self.directory is not None
        files = [p for p in self.directory.glob("??/*") if not p.name.startswith(".")]
        if len(files) <= self.max_files:
            return
        files.sort(key=lambda p: p.stat().st_mtime)
        for old in files[: len(files) - self.max_files]:
            old.unlink(missing_ok=True)

    def _remember(self, key: str, value: Any, size: int) -> None:
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (size, value)
            self._size += size
            while self._size > self.max_bytes and len(self._items) > 1:
                _, (old_size, _) = self._items.popitem(last=False)
                self._size -= old_size

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._size = 0


DEFAULT_CACHE = RenderCache()
