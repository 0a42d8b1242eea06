"""Enforcement item catalog and discretion benchmarks (ORG-2, ORG-3)."""
