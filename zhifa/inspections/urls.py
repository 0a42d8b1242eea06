"""Inspection pages (行政检查); each part of the app adds its own patterns below."""
from django.urls import path  # noqa: F401

app_name = "inspections"

urlpatterns: list = []

# The equipment register and non-site records (zhifa/inspections/devices/urls.py)
from .devices.urls import urlpatterns as _device_urls  # noqa: E402

urlpatterns += _device_urls
