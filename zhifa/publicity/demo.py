"""Demo publications (filled in below)."""


def load(ctx) -> None:
    return None
