"""Accessibility and reflow checks for every page state the browser tests visit.

``check(page, name)`` looks at the page as it is now at 390 px (a phone) and at 1280 px (a laptop):
- axe-core (bundled by the PyPI package ``axe-playwright-python``; injected, never downloaded) with the
  WCAG 2.0/2.1/2.2 A and AA rules plus best practices, colour contrast included. A serious or critical
  violation fails the test.
- reflow (WCAG 1.4.10): the document may not be wider than the viewport (no sideways scrolling).
- B1 Dutch: no plural in brackets ("poging(en)") in the page's own text.
- a full-page screenshot per width in ``test-artifacts/screenshots/<name>-<width>.png``.
``check_without_javascript(page, name)`` does the same for a page opened without JavaScript (axe cannot run
there), on a JavaScript-enabled copy of its HTML at the same address.
Every measurement is appended to ``test-artifacts/axe-results.jsonl``; ``python tests/browser/a11y.py``
prints the per-page table from it.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from axe_playwright_python.base import AXE_SCRIPT
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
RESULTS = ARTIFACTS / "axe-results.jsonl"
WIDTHS = (390, 1280)
FAILING = ("serious", "critical")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe(page: Page) -> dict[str, Any]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    result: dict[str, Any] = page.evaluate(
        """async (tags) => {
             const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
             const node = n => ({target: n.target.join(' '), summary: n.failureSummary});
             const slim = v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(node)});
             const contrast = r.passes.concat(r.violations).filter(v => v.id === 'color-contrast');
             return {violations: r.violations.map(slim),
                     contrast_checked: contrast.reduce((s, v) => s + v.nodes.length, 0)};
           }""",
        TAGS,
    )
    return result


def page_width(page: Page) -> int:
    js = "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
    return int(page.evaluate(js))


OVERFLOWING = """(w) => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > w + 0.5 && getComputedStyle(e).position !== 'absolute')
  .slice(-3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                      + (e.className ? '.' + e.className : '')
                      + ' (' + Math.round(e.getBoundingClientRect().right) + ' px)')"""


# B1 Dutch (issue 14, item 9): no plural in brackets ("handtekening(en)", "poging(en)") in what the page
# itself says. The text of a document shown on the page (legal text, quoted as written) is left out.
BRACKET_PLURALS = """() => {
  const copy = document.body.cloneNode(true);
  copy.querySelectorAll('.document, .doc-tekst, textarea, script, style, template').forEach(e => e.remove());
  return [...new Set(copy.textContent.match(/[A-Za-zÀ-ÿ]+\\(en\\)/g) || [])].slice(0, 5);
}"""


def measure(page: Page, name: str, width: int) -> dict[str, Any]:
    height = page.viewport_size["height"] if page.viewport_size else 900
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_timeout(50)  # let layout settle after the resize (no assertion depends on time)
    result = axe(page)
    row = {
        "state": name,
        "width": width,
        "path": page.url.split("?")[0].split("#")[0].rsplit("/", 1)[-1] if page.url else "",
        "scroll_width": page_width(page),
        "overflowing": page.evaluate(OVERFLOWING, width),
        "violations": result["violations"],
        "contrast_checked": result["contrast_checked"],
        "bracket_plurals": page.evaluate(BRACKET_PLURALS),
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    with RESULTS.open("a", encoding="utf-8") as f:
        f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return row


def problems_of(row: dict[str, Any]) -> list[str]:
    out = [
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(n['target'] for n in v['nodes'][:5])}"
        for v in row["violations"]
        if v["impact"] in FAILING
    ]
    if row.get("bracket_plurals"):
        out.append(
            f"meervoud tussen haakjes (schrijf het getal met enkelvoud of meervoud): {row['bracket_plurals']}"
        )
    if row["scroll_width"] > row["width"]:
        out.append(
            f"reflow: pagina {row['scroll_width']} px breed bij een venster van {row['width']} px: "
            + "; ".join(row["overflowing"])
        )
    return out


def check(page: Page, name: str, widths: tuple[int, ...] = WIDTHS) -> None:
    """axe + reflow + screenshot at each width; the viewport is restored afterwards."""
    before = page.viewport_size
    failures: list[str] = []
    try:
        for width in widths:
            row = measure(page, name, width)
            failures += [f"{name} @ {width} px: {p}" for p in problems_of(row)]
    finally:
        if before:
            page.set_viewport_size(before)
    assert not failures, "\n".join(failures)


def check_without_javascript(page: Page, name: str, widths: tuple[int, ...] = WIDTHS) -> None:
    """``check`` for a page opened without JavaScript, where axe cannot run (its ``evaluate`` never returns:
    the 600 s hang). The page's HTML as the browser holds it is served again, at the same address (so the
    same stylesheets load from the same server), to a JavaScript-enabled page of the same browser; axe,
    the reflow measure and the screenshots run there. The copy runs no script of the page itself: the
    pages under test carry no inline script, and its stylesheet and images are fetched as before."""
    html = page.content()
    url = page.url
    browser = page.context.browser
    assert browser is not None
    context = browser.new_context(locale="nl-NL", viewport=page.viewport_size)
    try:
        copy = context.new_page()
        copy.set_default_timeout(30_000)
        copy.set_default_navigation_timeout(30_000)
        copy.route(
            lambda u: u == url,
            lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html),
        )
        copy.goto(url, wait_until="load")
        assert copy.locator("h1").inner_text() == page.locator("h1").inner_text()  # the same page state
        links = copy.locator("link[rel=stylesheet]").count()
        loaded = copy.evaluate("() => [...document.styleSheets].filter(s => s.cssRules.length > 0).length")
        assert links > 0 and loaded >= links, f"stijlbladen niet geladen: {loaded} van {links}"
        check(copy, name, widths)
    finally:
        context.close()


def table(path: Path = RESULTS) -> str:
    """Markdown: per page state and width the violations by impact, contrast nodes checked, page width."""
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        rows[(r["state"], r["width"])] = r  # the last measurement of a state counts
    out = ["| page state | viewport | critical | serious | moderate | minor | contrast | page px | rules |"]
    out.append("|---|---|---|---|---|---|---|---|---|")
    for (state, width), r in sorted(rows.items()):
        count: dict[str, int] = defaultdict(int)
        for v in r["violations"]:
            count[v["impact"]] += len(v["nodes"])
        ids = ", ".join(sorted({v["id"] for v in r["violations"]}))
        out.append(
            f"| {state} | {width} | {count['critical']} | {count['serious']} | {count['moderate']} | "
            f"{count['minor']} | {r['contrast_checked']} | {r['scroll_width']} | {ids} |"
        )
    return "\n".join(out)


if __name__ == "__main__":
    print(table(Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS))
