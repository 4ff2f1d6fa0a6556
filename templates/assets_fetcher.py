"""The only way WeasyPrint may load anything: files under ``templates/assets``, nothing else."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSETS_DIR = (Path(__file__).parent / "assets").resolve()
# The base URL of the layouts. It is never requested from the network: the fetcher below answers it from
# ASSETS_DIR (".invalid" is a reserved top-level domain that can never resolve). An https URL, so that
# relative references in the stylesheet ("fonts/…") resolve against it.
ASSETS_URL = "https://assets.convenant.invalid/"


class AssetsOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Serves ``ASSETS_URL<relative path>`` from the assets folder; refuses every other URL.

    file://, http(s):// elsewhere, data: and anything else raise, so dossier content can never make the
    renderer read a local file or reach the network. ``served`` and ``refused`` record what was asked for
    (for audits and tests).
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=["https"], timeout=1, allow_redirects=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = self._path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"geweigerd: {url[:200]}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".ttf":
            mime = "font/ttf"
        self.served.append(url)
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    @staticmethod
    def _path(url: str) -> Path | None:
        if not url.startswith(ASSETS_URL):
            return None
        parts = urlsplit(url)
        if parts.query or parts.fragment:
            return None
        path = (ASSETS_DIR / unquote(parts.path).lstrip("/")).resolve()
        if not path.is_relative_to(ASSETS_DIR) or not path.is_file():
            return None
        return path
