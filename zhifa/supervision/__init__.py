"""Enforcement supervision (行政执法监督): the supervising justice bureaus' half of the platform (SUP-1 … SUP-6)."""
