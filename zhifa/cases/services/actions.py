"""What a user may do to a case now: the checks every action service runs before it changes
anything, and ``next_actions`` — the one function behind the case page's buttons and
``GET /api/cases/cases/{id}/next-actions/``.

Each ``check_<action>(case, actor)`` raises the same ``PermissionDenied`` or ``ValidationError``
(in Chinese) that the action's service raises, because the service calls it first; ``next_actions``
runs them without changing anything and reports each refusal as the reason a button is off.
There is no second permission table: a rule lives in its check and nowhere else.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.accounts import roles
from zhifa.core import clock

from .. import choices, rules
from ..models import Case, Hearing
from .common import _check_can_change, _check_signer, _remembered, remembered_checks
from .transitions import TransitionOption, available_transitions

RECORDING_STAGES = ("clue", "filed", "investigation", "discretion", "notice", "on_site")
DISCRETION_STAGES = ("investigation", "discretion", "on_site")
EXTENSION_STAGES = ("filed", "investigation", "discretion", "notice")
MAX_EXTENSION_DAYS = 365


def _check_recording_stage(case: Case) -> None:
    if case.stage not in RECORDING_STAGES:
        raise ValidationError(f"“{case.stage_name}”环节不能再补充调查记录。")


def _check_general(case: Case, what: str) -> None:
    if case.procedure != choices.GENERAL:
        raise ValidationError(f"当场处罚（简易程序）案件不能{what}。")


def _check_notice_stage(case: Case) -> None:
    if case.stage != "notice":
        raise ValidationError("只有在告知与陈述申辩环节才能登记陈述申辩或听证。")


def _hearing_of(case: Case) -> Hearing | None:
    try:
        return case.hearing
    except Hearing.DoesNotExist:
        return None


def check_assign(case: Case, actor) -> None:
    """指定办案人员: officers and heads, general procedure, before the case is closed."""
    _check_can_change(case, actor)
    if not actor.is_superuser and actor.role not in (roles.UNIT_HEAD, roles.AGENCY_HEAD, roles.OFFICER):
        raise PermissionDenied("只有执法人员或负责人可以指定办案人员。")
    _check_general(case, "另行指定办案人员")
    if case.stage in ("closed", "archived"):
        raise ValidationError("案件已结案，不能再指定办案人员。")


def check_evidence(case: Case, actor) -> None:
    """上传证据: anyone handling the case, auxiliaries included, while it is investigated."""
    _check_can_change(case, actor)
    _check_recording_stage(case)


def check_inspection(case: Case, actor) -> None:
    _check_can_change(case, actor)
    _check_general(case, "制作现场检查笔录")
    _check_recording_stage(case)


def check_interview(case: Case, actor) -> None:
    _check_can_change(case, actor)
    _check_general(case, "制作询问笔录")
    _check_recording_stage(case)


def check_coercive(case: Case, actor) -> None:
    """实施行政强制措施 (查封、扣押、冻结): a signed act while the case is investigated; the
    measure then follows its own procedure (``zhifa.cases.coercion``)."""
    from ..coercion.services import check_new_measure

    check_new_measure(case, actor)


def check_enforcement(case: Case, actor) -> None:
    """催告 (行政强制执行): after the decision was served and not performed in time."""
    from ..coercion.services import check_start_enforcement

    check_start_enforcement(case, actor)


def check_discretion(case: Case, actor) -> None:
    _check_can_change(case, actor)
    _check_signer(case, actor)
    if case.stage not in DISCRETION_STAGES:
        raise ValidationError(f"“{case.stage_name}”环节不能修改处罚意见。")


def check_statement(case: Case, actor) -> None:
    _check_can_change(case, actor)
    _check_notice_stage(case)


def check_answer(case: Case, actor) -> None:
    """复核答复陈述申辩: a signed act."""
    _check_can_change(case, actor)
    _check_signer(case, actor)


def check_waive(case: Case, actor) -> None:
    _check_can_change(case, actor)
    _check_notice_stage(case)
    if case.rights_waived:
        raise ValidationError("已记录当事人书面放弃陈述、申辩和听证权利。")


def check_hearing_request(case: Case, actor) -> None:
    _check_can_change(case, actor)
    _check_notice_stage(case)
    if not case.hearing_right:
        raise ValidationError("拟作出的处罚不属于听证范围（处罚法第六十三条）。")
    if _hearing_of(case) is not None:
        raise ValidationError("当事人已申请听证。")


def check_hearing_schedule(case: Case, actor) -> None:
    _check_can_change(case, actor)
    _check_signer(case, actor)
    hearing = _hearing_of(case)
    if hearing is None:
        raise ValidationError("当事人未申请听证。")
    if hearing.scheduled_for is not None:
        raise ValidationError(f"已通知听证（{hearing.scheduled_for:%Y年%m月%d日}），不能重复通知。")


def check_hearing_record(case: Case, actor) -> None:
    _check_can_change(case, actor)
    hearing = _hearing_of(case)
    if hearing is None or hearing.scheduled_for is None:
        raise ValidationError("尚未通知听证时间和地点。")
    if hearing.concluded:
        raise ValidationError("已记录听证情况。")


def check_extension(case: Case, actor) -> None:
    """延长办案期限: the agency head, before the decision (处罚法第六十条)."""
    _check_can_change(case, actor)
    if not actor.is_superuser and actor.role != roles.AGENCY_HEAD:
        raise PermissionDenied("延长办案期限须经机关负责人批准。")
    if case.procedure != choices.GENERAL or case.stage not in EXTENSION_STAGES:
        raise ValidationError("只有作出处罚决定前的一般程序案件才能延长办案期限。")


def check_payment(case: Case, actor) -> None:
    """登记缴款: in execution, while any money amount of the decision is outstanding."""
    _check_can_change(case, actor)
    if case.stage != "execution" or not rules.has_money_due(case):
        raise ValidationError("只有处于执行环节且有罚没款的案件才能登记缴款。")
    if not any(item.outstanding > 0 for item in rules.money_items(case, clock.today())):
        raise ValidationError("罚没款（含加处罚款）已缴清。")


def check_other_execution(case: Case, actor) -> None:
    """登记其他处罚的执行情况: penalties that are not money (没收非法财物, 暂扣或吊销许可证件,
    责令停产停业 …) are executed by acts of their own, recorded once."""
    _check_can_change(case, actor)
    if case.stage != "execution" or not any(item.needs_own_act for item in rules.penalty_items(case)):
        raise ValidationError("只有处于执行环节、决定了没收非法财物、暂扣或吊销许可证件、责令停产停业等处罚的案件才能登记其执行情况。")


def check_payment_plan(case: Case, actor) -> None:
    """延期或分期缴纳罚款: approved by the agency head while the fine is unpaid (处罚法第六十六条第二款)."""
    _check_can_change(case, actor)
    if not (actor.is_superuser or actor.role == roles.AGENCY_HEAD):
        raise PermissionDenied("延期或分期缴纳罚款须经机关负责人批准（处罚法第六十六条第二款）。")
    if case.stage != "execution" or not case.fine_amount or case.executed_on:
        raise ValidationError("只有处于执行环节、罚款尚未缴清的案件才能批准延期或分期缴纳。")


def check_violation_period(case: Case, actor) -> None:
    """违法行为持续情况 (追责时效, 处罚法第三十六条): corrected as the investigation finds out,
    until the decision."""
    _check_can_change(case, actor)
    if case.decided_on:
        raise ValidationError("已作出决定的案件不能修改违法行为持续情况。")


def check_remedy(case: Case, actor) -> None:
    """Remedies come after the decision, often after archiving: the archived file stays
    read-only, the remedy is a new fact appended to the record."""
    if not case.decided_on:
        raise ValidationError("案件尚未作出决定，不能登记复议或诉讼。")
    if not _remembered(("change", case.pk, actor.pk),
                       lambda: Case.objects.restrict(actor, "change").filter(pk=case.pk).exists()):
        raise PermissionDenied("您无权办理该案件。")


def check_remedy_result(case: Case, actor) -> None:
    check_remedy(case, actor)
    if not case.remedies.filter(result=choices.REMEDY_PENDING).exists():
        raise ValidationError("没有尚待结果的复议或诉讼。")


@dataclass(frozen=True)
class CaseAction:
    """An action on a case that is not a move between stages."""

    code: str
    name: str
    api_path: str  # under /api/cases/cases/{id}/
    check: Callable


CASE_ACTIONS = (
    CaseAction("assign", "指定办案人员", "officers/", check_assign),
    CaseAction("evidence", "上传证据", "evidence/", check_evidence),
    CaseAction("inspection", "现场检查笔录", "inspections/", check_inspection),
    CaseAction("interview", "询问笔录", "interviews/", check_interview),
    CaseAction("coercive", "实施行政强制措施", "coercive-measures/", check_coercive),
    CaseAction("discretion", "拟定处罚（裁量）", "discretion/", check_discretion),
    CaseAction("statement", "记录陈述申辩", "statements/", check_statement),
    CaseAction("answer", "复核陈述申辩意见", "statements/{statement_id}/answer/", check_answer),
    CaseAction("waive", "当事人放弃陈述申辩", "waive-rights/", check_waive),
    CaseAction("hearing_request", "登记听证申请", "hearing/request/", check_hearing_request),
    CaseAction("hearing_schedule", "通知听证", "hearing/schedule/", check_hearing_schedule),
    CaseAction("hearing_record", "听证笔录", "hearing/record/", check_hearing_record),
    CaseAction("extension", "延长办案期限", "extensions/", check_extension),
    CaseAction("payment", "登记缴款", "payments/", check_payment),
    CaseAction("payment_plan", "批准延期或分期缴纳", "payment-plans/", check_payment_plan),
    CaseAction("violation_period", "记录违法行为持续情况", "violation-period/", check_violation_period),
    CaseAction("other_execution", "登记其他处罚的执行情况", "other-execution/", check_other_execution),
    CaseAction("enforcement", "催告（行政强制执行）", "enforcements/", check_enforcement),
    CaseAction("remedy", "登记复议或诉讼", "remedies/", check_remedy),
    CaseAction("remedy_result", "登记复议或诉讼结果", "remedies/{remedy_id}/result/", check_remedy_result),
)


def check_action(code: str, case: Case, actor) -> None:
    """Run the check of one action (raises its refusal)."""
    for action in CASE_ACTIONS:
        if action.code == code:
            action.check(case, actor)
            return
    raise KeyError(code)


@dataclass
class ActionOption:
    """One action offered on the case page: available now, or the reason it is not."""

    action: CaseAction
    refusal: str = ""

    @property
    def available(self) -> bool:
        return not self.refusal


@dataclass
class NextActions:
    """What ``user`` may do to ``case`` now."""

    refusal: str  # why the user may not change the case at all ("" when they may)
    transitions: list[TransitionOption] = field(default_factory=list)
    actions: list[ActionOption] = field(default_factory=list)

    def available(self, code: str) -> bool:
        return any(o.action.code == code and o.available for o in self.actions)

    @property
    def flags(self) -> dict[str, bool]:
        """``{action code: available}`` for templates."""
        return {o.action.code: o.available for o in self.actions}


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


def next_actions(case: Case, user) -> NextActions:
    """The transitions from the case's stage (with what each still needs) and every other
    action, each with the reason it is refused now — computed by the checks the services run."""
    with remembered_checks():
        return _next_actions(case, user)


def _next_actions(case: Case, user) -> NextActions:
    refusal = ""
    try:
        _check_can_change(case, user)
    except PermissionDenied as exc:
        refusal = str(exc)
    transitions = available_transitions(case, user)
    for option in transitions:
        if refusal:
            option.refusal = refusal
        elif option.transition.signed and option.role_allowed:
            try:
                _check_signer(case, user)
            except PermissionDenied as exc:
                option.refusal = str(exc)
    actions = []
    for action in CASE_ACTIONS:
        try:
            action.check(case, user)
        except (PermissionDenied, ValidationError) as exc:
            actions.append(ActionOption(action, _reason(exc)))
        else:
            actions.append(ActionOption(action))
    return NextActions(refusal=refusal, transitions=transitions, actions=actions)
