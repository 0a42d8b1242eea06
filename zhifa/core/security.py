"""Content-Security-Policy on every response (等保 2.0 三级: 网络与通信安全、恶意代码防范).

The policy itself is defined once, in ``settings.CONTENT_SECURITY_POLICY`` (the
``# --- Web hardening (等保 三级) ---`` block), and written by django-csp's middleware: no
inline script or style, nothing loaded from another origin, no plugins, no framing. Staff pages,
the public portal and the API share it; templates therefore carry no ``<script>`` body, no
``onclick=``/``onsubmit=`` handler and no ``style=`` attribute — behaviour lives in static
``.js`` files and looks in static ``.css`` classes.

One exception, also declared in settings (``ZHIFA_CSP_INLINE_STYLE_PREFIXES``): the Swagger UI
pages (``/api/docs/``, ``/api/public/docs/``) and DRF's browsable API (an HTML page of any
``/api/`` endpoint) are third-party pages that set inline styles; they get ``style-src
'unsafe-inline'``. Their scripts stay ``'self'`` only (Swagger UI is served by the split view,
which loads its initialiser as a file).
"""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


def allows_inline_style(request, response) -> bool:
    """Whether this response is one of the third-party pages that need inline styles."""
    if request.path.startswith(tuple(getattr(settings, "ZHIFA_CSP_INLINE_STYLE_PREFIXES", ()))):
        return True
    renderer = getattr(response, "accepted_renderer", None)
    return getattr(renderer, "format", None) == "api"  # DRF's browsable API page


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware with the Swagger UI / browsable API style exception.

    It sits outside the portal's cache (``PublicPortalMiddleware``), so a page served from that
    cache gets the header exactly like a freshly rendered one."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and allows_inline_style(request, response):
            parts.update = {**(parts.update or {}), "style-src": [UNSAFE_INLINE]}  # added to 'self'
        return parts
