"""The desk's tests run in the cases app's world (云岭县市场监管局 with officers, heads and two
parties) on its fixed date, plus a case in the other county (青石县)."""

from zhifa.cases.tests.conftest import fixed_today, open_general, world  # noqa: F401  (shared fixtures)
