"""The only way WeasyPrint may load anything: files under ``templates/assets``, nothing else."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher, URLFetcherResponse

ASSETS_DIR = (Path(__file__).parent / "assets").resolve()
ASSETS_URL = "convenant-assets:/"


class AssetsOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Serves ``convenant-assets:/<relative path>`` from the assets folder; refuses every other URL.

    file://, http(s)://, data: and anything else raise, so dossier content can never make the renderer
    read a local file or reach the network. ``refused`` records what was asked for (for audits and tests).
    """

    def __init__(self) -> None:
        super().__init__(allowed_protocols=["convenant-assets"])
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if not url.startswith(ASSETS_URL):
            self.refused.append(url)
            raise ValueError(f"geweigerd: {url[:200]}")
        relative = unquote(urlparse(url).path).lstrip("/")
        path = (ASSETS_DIR / relative).resolve()
        if not path.is_relative_to(ASSETS_DIR) or not path.is_file():
            self.refused.append(url)
            raise ValueError(f"geweigerd: {url[:200]}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".ttf":
            mime = "font/ttf"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
