"""The cases' world (云岭县市场监管局 with certified officers, an item, parties)."""

from zhifa.cases.tests.conftest import fixed_today, open_general, world  # noqa: F401  (fixtures)
