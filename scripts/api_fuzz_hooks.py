"""schemathesis hooks for ``scripts/api-fuzz.sh`` (loaded through SCHEMATHESIS_HOOKS).

The resumable upload's PATCH declares the tus media type ``application/offset+octet-stream``;
its body is raw bytes, so it is sent like ``application/octet-stream``.
"""

import schemathesis

schemathesis.serializer.alias("application/offset+octet-stream", "application/octet-stream")
