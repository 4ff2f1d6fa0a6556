"""``python -m bench``: run every benchmark module in bench/, print the table, write docs/benchmarks.md."""

from bench.runner import main

raise SystemExit(main())
