"""Web pages of case handling (案件办理): the workbench, lists, the case page that tells the
whole story, one form per action and the on-the-spot procedure on a phone.

Views only parse input and call one function of ``zhifa.cases.services`` (the only code
that changes a case); every refusal comes back in Chinese from there. Every view or
download of a case's record is written to the access log (REC-4).
"""

from .actions import (  # noqa: F401
    AnswerStatementView,
    AssignOfficerView,
    CaseActionView,
    DiscretionView,
    EvidenceAddView,
    ExtensionView,
    HearingRecordView,
    HearingRequestView,
    HearingScheduleView,
    InspectionView,
    InterviewView,
    OtherExecutionView,
    PaymentPlanView,
    PaymentView,
    RemedyResultView,
    RemedyView,
    StatementView,
    TransitionView,
    ViolationPeriodView,
    WaiveRightsView,
)
from .casefile import (  # noqa: F401
    CaseFileMediaView,
    CaseFilePdfView,
    CaseFileView,
)
from .coercion import (  # noqa: F401, E402  行政强制
    EnforcementStepView,
    MeasureListView,
    MeasureStepView,
    StartEnforcementView,
    StartMeasureView,
)
from .common import (  # noqa: F401
    CaseAccessMixin,
    annotate_cases,
    approval_transitions,
    awaiting_approval,
    case_file_url,
    change_refusal,
    deadline_info,
    initial_from_post,
    review_url,
    role_may,
    stage_choices,
    store_posted_file,
    stored_file_of,
)
from .detail import (  # noqa: F401
    CaseDetailView,
    DocumentFileView,
    DocumentRetryPdfView,
    EvidenceFileView,
    ProcedureFlowView,
    case_page_context,
)
from .lists import (  # noqa: F401
    CaseListView,
    OverdueView,
    WorkbenchView,
)
from .registering import (  # noqa: F401
    CaseCreateView,
    SimpleCaseView,
    SimpleDoneView,
)
