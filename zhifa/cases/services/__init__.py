"""The only code that changes a case. Every function checks who may act and what must exist,
changes the case in one transaction, and appends an event to the case's hash-chained record
(``zhifa.records``). Views, the API and commands call these and nothing else.

One module per part of the work; this package exports them all, so callers write
``from zhifa.cases import services`` and ``services.perform_transition(...)``.
"""

from .actions import (  # noqa: F401
    CASE_ACTIONS,
    ActionOption,
    CaseAction,
    NextActions,
    check_action,
    next_actions,
)
from .common import (  # noqa: F401
    TransitionRefused,
    case_number,
    cause_from_item,
    check_not_future,
    decision_number,
    document_number,
    officer_of,
    officer_serves,
    recount_provisional_deadlines,
    refresh_deadline,
    subscribe,
)
from .discretion import (  # noqa: F401
    DiscretionResult,
    assess_discretion,
    check_penalties,
    set_discretion,
)
from .evidence import (  # noqa: F401
    RECORDING_STAGES,
    add_evidence,
    record_inspection,
    record_interview,
)
from .fines import (  # noqa: F401
    approve_extension,
    payment_summary,
    record_other_execution,
    record_payment,
)
from .opening import (  # noqa: F401
    assign_officer,
    open_case,
    record_violation_period,
)
from .payment_plans import (  # noqa: F401
    approve_payment_plan,
    instalment_schedule,
)
from .remedies import (  # noqa: F401
    next_evidence_number,
    record_remedy,
    record_remedy_result,
)
from .rights import (  # noqa: F401
    answer_statement,
    record_hearing,
    record_statement,
    request_hearing,
    schedule_hearing,
    waive_rights,
)
from .simple import (  # noqa: F401
    decide_on_the_spot,
)
from .transitions import (  # noqa: F401
    TransitionOption,
    available_transitions,
    missing_requirements,
    perform_transition,
)
