"""Open-data endpoints of the portal (included under /api/public/ by zhifa.core.api.public_urls)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("agencies", views.AgencyViewSet, basename="public-agency")
router.register("units", views.UnitViewSet, basename="public-unit")
router.register("officers", views.OfficerViewSet, basename="public-officer")
router.register("certificates", views.CertificateStatusViewSet, basename="public-certificate")
router.register("items", views.ItemViewSet, basename="public-item")
router.register("benchmarks", views.BenchmarkViewSet, basename="public-benchmark")
router.register("guides", views.ServiceGuideViewSet, basename="public-guide")

urlpatterns = router.urls
