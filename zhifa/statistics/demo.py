"""Demo data of this app (filled in with the app's features)."""


def load(ctx) -> None:
    return None
