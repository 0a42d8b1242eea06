from rest_framework.routers import DefaultRouter

from ..transfers import api as transfer_api
from . import views

router = DefaultRouter()
router.register("criminal-transfers", views.CriminalTransferViewSet, basename="criminal-transfer")
router.register("case-transfers", transfer_api.CaseTransferViewSet, basename="case-transfer")
router.register("disputes", transfer_api.JurisdictionDisputeViewSet, basename="jurisdiction-dispute")
router.register("clue-referrals", transfer_api.ClueReferralViewSet, basename="clue-referral")

urlpatterns = router.urls

# Grid dispatch (网格化巡查与指挥调度, COL-3)
from ..grid import api as grid_api  # noqa: E402

router.register("grids", grid_api.GridViewSet, basename="grid")
router.register("dispatch-tasks", grid_api.DispatchTaskViewSet, basename="dispatch-task")
router.register("grid-reports", grid_api.GridReportViewSet, basename="grid-report")
urlpatterns = router.urls
