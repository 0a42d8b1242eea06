"""Organisations: regions, enforcement agencies and their units (ORG-1)."""
