"""Inspection pages (行政检查); each part of the app adds its own patterns below."""
from django.urls import path  # noqa: F401

app_name = "inspections"

urlpatterns: list = []

# 双随机、一公开 (draws part): lists, inspector register, plans, draws
from .draws.urls import urlpatterns as draws_urlpatterns  # noqa: E402

urlpatterns += draws_urlpatterns
from .acts.urls import urlpatterns as act_urlpatterns  # noqa: E402  the inspection act (行政检查的实施)

urlpatterns += act_urlpatterns
# The equipment register and non-site records (zhifa/inspections/devices/urls.py)
from .devices.urls import urlpatterns as _device_urls  # noqa: E402

urlpatterns += _device_urls
