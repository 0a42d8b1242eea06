"""Public pages of non-site supervision (no login; included at the root, paths under /public/)."""

from django.urls import path

from . import public

app_name = "devices_public"

urlpatterns = [
    path("public/monitoring-devices/", public.device_list, name="device_list"),
    path("public/device-records/", public.record_lookup, name="record_lookup"),
]
