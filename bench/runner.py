"""Run every benchmark module in ``bench/``, print one table and write ``docs/benchmarks.md``.

A benchmark module is any module in this package (not starting with ``_``, not ``runner``) with a
``run() -> list[result]`` function. A result is a :class:`Result` or anything with the same fields
(a dict or an object with attributes): ``name``, ``baseline`` (median seconds of the baseline),
``candidate`` (median seconds of what we ship), ``ratio``, ``goal`` (text) and ``met`` (bool).
Optional: ``unit`` (the unit of baseline/candidate; default ``s``), ``notes``.

Each module runs in its own Python process, so that one module's caches, threads and servers cannot
colour another's figures ("cold" means cold), and a module that crashes or hangs is reported as a
row of its own instead of ending the run.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import os
import pkgutil
import platform
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "benchmarks.md"
NOT_BENCHMARKS = {"runner", "__main__"}
PACKAGES = [
    "fastapi",
    "uvicorn",
    "starlette",
    "pydantic",
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "psycopg",
    "weasyprint",
    "pydyf",
    "docxtpl",
    "pyHanko",
    "pyhanko-certvalidator",
    "cryptography",
    "jinja2",
    "httpx",
]


@dataclass
class Result:
    """One line of the table. Times are medians in seconds unless ``unit`` says otherwise."""

    name: str
    baseline: float | None
    candidate: float | None
    ratio: float | None
    goal: str
    met: bool | None
    unit: str = "s"
    notes: str = ""
    module: str = ""

    @classmethod
    def coerce(cls, raw: Any, module: str) -> Result:
        if isinstance(raw, Result):
            data = dataclasses.asdict(raw)
        elif isinstance(raw, dict):
            data = dict(raw)
        elif dataclasses.is_dataclass(raw) and not isinstance(raw, type):
            data = dataclasses.asdict(raw)
        else:
            data = {k: getattr(raw, k) for k in dir(raw) if not k.startswith("_")}
        aliases = {
            "baseline_median": "baseline",
            "candidate_median": "candidate",
            "baseline_median_s": "baseline",
            "candidate_median_s": "candidate",
        }
        for old, new in aliases.items():
            if old in data and new not in data:
                data[new] = data.pop(old)
        known = {f.name for f in dataclasses.fields(cls)}
        extra = {k: v for k, v in data.items() if k not in known and not callable(v)}
        kwargs = {k: v for k, v in data.items() if k in known}
        kwargs.setdefault("baseline", None)
        kwargs.setdefault("candidate", None)
        kwargs.setdefault("ratio", None)
        kwargs.setdefault("goal", "")
        kwargs.setdefault("met", None)
        kwargs["module"] = kwargs.get("module") or module
        if extra and not kwargs.get("notes"):
            kwargs["notes"] = ", ".join(f"{k}={_short(v)}" for k, v in sorted(extra.items()))
        return cls(name=str(kwargs.pop("name", module)), **{k: v for k, v in kwargs.items() if k != "name"})


def _short(v: Any) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def discover() -> list[str]:
    import bench

    names = []
    for info in pkgutil.iter_modules(bench.__path__):
        if info.name.startswith("_") or info.name in NOT_BENCHMARKS:  # a package (bench/load/) counts too
            continue
        names.append(info.name)
    return sorted(names)


def run_module_inline(name: str) -> list[Result]:
    module = importlib.import_module(f"bench.{name}")
    run = getattr(module, "run", None)
    if run is None:
        return []
    return [Result.coerce(r, name) for r in run()]


def run_module_isolated(name: str, timeout: float) -> tuple[list[Result], str | None, float]:
    """Run ``bench.<name>.run()`` in a fresh interpreter; return its results, an error and the wall time."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="convenant-bench-") as tmp:
        out = Path(tmp) / "results.json"
        code = (
            "import json, sys, dataclasses\n"
            "from bench.runner import run_module_inline\n"
            f"rs = run_module_inline({name!r})\n"
            f"open({str(out)!r}, 'w').write(json.dumps([dataclasses.asdict(r) for r in rs]))\n"
        )
        try:
            proc = subprocess.run(
                [sys.executable, "-c", code],
                cwd=ROOT,
                timeout=timeout,
                capture_output=True,
                text=True,
            )
        except subprocess.TimeoutExpired:
            return [], f"afgebroken na {timeout:.0f} s", time.perf_counter() - started
        wall = time.perf_counter() - started
        if proc.returncode != 0 or not out.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
            return [], " | ".join(tail) or f"exit {proc.returncode}", wall
        return [Result(**r) for r in json.loads(out.read_text())], None, wall


