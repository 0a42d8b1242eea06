from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("regions", views.RegionViewSet)
router.register("agencies", views.AgencyViewSet)
router.register("units", views.UnitViewSet)
urlpatterns = router.urls
