"""The server secret for CSRF tokens: ``settings.secret_key`` or a random key kept in the data folder."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import SecretStr


def load_secret_key(secret_key: SecretStr | None, data_dir: Path) -> bytes:
    """Return the configured key, or read/create ``data_dir/secret.key`` (mode 0600, created atomically)."""
    if secret_key is not None and secret_key.get_secret_value():
        return secret_key.get_secret_value().encode("utf-8")
    path = data_dir / "secret.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".secret.key.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)  # fails if another worker was first: then we use theirs
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip().encode("utf-8")