# --- the machine ------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    versions = []
    for pkg in PACKAGES:
        try:
            versions.append(f"{pkg} {metadata.version(pkg)}")
        except metadata.PackageNotFoundError:
            continue
    return {
        "cpu": cpu,
        "cores": f"{os.cpu_count()} (usable by this process: {usable})",
        "memory": mem,
        "os": f"{platform.system()} {platform.release()} ({platform.machine()})",
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "packages": ", ".join(versions),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# --- output -----------------------------------------------------------------------------------------


def _fmt_time(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit != "s":
        return f"{v:,.1f} {unit}"
    if v >= 1:
        return f"{v:.2f} s"
    if v >= 0.001:
        return f"{v * 1000:.1f} ms"
    return f"{v * 1e6:.0f} µs"


def _fmt_met(met: bool | None) -> str:
    return {True: "ja", False: "NEE", None: "—"}[met]


def table_rows(results: list[Result]) -> list[list[str]]:
    return [
        [
            r.name,
            _fmt_time(r.baseline, r.unit),
            _fmt_time(r.candidate, r.unit),
            "—" if r.ratio is None else (f"{r.ratio:,.0f}×" if r.ratio >= 100 else f"{r.ratio:.2f}×"),
            r.goal or "—",
            _fmt_met(r.met),
        ]
        for r in results
    ]


HEADER = ["benchmark", "baseline (median)", "convenant (median)", "ratio", "goal", "met"]


def render_text(results: list[Result]) -> str:
    rows = [HEADER, *table_rows(results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_markdown(
    results: list[Result],
    errors: dict[str, str],
    info: dict[str, str],
    walls: dict[str, float],
    command: str,
    loads: dict[str, str] | None = None,
) -> str:
    out = [
        "# Benchmarks",
        "",
        f"Written by `{command}` — do not edit by hand; run it again. Every figure is a median measured in",
        "the same run as its baseline (ratio = baseline ÷ convenant for times, convenant ÷ baseline where",
        "the unit is a rate). Network: loopback (127.0.0.1) only.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" for _ in HEADER) + "|",
    ]
    for row in table_rows(results):
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |")
    for name, err in errors.items():
        out.append(f"| {name} | — | — | — | — | FOUT: {err.replace('|', '/')} |")
    notes = [r for r in results if r.notes]
    if notes:
        out += ["", "## Notes", ""]
        out += [f"- **{r.name}**: {r.notes}" for r in notes]
    out += ["", "## Machine", ""]
    out += [f"- **{k}**: {v}" for k, v in info.items()]
    out += ["", "## Modules", ""]
    out += [
        f"- `bench/{name}.py`: {wall:.1f} s wall; {(loads or {}).get(name, '')}".rstrip("; ")
        for name, wall in walls.items()
    ]
    out += [
        "",
        "Other work on the machine during the run shows in the load average: with 2 cores, a load",
        "above 2 means the figures are slower than on a quiet machine (ratios suffer less: both sides",
        "are measured interleaved or back to back).",
    ]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Run the convenant benchmarks.")
    parser.add_argument("modules", nargs="*", help="only these modules (default: all in bench/)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="Markdown file to write")
    parser.add_argument("--no-write", action="store_true", help="print only; do not write the Markdown")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per module before it is stopped")
    parser.add_argument("--list", action="store_true", help="list the benchmark modules and stop")
    args = parser.parse_args(argv)

    available = discover()
    if args.list:
        print("\n".join(available))
        return 0
    unknown = [m for m in args.modules if m not in available]
    if unknown:
        print(
            f"onbekende benchmark(s): {', '.join(unknown)}; beschikbaar: {', '.join(available)}",
            file=sys.stderr,
        )
        return 2
    selected = args.modules or available
    results: list[Result] = []
    errors: dict[str, str] = {}
    walls: dict[str, float] = {}
    loads: dict[str, str] = {}
    for name in selected:
        print(f"== bench/{name}.py ...", file=sys.stderr, flush=True)
        before = os.getloadavg()[0]
        found, error, wall = run_module_isolated(name, args.timeout)
        walls[name] = wall
        loads[name] = f"load average (1 min) {before:.1f} before, {os.getloadavg()[0]:.1f} after"
        results.extend(found)
        if error:
            errors[name] = error
            print(f"   fout: {error}", file=sys.stderr, flush=True)
    print(render_text(results))
    for name, err in errors.items():
        print(f"FOUT in bench/{name}.py: {err}")
    if not args.no_write:
        command = "python -m bench" + (" " + " ".join(args.modules) if args.modules else "")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(
            render_markdown(results, errors, machine(), walls, command, loads), encoding="utf-8"
        )
        print(f"geschreven: {args.out}", file=sys.stderr)
    return 1 if errors else 0


# --- helpers for benchmark modules ------------------------------------------------------------------


def median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


def timed(fn: Any, repeat: int, *, warmup: int = 0) -> list[float]:
    """Call ``fn()`` ``warmup`` times unmeasured, then ``repeat`` times; return each call's seconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


__all__ = ["Result", "discover", "machine", "main", "median", "run_module_inline", "timed"]
