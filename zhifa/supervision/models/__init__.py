"""Supervision models, one module per domain; each module's models are imported here."""
from .actions import Campaign, CampaignLink, ProblemItem, ProblemList, SupervisionAction  # noqa: F401, E402
from .alerts import Alert  # noqa: F401, E402
from .assessment import Assessment, AssessmentEvidence, AssessmentItem, Indicator  # noqa: E402, F401
from .cockpit import AgencyMonthStat, CockpitDirty  # noqa: E402, F401
from .complaints import Complainant, Complaint, DeadlineRule, HotlineSystem  # noqa: E402, F401
from .evaluation import (  # noqa: E402, F401
    CaseEvaluation,
    EvaluationNotice,
    EvaluationPlan,
    Finding,
    ReEvaluationRequest,
    ScoreItem,
    ScoreSheet,
)
from .ledgers import LedgerTask, ProgressReport, WorkPlan  # noqa: E402, F401
from .problems import ProblemModel, RegionSetting  # noqa: F401, E402
