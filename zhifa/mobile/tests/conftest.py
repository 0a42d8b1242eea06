"""The cases world (two officers of 云岭县市场监管局, parties, an item) for 掌上执法 tests."""

import datetime
import os

import pytest

from zhifa.cases.tests.conftest import fixed_today, open_general, world  # noqa: F401  (fixtures)

PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def photo_bytes(size: int = 3000) -> bytes:
    """A file the object store accepts as a PNG photo (signature + random bytes)."""
    return PNG_HEAD + os.urandom(size - len(PNG_HEAD))


CAPTURED = datetime.datetime(2026, 11, 2, 9, 30, tzinfo=datetime.UTC)  # before the fixed "now" (15:00)


@pytest.fixture
def case(open_general):  # noqa: F811
    return open_general()
