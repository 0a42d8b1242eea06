"""URLs of the error-page tests: the site's own, plus pages that fail on purpose."""

from django.http import HttpResponse
from django.urls import path

from zhifa.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("database password: hunter2")  # must never reach the page


def ok(request):
    return HttpResponse("ok")


urlpatterns = [
    path("test-errors/boom/", boom),
    path("api/test-errors/boom/", boom),
    path("public/test-errors/boom/", boom),
    *urlpatterns,
]
