from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("items", views.ItemViewSet, basename="catalog-item")
router.register("versions", views.ItemVersionViewSet, basename="catalog-version")
router.register("delegations", views.DelegationViewSet, basename="catalog-delegation")
router.register("benchmarks", views.BenchmarkViewSet, basename="catalog-benchmark")
router.register("special-lists", views.SpecialListEntryViewSet, basename="catalog-special-list")
urlpatterns = router.urls
