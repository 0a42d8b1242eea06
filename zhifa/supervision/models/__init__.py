"""Supervision models, one module per domain; each module's models are imported here."""
