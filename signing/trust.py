"""What to trust when validating (and when collecting validation data for B-LT/B-LTA signatures)."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

from asn1crypto import x509  # type: ignore[import-untyped]
from pyhanko.keys import load_certs_from_pemder_data
from pyhanko_certvalidator import ValidationContext

from signing.errors import InvalidRequest

TrustRoot: TypeAlias = Path | str | bytes | x509.Certificate


@dataclass(frozen=True)
class TrustConfig:
    """Trust anchors, and whether revocation data may be fetched over the network (OCSP/CRL/AIA).

    ``roots`` holds paths to PEM/DER files (one or more certificates each), PEM/DER bytes, or parsed
    certificates. With ``allow_fetching=False`` validation uses only what the PDF itself carries.
    """

    roots: Sequence[TrustRoot] = ()
    allow_fetching: bool = False
    revocation_mode: str = "hard-fail"  # pyhanko-certvalidator: soft-fail / hard-fail / require
    timeout_seconds: float = 10.0
    _loaded: list[x509.Certificate] = field(default_factory=list, init=False, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "roots", tuple(self.roots))

    def root_certificates(self) -> list[x509.Certificate]:
        """The parsed trust roots (read once per ``TrustConfig``)."""
        with self._lock:
            if not self._loaded and self.roots:
                self._loaded.extend(_load(self.roots))
            return list(self._loaded)

    def validation_context(self, **extra: Any) -> ValidationContext:
        """A fresh pyHanko validation context (contexts cache revocation data; one per validation)."""
        kwargs: dict[str, Any] = {
            "trust_roots": self.root_certificates(),
            "allow_fetching": self.allow_fetching,
            "revocation_mode": self.revocation_mode,
            # Without fetching, say explicitly that the (empty) local revocation data is all there is.
            "crls": [],
            "ocsps": [],
        }
        kwargs.update(extra)
        return ValidationContext(**kwargs)


def _load(roots: Iterable[TrustRoot]) -> list[x509.Certificate]:
    certs: list[x509.Certificate] = []
    for root in roots:
        if isinstance(root, x509.Certificate):
            certs.append(root)
            continue
        if isinstance(root, (str, Path)):
            try:
                data = Path(root).read_bytes()
            except OSError as exc:
                raise InvalidRequest(f"Het vertrouwde certificaat {root} kan niet worden gelezen.") from exc
        else:
            data = root
        try:
            certs.extend(load_certs_from_pemder_data(data))
        except ValueError as exc:
            raise InvalidRequest(
                f"Het vertrouwde certificaat {root!r:.80} is geen PEM- of DER-certificaat."
            ) from exc
    return certs
