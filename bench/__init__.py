"""Benchmarks: each module's ``run()`` returns results measured against a baseline in the same run.

Run them all with ``python -m bench`` (or ``convenant bench``); see ``bench.runner``.
"""

from bench.runner import Result

__all__ = ["Result"]
