"""Shared hostile-input helpers: payloads, a loopback canary HTTP server, and dossier field injection."""

from __future__ import annotations

import copy
import http.server
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import yaml


@dataclass
class Canary:
    """An HTTP server on 127.0.0.1 that records every request it gets (it must get none)."""

    port: int = 0
    requests: list[str] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@contextmanager
def canary_server() -> Iterator[Canary]:
    canary = Canary()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            canary.requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        do_POST = do_GET  # noqa: N815

        def log_message(self, *args: Any) -> None:
            pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    canary.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield canary
    finally:
        server.shutdown()
        server.server_close()


def payloads(canary: Canary) -> list[str]:
    """Template syntax, HTML and CSS, local files and loopback URLs: each must end up as literal text."""
    c = canary.base
    return [
        "{{ 7*191 }}",
        "{% for x in range(3) %}ZZ{% endfor %}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ config }}{{ self }}{{ cycler.__init__.__globals__.os }}",
        "{%p if 1 %}docx-tag{%p endif %}",
        "<b>VET</b><script>alert(1)</script>",
        f'<img src="{c}/img.png"><img src="file:///etc/passwd">',
        f'<link rel="stylesheet" href="{c}/link.css">',
        f"<style>@import url({c}/import.css); body {{ background: url(file:///etc/passwd) }}</style>",
        f'<iframe src="{c}/frame"></iframe><object data="file:///etc/passwd"></object>',
        f"url({c}/css-url.png) url('file:///etc/passwd')",
        '"><svg onload=alert(1)><image href="file:///etc/passwd"/></svg>',
        "&lt;escaped&gt; &amp; &#x3C;b&#x3E;",
    ]


# What appears in output if a payload was evaluated or a file was read.
EVIDENCE = ["1337", "ZZZZZZ", "<class", "root:x:0:0", "Undefined", "jinja2"]


def string_leaves(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield from string_leaves(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from string_leaves(v, (*path, i))
    elif isinstance(data, str):
        yield path, data


def set_at(data: Any, path: tuple[Any, ...], value: Any) -> None:
    for p in path[:-1]:
        data = data[p]
    data[path[-1]] = value


def inject_everywhere(
    raw: dict[str, Any], texts: list[str], skip_keys: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    """Append a hostile text to every string field the dossier model accepts it in.

    Fields whose type refuses free text (keys, dates, e-mail addresses, choices) are found by validating
    and put back; what remains is every free-text field. Returns the data and the injected paths.
    """
    from templates.dossier.loading import dossier_from_data
    from templates.errors import DossierInvalid

    original = copy.deepcopy(raw)
    data = copy.deepcopy(raw)
    injected = []
    for n, (path, value) in enumerate(string_leaves(original)):
        if any(p in skip_keys for p in path if isinstance(p, str)):
            continue
        set_at(data, path, f"{value} {texts[n % len(texts)]}")
        injected.append(path)
    for _ in range(20):
        try:
            dossier_from_data(data)
            return data, injected
        except DossierInvalid as exc:
            refused = {p.path for p in exc.problems}
        keep = []
        for path in injected:
            dotted = ".".join(str(p) for p in path)
            if any(dotted == r or dotted.startswith(r + ".") or r.startswith(dotted) for r in refused):
                set_at(data, path, _get(original, path))
            else:
                keep.append(path)
        if len(keep) == len(injected):
            raise AssertionError(f"the model refuses injected fields it does not name: {sorted(refused)[:5]}")
        injected = keep
    raise AssertionError("could not find the free-text fields of the dossier")


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        data = data[p]
    return data


def load_yaml(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)  # type: ignore[no-any-return]
