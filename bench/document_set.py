"""The whole Zeist set (every document, PDF and DOCX): cold, and from the cache for an unchanged dossier.

* cold: a fresh Python process per measurement (modules imported, as in a started service, but
  nothing rendered yet: no fonts, layouts or renders in memory), timing ``load_dossier`` + ``render_set``
  with an empty cache. Median of ``COLD_RUNS`` processes. Goal ≤ 3 s.
* warm, uncached: the same process again with a fresh empty cache (fonts and layouts loaded) — shows
  what the cache saves once the process is warm.
* cached: ``render_set`` of the unchanged dossier against the cache the earlier render filled (the
  cache key hashes the whole dossier, so this includes serialising and hashing it). Goal ≤ 50 ms.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.runner import Result, median, timed

ROOT = Path(__file__).resolve().parent.parent
DOSSIER = ROOT / "examples" / "zeist.yaml"
COLD_RUNS = 3
WARM_RUNS = 3
CACHED_RUNS = 50

_COLD = """
import json, sys, time
from templates import load_dossier, render_set
from templates.cache import RenderCache
data = open(sys.argv[1], 'rb').read()
t0 = time.perf_counter()
d = load_dossier(data, 'zeist.yaml')
s = render_set(d, cache=RenderCache())
t1 = time.perf_counter()
print(json.dumps({'seconds': t1 - t0, 'documents': len(s.documents),
                  'pdf_bytes': sum(len(x.pdf.data) for x in s.documents if x.pdf),
                  'docx_bytes': sum(len(x.docx) for x in s.documents if x.docx)}))
"""


def _cold_once() -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-c", _COLD, str(DOSSIER)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run() -> list[Result]:
    from templates import load_dossier, render_set
    from templates.cache import RenderCache

    cold = [_cold_once() for _ in range(COLD_RUNS)]
    cold_median = median([c["seconds"] for c in cold])
    docs = int(cold[0]["documents"])

    data = DOSSIER.read_bytes()
    dossier = load_dossier(data, "zeist.yaml")
    warm = timed(lambda: render_set(load_dossier(data, "zeist.yaml"), cache=RenderCache()), WARM_RUNS)
    cache = RenderCache()
    render_set(dossier, cache=cache)
    cached = timed(lambda: render_set(dossier, cache=cache), CACHED_RUNS, warmup=2)
    warm_median, cached_median = median(warm), median(cached)
    pdf_mb, docx_mb = cold[0]["pdf_bytes"] / 1e6, cold[0]["docx_bytes"] / 1e6
    sizes = f"{docs} documenten, PDF {pdf_mb:.2f} MB + DOCX {docx_mb:.2f} MB"
    runs = ", ".join(f"{c['seconds']:.2f} s" for c in cold)
    return [
        Result(
            name="Zeist-set koud (PDF+DOCX)",
            baseline=None,
            candidate=cold_median,
            ratio=None,
            goal="≤ 3 s",
            met=cold_median <= 3.0,
            notes=f"{sizes}; mediaan van {COLD_RUNS} verse processen (laden + renderen, zonder imports); "
            f"koude runs: {runs}; "
            f"warm proces zonder cache: mediaan {warm_median:.2f} s",
        ),
        Result(
            name="Zeist-set uit cache (ongewijzigd dossier)",
            baseline=cold_median,
            candidate=cached_median,
            ratio=cold_median / cached_median,
            goal="≤ 50 ms",
            met=cached_median <= 0.050,
            notes=f"baseline = koude render; mediaan van {CACHED_RUNS} herhalingen; "
            f"t.o.v. warm zonder cache {warm_median / cached_median:,.0f}×",
        ),
    ]
