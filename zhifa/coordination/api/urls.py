from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("criminal-transfers", views.CriminalTransferViewSet, basename="criminal-transfer")

urlpatterns = router.urls

# Grid dispatch (网格化巡查与指挥调度, COL-3)
from ..grid import api as grid_api  # noqa: E402

router.register("grids", grid_api.GridViewSet, basename="grid")
router.register("dispatch-tasks", grid_api.DispatchTaskViewSet, basename="dispatch-task")
router.register("grid-reports", grid_api.GridReportViewSet, basename="grid-report")
urlpatterns = router.urls
