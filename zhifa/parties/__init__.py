"""Parties to enforcement (当事人): natural persons and organisations (ORG-8)."""
