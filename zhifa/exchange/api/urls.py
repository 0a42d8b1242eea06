from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("cases", views.MirroredCaseViewSet, basename="mirrored-case")

urlpatterns = [
    path("inbound/<slug:source>/", views.InboundView.as_view(), name="exchange-inbound"),
    *router.urls,
]
