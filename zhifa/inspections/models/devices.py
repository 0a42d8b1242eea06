"""Inspection models: devices (see models/__init__.py)."""

__all__: list[str] = []
