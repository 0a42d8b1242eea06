"""The only code that changes a case. Every function checks who may act and what must exist,
changes the case in one transaction, and appends an event to the case's hash-chained record
(``zhifa.records``). Views, the API and commands call these and nothing else.

One module per part of the work; this package exports them all, so callers write
``from zhifa.cases import services`` and ``services.perform_transition(...)``.
"""

from .common import (  # noqa: F401
    TransitionRefused,
    case_number,
    cause_from_item,
    decision_number,
    officer_of,
    recount_provisional_deadlines,
    refresh_deadline,
    subscribe,
)
from .discretion import (  # noqa: F401
    DiscretionResult,
    assess_discretion,
    set_discretion,
)
from .evidence import (  # noqa: F401
    RECORDING_STAGES,
    add_evidence,
    record_coercive_measure,
    record_inspection,
    record_interview,
)
from .fines import (  # noqa: F401
    approve_extension,
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
from .transitions import (  # noqa: F401
    TransitionOption,
    available_transitions,
    missing_requirements,
    perform_transition,
)
