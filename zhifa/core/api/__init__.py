"""The REST API machinery: ``base`` (settings hooks), ``viewsets`` (scoped viewsets)."""
