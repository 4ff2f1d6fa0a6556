"""Signed files on disk: written to a temporary file, fsynced and renamed, so a crash (even SIGKILL) never
leaves a half-written PDF under its final name. Names carry the SHA-256, so a retry never overwrites
another version."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from service.invitations.errors import RoundConflict


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_json_atomic(path: Path, value: Any) -> None:
    write_atomic(path, json.dumps(value, ensure_ascii=False, indent=2, default=str).encode("utf-8"))


def read_verified(path: Path, expected_sha256: str) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        # A signed document is never deleted except by the retention purge (issue 10, item 1): a missing
        # file is an integrity problem to report in words, not a stack trace.
        raise RoundConflict(
            f"Het opgeslagen document {path.name} ontbreekt; de vastgelegde ondertekening kan niet worden "
            "getoond. Neem contact op met de privacyfunctionaris (herstel uit de back-up)."
        ) from None
    if sha256(data) != expected_sha256:
        raise RoundConflict(
            f"Het opgeslagen document {path.name} komt niet overeen met de vastgelegde SHA-256; "
            "ondertekening is geweigerd. Neem contact op met de privacyfunctionaris."
        )
    return data
