from django.urls import path

from . import views

urlpatterns = [
    path("bundle/", views.BundleView.as_view(), name="mobile-bundle"),
    path("captures/", views.CaptureListView.as_view(), name="mobile-capture-list"),
    path("captures/<uuid:key>/", views.CaptureView.as_view(), name="mobile-capture"),
    path("captures/<uuid:key>/resolve/", views.ResolveView.as_view(), name="mobile-capture-resolve"),
    path("numbers/", views.NumberListView.as_view(), name="mobile-number-list"),
    path("numbers/reserve/", views.ReserveView.as_view(), name="mobile-number-reserve"),
    path("numbers/<int:pk>/void/", views.VoidView.as_view(), name="mobile-number-void"),
    path("numbers/<int:pk>/return/", views.ReturnBlockView.as_view(), name="mobile-number-return"),
    path("links/", views.LinkCreateView.as_view(), name="mobile-link-create"),
    path("links/<int:pk>/revoke/", views.LinkRevokeView.as_view(), name="mobile-link-revoke"),
]
