from django.urls import path

from . import views

app_name = "mobile"

urlpatterns = [
    path("", views.shell, name="app"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("conflicts/", views.ConflictListView.as_view(), name="conflicts"),
    path("conflicts/<uuid:key>/", views.ResolveView.as_view(), name="resolve"),
    path("numbers/", views.NumberListView.as_view(), name="numbers"),
    path("numbers/reserve/", views.ReserveView.as_view(), name="reserve"),
    path("numbers/<int:pk>/void/", views.VoidView.as_view(), name="void"),
    path("numbers/<int:pk>/return/", views.ReturnBlockView.as_view(), name="return_block"),
    path("links/document/<int:document_id>/", views.LinkCreateView.as_view(), name="link_create"),
    path("links/<int:pk>/revoke/", views.LinkRevokeView.as_view(), name="link_revoke"),
]
