"""Roles and what each may do: the one table the whole application consults.

A capability is ``(area, action)``: area is a part of the product ("orgs", "people",
"catalog", "parties", "audit", "users", "imports"), action is "view", "change" or a
special verb ("reveal" = see a full identity number). Where a role can act, *which* rows
it can act on is decided by the organisation scope (``zhifa.core.scoping``).

The three administrators (三员) are separated: the system administrator maintains data
but cannot read the audit trail or manage accounts; the security administrator manages
accounts and roles only; the audit administrator reads the audit trail only.
"""

OFFICER = "officer"  # 执法人员
AUXILIARY = "auxiliary"  # 执法辅助人员
UNIT_HEAD = "unit_head"  # 承办机构负责人
AGENCY_HEAD = "agency_head"  # 机关负责人
LEGAL_REVIEWER = "legal_reviewer"  # 法制审核人员
SUPERVISOR = "supervisor"  # 执法监督人员
SYSTEM_ADMIN = "system_admin"  # 系统管理员
SECURITY_ADMIN = "security_admin"  # 安全管理员
AUDIT_ADMIN = "audit_admin"  # 审计管理员

ROLE_CHOICES = [
    (OFFICER, "执法人员"),
    (AUXILIARY, "执法辅助人员"),
    (UNIT_HEAD, "承办机构负责人"),
    (AGENCY_HEAD, "机关负责人"),
    (LEGAL_REVIEWER, "法制审核人员"),
    (SUPERVISOR, "执法监督人员"),
    (SYSTEM_ADMIN, "系统管理员"),
    (SECURITY_ADMIN, "安全管理员"),
    (AUDIT_ADMIN, "审计管理员"),
]

# The three separated administrators (三员): no one receives one of these roles, and no one
# changes or resets such an account, through the application — only with the console command
# ``zhifa admin_account`` on the server (logged). They and supervisors must use a second factor.
THREE_ADMINS = frozenset({SYSTEM_ADMIN, SECURITY_ADMIN, AUDIT_ADMIN})
SECOND_FACTOR_ROLES = THREE_ADMINS | {SUPERVISOR}

_DATA_AREAS = ("orgs", "people", "catalog", "parties")
_READERS = (OFFICER, AUXILIARY, UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER, SUPERVISOR, SYSTEM_ADMIN)

