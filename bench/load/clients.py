"""Simulated agendadeelnemers, ``concurrency`` at a time: open the link with a chosen ground, then sign
(GET the page, POST "Ondertekenen", as the page's form does)."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

HIDDEN = re.compile(r'<input type="hidden" name="([a-z0-9_]+)" value="([^"]*)"')


@dataclass
class Outcome:
    token: str
    status: str  # "ondertekend", "fout"
    detail: str = ""
    seconds: float = 0.0


async def sign_one(client: httpx.AsyncClient, base: str, token: str, ground: str) -> Outcome:
    """One agendadeelnemer: open the link with the chosen ground, then sign (as the page's form does)."""
    t0 = time.perf_counter()
    page = await client.get(f"{base}/ondertekenen/{token}", params={"grondslag": ground})
    if page.status_code != 200:
        return Outcome(token, "fout", f"openen: HTTP {page.status_code}", time.perf_counter() - t0)
    form = dict(HIDDEN.findall(page.text))
    form["akkoord"] = "ja"
    form["grondslag"] = ground  # the radio button next to the signing button, checked with the shown ground
    cookies = "; ".join(f"{k}={v}" for k, v in page.cookies.items())
    # The agendadeelnemer is done after this request: their browser's connection goes (``Connection: close``),
    # and the next person opens a new one. Without it, 20 keep-alive connections opened at the start stay
    # with whichever worker accepted them, and one worker can end up serving most of the run.
    headers = {"Connection": "close"} | ({"Cookie": cookies} if cookies else {})
    done = await client.post(f"{base}/ondertekenen/{token}", data=form, headers=headers)
    seconds = time.perf_counter() - t0
    if done.status_code == 303 and "/ondertekend/" in done.headers.get("location", ""):
        return Outcome(token, "ondertekend", "", seconds)
    return Outcome(token, "fout", f"ondertekenen: HTTP {done.status_code}", seconds)


async def run_clients(
    base: str,
    tokens: list[str],
    ground: str,
    concurrency: int,
    *,
    on_progress: Callable[[int], None] | None = None,
    deadline_s: float = 600,
) -> list[Outcome]:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for t in tokens:
        queue.put_nowait(t)
    outcomes: list[Outcome] = []
    stop_at = time.monotonic() + deadline_s
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=httpx.Timeout(120), limits=limits, follow_redirects=False) as client:

        async def worker() -> None:
            while time.monotonic() < stop_at:
                try:
                    token = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                try:
                    outcome = await sign_one(client, base, token, ground)
                except httpx.HTTPError as exc:  # connection reset by a killed worker, timeouts
                    outcome = Outcome(token, "fout", f"{type(exc).__name__}: {exc}"[:200])
                outcomes.append(outcome)
                if on_progress is not None:
                    on_progress(len(outcomes))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
    return outcomes
