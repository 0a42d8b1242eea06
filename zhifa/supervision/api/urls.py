from rest_framework.routers import DefaultRouter

router = DefaultRouter()
# Case-file evaluation (案卷评查) and the cockpit (驾驶舱).
from . import evaluation_views as _ev  # noqa: E402

router.register("score-sheets", _ev.ScoreSheetViewSet, basename="score-sheet")
router.register("evaluation-plans", _ev.PlanViewSet, basename="evaluation-plan")
router.register("evaluations", _ev.EvaluationViewSet, basename="evaluation")
router.register("reevaluations", _ev.ReEvaluationViewSet, basename="reevaluation")
router.register("evaluation-findings", _ev.FindingViewSet, basename="evaluation-finding")
router.register("evaluation-notices", _ev.NoticeViewSet, basename="evaluation-notice")
router.register("cockpit", _ev.CockpitViewSet, basename="cockpit")

urlpatterns = router.urls

from . import views as supervision_views  # noqa: E402

router.register("problem-models", supervision_views.ProblemModelViewSet, basename="problem-model")
router.register("alerts", supervision_views.AlertViewSet, basename="alert")
router.register("actions", supervision_views.ActionViewSet, basename="supervision-action")
router.register("problem-lists", supervision_views.ProblemListViewSet, basename="problem-list")
router.register("problem-items", supervision_views.ProblemItemViewSet, basename="problem-item")
router.register("campaigns", supervision_views.CampaignViewSet, basename="campaign")

# The 三项制度 assessment (SUP-5), task ledgers (SUP-6) and the action plan's targets.
from . import assessment_views as _as  # noqa: E402

router.register("indicators", _as.IndicatorViewSet, basename="indicator")
router.register("assessments", _as.AssessmentViewSet, basename="assessment")
router.register("assessment-items", _as.AssessmentItemViewSet, basename="assessment-item")
router.register("work-plans", _as.WorkPlanViewSet, basename="work-plan")
router.register("ledger-tasks", _as.LedgerTaskViewSet, basename="ledger-task")
router.register("kpis", _as.KPIViewSet, basename="kpi")
urlpatterns = router.urls

from . import complaint_views as _cv  # noqa: E402

router.register("complaints", _cv.ComplaintViewSet, basename="complaint")
router.register("complaint-deadlines", _cv.DeadlineRuleViewSet, basename="complaint-deadline")
router.register("hotline/work-orders", _cv.WorkOrderViewSet, basename="hotline-work-order")
urlpatterns = router.urls
