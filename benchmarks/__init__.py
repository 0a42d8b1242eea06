"""Benchmarks: run with ``make bench`` or ``python -m benchmarks --help``; they print numbers."""
