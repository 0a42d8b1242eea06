from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("reviews", views.ReviewViewSet)
router.register("catalog", views.CatalogViewSet)
router.register("flags", views.FlagViewSet)
router.register("discussions", views.DiscussionViewSet)
router.register("case-status", views.CaseStatusViewSet, basename="case-status")
router.register("report", views.ReportViewSet, basename="report")
urlpatterns = router.urls
