"""Internal statistics API, mounted at /api/statistics/."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("reports", views.AnnualReportViewSet)
router.register("regions", views.RegionReportViewSet)
urlpatterns = router.urls
