"""Public page of 掌上执法 (no login; included at the root): the party's one-time download link."""

from django.urls import path

from . import public

app_name = "mobile_public"

urlpatterns = [
    path("public/d/<str:token>/", public.document, name="document"),
]
