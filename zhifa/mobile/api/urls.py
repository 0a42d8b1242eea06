from django.urls import path

from . import views

urlpatterns = [
    path("bundle/", views.BundleView.as_view(), name="mobile-bundle"),
    path("captures/", views.CaptureListView.as_view(), name="mobile-capture-list"),
    path("captures/<uuid:key>/", views.CaptureView.as_view(), name="mobile-capture"),
    path("captures/<uuid:key>/resolve/", views.ResolveView.as_view(), name="mobile-capture-resolve"),
]
