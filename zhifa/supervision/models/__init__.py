"""Supervision models, one module per domain; each module's models are imported here."""
from .cockpit import AgencyMonthStat, CockpitDirty  # noqa: E402, F401
from .evaluation import (  # noqa: E402, F401
    CaseEvaluation,
    EvaluationNotice,
    EvaluationPlan,
    Finding,
    ReEvaluationRequest,
    ScoreItem,
    ScoreSheet,
)
