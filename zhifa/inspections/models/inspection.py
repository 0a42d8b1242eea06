"""Inspection models: inspection (see models/__init__.py)."""

__all__: list[str] = []
