"""User accounts, roles and log-in."""
