"""Open-data API of the annual statistics, included under /api/public/."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("statistics/agencies", views.PublicAnnualReportViewSet, basename="public-statistics-agency")
router.register("statistics/regions", views.PublicRegionReportViewSet, basename="public-statistics-region")
urlpatterns = router.urls
