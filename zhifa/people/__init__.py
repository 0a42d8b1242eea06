"""Officers, certificates, training and staffing checks (ORG-4, ORG-5, ORG-6)."""
