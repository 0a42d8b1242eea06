"""Supervision models, one module per domain; each module's models are imported here."""
from .actions import Campaign, CampaignLink, ProblemItem, ProblemList, SupervisionAction  # noqa: F401, E402
from .alerts import Alert  # noqa: F401, E402
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
from .problems import ProblemModel, RegionSetting  # noqa: F401, E402
