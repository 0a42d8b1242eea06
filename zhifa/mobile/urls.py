from django.urls import path

from . import views

app_name = "mobile"

urlpatterns = [
    path("", views.shell, name="app"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("conflicts/", views.ConflictListView.as_view(), name="conflicts"),
    path("conflicts/<uuid:key>/", views.ResolveView.as_view(), name="resolve"),
]
