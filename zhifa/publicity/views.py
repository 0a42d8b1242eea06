"""Publicity pages (in progress)."""

from django.http import HttpResponse


def queue(request):
    return HttpResponse("")


def detail(request, pk):
    return HttpResponse("")


def public_list(request):
    return HttpResponse("")


def public_detail(request, pk):
    return HttpResponse("")
