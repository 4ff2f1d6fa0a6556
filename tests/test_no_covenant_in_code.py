"""The product serves any covenant: no example covenant's articles, names or kind are known in code.

What a covenant establishes is data in its dossier (``legal``); the code cites the dossier's own numbering.
The patterns are those of the house's before-stop hook (item 5) plus the forms the old citation tables used.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("registry", "service", "templates", "signing")
FORBIDDEN = re.compile(
    r'kind == "convenant"|kind == "samenwerkingsovereenkomst"|\bZEIST\b|\bAMSTERDAM\b'
    r"|privacyregeling art\.|convenant art\. [0-9]|MZW Amsterdam|Besluit art\. 20 Wpg §|Besluit §[0-9]"
    r"|Amsterdam art\.|Zeist privacyregeling"
    r"|\.kind\s*(==|!=|in)\s*[(\"'](convenant|samenwerkingsovereenkomst)"
)


def offending_lines() -> list[str]:
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
                if FORBIDDEN.search(line):
                    out.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    return out


def test_no_example_covenant_articles_or_kind_in_code() -> None:
    assert offending_lines() == []


def test_the_check_would_catch_a_literal(tmp_path: Path) -> None:
    for line in (
        'return AMSTERDAM if kind == "convenant" else ZEIST',
        'article = "privacyregeling art. 11 lid 2"',
        'RETENTION_ARTICLE = "artikel 13, tweede lid (convenant MZW Amsterdam)"',
        'if agreement.kind == "samenwerkingsovereenkomst":',
    ):
        assert FORBIDDEN.search(line), line