CAPABILITIES: dict[tuple[str, str], frozenset[str]] = {
    **{(area, "view"): frozenset(_READERS) for area in _DATA_AREAS},
    # The security administrator places accounts in the tree, so reads the tree (nothing else).
    ("orgs", "view"): frozenset({*_READERS, SECURITY_ADMIN}),
    ("orgs", "change"): frozenset({SYSTEM_ADMIN}),
    ("people", "change"): frozenset({SYSTEM_ADMIN, AGENCY_HEAD, UNIT_HEAD}),
    ("catalog", "change"): frozenset({SYSTEM_ADMIN, AGENCY_HEAD, LEGAL_REVIEWER}),
    ("parties", "change"): frozenset({SYSTEM_ADMIN, AGENCY_HEAD, UNIT_HEAD, OFFICER, AUXILIARY}),
    # Full identity numbers: only roles whose work needs them; every reveal is logged.
    ("parties", "reveal"): frozenset({OFFICER, UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER, SUPERVISOR}),
    ("people", "reveal"): frozenset({SYSTEM_ADMIN, AGENCY_HEAD}),
    ("imports", "change"): frozenset({SYSTEM_ADMIN, AGENCY_HEAD}),
    ("reports", "view"): frozenset({UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER, SUPERVISOR, SYSTEM_ADMIN}),
    # Cases: officers handle, auxiliaries record (never sign or decide: enforced in cases.services),
    # heads approve; supervisors read their region. Who may make each transition is in the
    # procedure definitions (zhifa/cases/procedures.py).
    ("cases", "view"): frozenset(_READERS),
    ("cases", "change"): frozenset({OFFICER, AUXILIARY, UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER}),
    ("records", "view"): frozenset(_READERS),
    ("records", "change"): frozenset({OFFICER, AUXILIARY, UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER}),
    # Legal review: reviewers review; the handling side submits and answers; heads keep the
    # major-decision catalog; supervisors read. Independence is enforced in review.services.
    ("review", "view"): frozenset(_READERS),
    ("review", "change"): frozenset({LEGAL_REVIEWER, OFFICER, UNIT_HEAD, AGENCY_HEAD}),
    ("review", "catalog"): frozenset({AGENCY_HEAD, LEGAL_REVIEWER, SYSTEM_ADMIN}),
    ("workdays", "view"): frozenset({*_READERS, SECURITY_ADMIN, AUDIT_ADMIN}),
    ("workdays", "change"): frozenset({SYSTEM_ADMIN}),
    ("documents", "view"): frozenset(_READERS),
    ("documents", "change"): frozenset({SYSTEM_ADMIN}),
    # Publicity (行政执法公示, PUB-1…5): the handling side prepares publication records;
    # heads and legal reviewers check the masking and release, decline or withdraw them.
    ("publicity", "view"): frozenset(_READERS),
    ("publicity", "change"): frozenset({OFFICER, UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER}),
    ("publicity", "release"): frozenset({UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER}),
    # Annual statistics (行政执法统计年报, PUB-4) are generated from data; heads and system
    # administrators may regenerate them before publication.
    ("statistics", "view"): frozenset(_READERS),
    ("statistics", "change"): frozenset({AGENCY_HEAD, SYSTEM_ADMIN}),
    # Portal content written by hand (service guides, remedies) and the PUB-5 freshness report.
    ("portal", "view"): frozenset(_READERS),
    ("portal", "change"): frozenset({AGENCY_HEAD, SYSTEM_ADMIN}),
    # Supervision alerts and actions (预警、督办、监督文书, SUP-1/SUP-4): supervisors work alerts and
    # issue actions in their region; the agency's heads and legal reviewers answer what is
    # addressed to their agency; supervisors of a region tune the problem models ("models").
    ("alerts", "view"): frozenset({UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER, SUPERVISOR}),
    ("alerts", "change"): frozenset({SUPERVISOR}),
    ("alerts", "answer"): frozenset({UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER}),
    ("alerts", "models"): frozenset({SUPERVISOR}),
    # Case-file evaluation (案卷评查, SUP-2): supervisors run plans and score; legal reviewers of
    # other agencies score files assigned to them (cross-evaluation, never their own agency —
    # enforced in supervision.evaluation.services); the evaluated agency reads its own results,
    # asks for re-evaluation and reports rectification.
    ("evaluation", "view"): frozenset({UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER, SUPERVISOR, SYSTEM_ADMIN}),
    ("evaluation", "change"): frozenset({SUPERVISOR}),
    ("evaluation", "score"): frozenset({SUPERVISOR, LEGAL_REVIEWER}),
    ("evaluation", "rectify"): frozenset({UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER}),
    # The 三项制度 assessment (年度考评, SUP-5): supervisors create, score and publish; the assessed
    # agency's heads and legal reviewers self-assess with evidence (an assessed region's own
    # supervisors self-assess it — checked in supervision.assessment.services).
    ("assessment", "view"): frozenset({UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER, SUPERVISOR, SYSTEM_ADMIN}),
    ("assessment", "change"): frozenset({SUPERVISOR}),
    ("assessment", "self"): frozenset({AGENCY_HEAD, LEGAL_REVIEWER, SUPERVISOR}),
    # Work plans and task ledgers (工作任务台账, SUP-6): supervisors keep the plans; the lead and
    # co-operating units report progress.
    ("ledgers", "view"): frozenset({UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER, SUPERVISOR, SYSTEM_ADMIN}),
    ("ledgers", "change"): frozenset({SUPERVISOR}),
    ("ledgers", "report"): frozenset({UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER}),
    # Complaints and tips (投诉举报, SUP-3): the handling agency's staff accept, decide and reply;
    # supervisors route, transfer, set the deadlines of their region and watch; who may read the
    # complainant's identity is decided per complaint (supervision/complaints/identity.py).
    ("complaints", "view"): frozenset({OFFICER, UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER, SUPERVISOR}),
    ("complaints", "change"): frozenset({OFFICER, UNIT_HEAD, AGENCY_HEAD, SUPERVISOR}),
    ("complaints", "route"): frozenset({SUPERVISOR}),
    # Hotline systems (12345/12348) pushing work orders: their secrets are kept by the system administrator.
    ("hotlines", "view"): frozenset({SYSTEM_ADMIN}),
    ("hotlines", "change"): frozenset({SYSTEM_ADMIN}),
    # The supervisor's cockpit (驾驶舱, AI-2): figures of the agencies in the supervised region.
    ("cockpit", "view"): frozenset({SUPERVISOR, SYSTEM_ADMIN}),
    # 双随机、一公开 (INS-1, INS-2): lists, inspector registers, annual plans and draws; heads and unit heads
    # prepare and run draws; officers declare conflicts; supervisors read.
    ("draws", "view"): frozenset(_READERS),
    ("draws", "change"): frozenset({UNIT_HEAD, AGENCY_HEAD, SYSTEM_ADMIN}),
    # Inspections (行政检查, 涉企检查): officers inspect (auxiliaries record evidence only — enforced in
    # inspections.acts.services), heads approve and publish caps; supervisors read their region.
    ("inspections", "view"): frozenset(_READERS),
    ("inspections", "change"): frozenset({OFFICER, AUXILIARY, UNIT_HEAD, AGENCY_HEAD}),
    # Equipment register and non-site supervision (执法装备、非现场监管, 处罚法第四十一条): heads and the system
    # administrator keep the register; officers enter and notify device records; a reviewer other
    # than the one who entered a record reviews it (enforced in inspections.devices.services).
    ("devices", "view"): frozenset(_READERS),
    ("devices", "change"): frozenset({UNIT_HEAD, AGENCY_HEAD, SYSTEM_ADMIN}),
    ("devices", "record"): frozenset({OFFICER, AUXILIARY, UNIT_HEAD, AGENCY_HEAD}),
    ("devices", "review"): frozenset({OFFICER, UNIT_HEAD, AGENCY_HEAD, LEGAL_REVIEWER}),
    # Grid dispatch (网格化巡查与指挥调度, COL-3): heads and the system administrator keep the grids; the command
    # centre (指挥中心: unit and agency heads) dispatches, reassigns and closes tasks; officers, auxiliaries and
    # grid workers accept tasks and report from a phone (who may act on which task: coordination.grid.services).
    ("grid", "view"): frozenset(_READERS),
    ("grid", "change"): frozenset({AGENCY_HEAD, SYSTEM_ADMIN}),
    ("dispatch", "view"): frozenset(_READERS),
    ("dispatch", "change"): frozenset({OFFICER, AUXILIARY, UNIT_HEAD, AGENCY_HEAD}),
    ("dispatch", "command"): frozenset({UNIT_HEAD, AGENCY_HEAD}),
    ("audit", "view"): frozenset({AUDIT_ADMIN}),
    # Background jobs (后台任务, zhifa/core/jobs.py): deployment-wide machinery, seen and retried
    # by the system administrator only.
    # Exchange with lower and upper levels (数据汇聚与交换, DATA-1): supervisors read what the
    # instances below pushed; the system administrator configures sources and uplinks.
    ("exchange", "view"): frozenset({SUPERVISOR, SYSTEM_ADMIN}),
    ("exchange", "change"): frozenset({SYSTEM_ADMIN}),
    ("jobs", "view"): frozenset({SYSTEM_ADMIN}),
    ("jobs", "change"): frozenset({SYSTEM_ADMIN}),
    ("users", "view"): frozenset({SECURITY_ADMIN}),
    ("users", "change"): frozenset({SECURITY_ADMIN}),
}


def role_can(role: str, area: str, action: str) -> bool:
    """Whether ``role`` holds capability ``(area, action)``."""
    return role in CAPABILITIES.get((area, action), frozenset())


def capability_table() -> list[tuple[str, str, list[str]]]:
    """(area, action, role labels) rows, for showing the rules to administrators."""
    labels = dict(ROLE_CHOICES)
    return [(a, act, [labels[r] for r, _ in ROLE_CHOICES if r in roles]) for (a, act), roles in CAPABILITIES.items()]
