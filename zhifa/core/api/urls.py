from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("changelog", views.ChangeLogViewSet, basename="changelog")
router.register("data", views.DataExchangeViewSet, basename="data")
router.register("data-exports", views.DataExportViewSet, basename="data-export")
router.register("jobs", views.JobViewSet, basename="job")
urlpatterns = router.urls
