"""Web addresses of the cockpit, included by ``zhifa/supervision/urls.py``."""

from django.urls import path

from . import views

urlpatterns = [
    path("cockpit/", views.CockpitView.as_view(), name="cockpit"),
    path("cockpit/list/", views.CockpitListView.as_view(), name="cockpit_list"),
]
