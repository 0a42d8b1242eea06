from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("cases/", views.MirroredCaseListView.as_view(), name="case_list"),
    path("cases/<int:pk>/", views.MirroredCaseDetailView.as_view(), name="case_detail"),
    path("setup/", views.setup, name="setup"),
    path("setup/sources/new/", views.source_edit, name="source_add"),
    path("setup/sources/<int:pk>/", views.source_edit, name="source_edit"),
    path("setup/uplinks/new/", views.uplink_edit, name="uplink_add"),
    path("setup/uplinks/<int:pk>/", views.uplink_edit, name="uplink_edit"),
]
