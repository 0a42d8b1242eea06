"""What makes the public portal safe and fast to put on the internet (PUB-1…5), in one place.

``PublicPortalMiddleware`` handles every request under ``/public/`` and ``/api/public/``:

- **rate limiting**: at most ``ZHIFA_PUBLIC_RATE_LIMIT`` requests (default ``300/60``: 300
  per 60 seconds) per client address; more gets a 429 with ``Retry-After``, a Chinese page
  or the API's structured error;
- **caching**: anonymous GET responses that set no cookie are cached for
  ``ZHIFA_PUBLIC_CACHE_SECONDS``. The cache key carries a *generation* number that is bumped
  whenever a model of a public app is saved or deleted, so a change reaches the portal at
  once (PUB-1) while unchanged pages are served without touching the database (only models
  that declare ``public_q()`` bump it: saving a case or a party leaves the cache alone);
- **security headers**: Permissions-Policy and cache headers; the open-data API also allows
  cross-origin reads. The strict Content-Security-Policy (no inline script or style, no
  external asset) is the site-wide one of ``zhifa.core.security``, added outside this cache.

The cache is Django's (``ZHIFA_CACHE_URL``); with several web processes use a shared one
(``file:///…`` on one machine, ``redis://…`` across machines) so all see the same generation.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe

PUBLIC_PREFIXES = ("/public/", "/api/public/")
GENERATION_KEY = "zhifa:portal:generation"

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        value = int(time.time() * 1000)
        cache.add(GENERATION_KEY, value, timeout=None)
        value = cache.get(GENERATION_KEY, value)
    return value


def bump_generation() -> None:
    """Invalidate every cached public page (called on any change of public data)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, int(time.time() * 1000), timeout=None)


def is_public_model(model) -> bool:
    """Whether rows of ``model`` appear on the portal (it declares ``public_q()``)."""
    declared = getattr(model, "public_q", None)
    return declared is not None and declared() is not None


def _public_data_changed(sender, **kwargs):
    # Only models the portal shows invalidate it: a busy province saves cases, parties and
    # records all day, and none of them is on the portal.
    if is_public_model(sender):
        bump_generation()
        # Again after commit: a page cached between the save and the commit held old data.
        transaction.on_commit(bump_generation)


post_save.connect(_public_data_changed, dispatch_uid="zhifa_public_data_saved")
post_delete.connect(_public_data_changed, dispatch_uid="zhifa_public_data_deleted")


def client_address(request) -> str:
    """The client's address; behind ``ZHIFA_TRUSTED_PROXY_COUNT`` proxies, from X-Forwarded-For."""
    proxies = getattr(settings, "ZHIFA_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def rate_limit() -> tuple[int, int]:
    text = str(getattr(settings, "ZHIFA_PUBLIC_RATE_LIMIT", "300/60"))
    count, _, seconds = text.partition("/")
    return int(count), int(seconds or 60)


def _over_limit(request) -> int:
    """0 when the request may proceed, else the seconds until the window ends."""
    limit, window = rate_limit()
    if limit <= 0:
        return 0
    now = int(time.time())
    slot = now // window
    key = f"zhifa:rl:{client_address(request)}:{slot}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return 0 if count <= limit else (slot + 1) * window - now


def _too_many(request, retry_after: int) -> HttpResponse:
    message = "请求过于频繁，请稍后再试。"
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": {"status": 429, "code": "throttled", "message": message}}, status=429)
    else:
        html = render_to_string("portal/too_many.html", {"title": "请求过于频繁", "message": message,
                                                         "retry_after": retry_after})
        response = HttpResponse(html, status=429)
    response["Retry-After"] = str(max(retry_after, 1))
    return response


def _cache_key(request) -> str:
    accept = request.META.get("HTTP_ACCEPT", "") if request.path.startswith("/api/") else ""
    raw = f"{request.method}|{request.get_full_path()}|{accept}"
    return f"zhifa:portal:{generation()}:{hashlib.sha1(raw.encode()).hexdigest()}"


def _cacheable(response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
        and "private" not in response.get("Cache-Control", "")
    )


class PublicPortalMiddleware:
    """Rate limit, cache and secure the public portal and the open-data API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        retry_after = _over_limit(request)
        if retry_after:
            return self._secure(request, _too_many(request, retry_after))
        seconds = getattr(settings, "ZHIFA_PUBLIC_CACHE_SECONDS", 300)
        if request.method not in ("GET", "HEAD") or seconds <= 0:
            return self._secure(request, self.get_response(request))
        key = _cache_key(request)
        stored = cache.get(key)
        if stored is not None:
            status, headers, content = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            if response.has_header("ETag") or response.has_header("Last-Modified"):  # 304 for what the client holds
                response = get_conditional_response(
                    request, etag=response.get("ETag"), response=response,
                    last_modified=parse_http_date_safe(response.get("Last-Modified", "")))
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        cacheable = _cacheable(response)
        if cacheable:
            response["Cache-Control"] = f"public, max-age={min(seconds, 60)}"
        response = self._secure(request, response)
        if cacheable:
            headers = [(k, v) for k, v in response.items() if k.lower() not in ("set-cookie", "x-request-id")]
            cache.set(key, (response.status_code, headers, response.content), timeout=seconds)
        response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _secure(request, response):
        # the Content-Security-Policy comes from zhifa.core.security, as on every page
        response["Permissions-Policy"] = PERMISSIONS_POLICY
        response["X-Content-Type-Options"] = "nosniff"
        response["Referrer-Policy"] = "same-origin"
        response["X-Frame-Options"] = "DENY"
        if request.path.startswith("/api/public/"):
            response["Access-Control-Allow-Origin"] = "*"
        if "Cache-Control" not in response:
            response["Cache-Control"] = "no-store"
        return response
