"""Public portal pages: no login; rows only through ``Model.objects.public()``."""

from django.shortcuts import render


def home(request):
    return render(request, "portal/home.html", {"title": "行政执法公示"})
