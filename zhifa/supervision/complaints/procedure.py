"""Complaint handling (投诉举报办理) as data: its statuses and the moves between them, defined once.

``services.perform`` checks every move against this table (who may make it, from which status);
the complaint page's buttons come from ``services.available_actions``, which reads the same
table; the hotline learns the statuses named in ``push`` through the outbox.
"""

from dataclasses import dataclass

from zhifa.accounts import roles
from zhifa.core.procedure import Stage

RECEIVED = "received"
ACCEPTED = "accepted"
DECIDED = "decided"
REPLIED = "replied"
CLOSED = "closed"


# A status (办理状态) has the shape of a procedure's stage (``zhifa.core.procedure.Stage``);
# ``deadline`` names the limit that runs in it.
Status = Stage


@dataclass(frozen=True)
class Move:
    """A move from one status to another (or the same status, e.g. a transfer)."""

    code: str
    name: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset
    push: str = ""  # the status the hotline is told ("" = nothing pushed)
    supervisor_only: bool = False


STAFF = frozenset({roles.OFFICER, roles.UNIT_HEAD, roles.AGENCY_HEAD})
HEADS = frozenset({roles.UNIT_HEAD, roles.AGENCY_HEAD})
SUPERVISORS = frozenset({roles.SUPERVISOR})

STATUSES = (
    Status(RECEIVED, "待受理", "已登记，等待承办执法主体受理；未分派的由司法行政部门分派。", deadline="acknowledge"),
    Status(ACCEPTED, "已受理", "承办执法主体已受理并指定承办人，核查后决定是否立案。", deadline="decide"),
    Status(DECIDED, "已作出处理决定", "已立案查处或决定不予立案，待答复投诉举报人。", deadline="reply"),
    Status(REPLIED, "已答复", "已答复投诉举报人，等待评价或办结。"),
    Status(CLOSED, "已办结", "办理完毕。", final=True),
)

MOVES = (
    Move("route", "分派承办执法主体", (RECEIVED,), RECEIVED, SUPERVISORS, push="", supervisor_only=True),
    Move("accept", "受理", (RECEIVED,), ACCEPTED, STAFF, push="accepted"),
    Move("transfer", "转办（非本单位管辖）", (RECEIVED, ACCEPTED), RECEIVED, HEADS | SUPERVISORS, push="transferred"),
    Move("return", "退回（非本单位管辖，交监督机构重新分派）", (RECEIVED, ACCEPTED), RECEIVED, HEADS, push="returned"),
    Move("decide", "作出处理决定", (ACCEPTED,), DECIDED, STAFF),
    Move("reply", "答复投诉举报人", (DECIDED,), REPLIED, STAFF, push="replied"),
    Move("close", "办结", (REPLIED,), CLOSED, HEADS | SUPERVISORS, push="closed"),
)

STATUS_CHOICES = [(s.code, s.name) for s in STATUSES]
OPEN_STATUSES = tuple(s.code for s in STATUSES if not s.final and s.code != REPLIED)


def status(code: str) -> Status:
    for item in STATUSES:
        if item.code == code:
            return item
    raise KeyError(code)


def move(code: str) -> Move:
    for item in MOVES:
        if item.code == code:
            return item
    raise KeyError(code)


def flow() -> list[dict]:
    """The flow chart in words (docs and the complaint page show it)."""
    role_names = dict(roles.ROLE_CHOICES)
    return [
        {"code": s.code, "name": s.name, "description": s.description,
         "moves": [{"name": m.name, "target": status(m.target).name,
                    "roles": [role_names[r] for r, _ in roles.ROLE_CHOICES if r in m.roles]}
                   for m in MOVES if s.code in m.sources]}
        for s in STATUSES
    ]
