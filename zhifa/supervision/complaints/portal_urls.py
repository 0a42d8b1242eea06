"""The portal's complaint pages under /public/ (no login; rate-limited by zhifa.core.public)."""

from django.urls import path

from . import portal

app_name = "supervision_public"

urlpatterns = [
    path("public/complaints/new/", portal.complaint_new, name="complaint_new"),
    path("public/complaints/status/", portal.complaint_status, name="complaint_status"),
]
