"""The public portal (行政执法公示平台, PUB-1, PUB-2, PUB-5): who enforces what under which law,
officer verification by certificate QR code, and the freshness report of published content."""
