from rest_framework.routers import DefaultRouter

router = DefaultRouter()
urlpatterns = router.urls

from . import views as supervision_views  # noqa: E402

router.register("problem-models", supervision_views.ProblemModelViewSet, basename="problem-model")
router.register("alerts", supervision_views.AlertViewSet, basename="alert")
router.register("actions", supervision_views.ActionViewSet, basename="supervision-action")
router.register("problem-lists", supervision_views.ProblemListViewSet, basename="problem-list")
router.register("problem-items", supervision_views.ProblemItemViewSet, basename="problem-item")
router.register("campaigns", supervision_views.CampaignViewSet, basename="campaign")
urlpatterns = router.urls
