"""掌上执法 (mobile enforcement, UX-2): the officer's installable offline web app.

The app shell at ``/m/`` (manifest, service worker) keeps the officer's assigned cases and
inspections in IndexedDB (``GET /api/mobile/bundle/``) and queues what is captured with no
network; ``PUT /api/mobile/captures/<key>/`` receives each item exactly once (``services``).
See ``docs/mobile.md``.
"""
