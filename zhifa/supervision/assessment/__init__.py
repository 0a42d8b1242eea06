"""The 170-indicator 三项制度 assessment (SUP-5): indicators as data, computed indicators,
the yearly assessment's lifecycle and its exports."""
