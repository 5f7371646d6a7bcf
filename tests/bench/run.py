"""Benchmark runner for ``make bench``: ``.venv/bin/python -m tests.bench.run``."""

from __future__ import annotations

from tests.bench.bench_classifier import main

if __name__ == "__main__":
    raise SystemExit(main())
