"""What a web process does once, after loading the application and before its first request."""

import gc

from django.conf import settings
from django.urls import reverse
from django.utils import translation


def settle_web_process() -> int:
    """Load what every request reads, then take the objects alive now out of the garbage collector's
    rounds (``gc.freeze``). Returns how many objects were frozen.

    Loaded first: the URL patterns (``reverse`` imports every ``urls`` module, and through them every
    view, serializer and form) and the Chinese translation catalogue. The objects alive then —
    Django, the libraries, every model and view class, about 250,000 on this code base — live as
    long as the process. Python's collector otherwise walks all of them on each full collection,
    and one fell inside a request now and then: the officer's case list at 1M cases on PostgreSQL,
    300 requests, p95 9.3–10.6 ms before and 8.0–8.1 ms after, the median unchanged
    (``benchmarks/README.md``). What requests make is collected as before. Called at the end of
    ``zhifa.wsgi`` (each gunicorn worker imports it after the fork: ``preload_app = False``) and by
    the benchmarks before they measure."""
    reverse("healthz")
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("")
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
