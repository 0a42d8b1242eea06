from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("changelog", views.ChangeLogViewSet, basename="changelog")
router.register("data", views.DataExchangeViewSet, basename="data")
urlpatterns = router.urls
