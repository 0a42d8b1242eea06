"""Alerts (预警): lifecycle services, the hash-chained stream, metrics for the cockpit."""
