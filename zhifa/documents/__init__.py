"""Enforcement documents (执法文书): replaceable DOCX templates rendered to DOCX and PDF (CASE-4)."""
