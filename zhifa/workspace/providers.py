"""The to-do providers of the apps that exist today (待办来源): case next actions, approvals, legal
reviews and their answers, publications, supervision alerts and actions, case-file evaluations
and their rectifications. Each reads through ``restrict`` with one or two bounded queries.

Complaints and inspections register their own providers the same way (``docs/workspace.md``).
"""

from django.db.models import F, Q
from django.urls import reverse

from zhifa.accounts import roles

from .todos import LIMIT, TodoItem, register_provider


def _case_title(case) -> str:
    return f"{case.number or '（未立案）'} {case.cause}"


# --- 办案: my open cases and their next action --------------------------------------------------


def case_actions(user):
    """Open cases the person is assigned to, with the next step the procedure allows them
    (案件下一步), ordered by the stored next deadline (index ``cases_case_unit_next_deadline``)."""
    if user.role == roles.AUXILIARY and not user.is_superuser:
        may_act = False
    else:
        may_act = user.has_capability("cases", "change")
    from zhifa.cases.models import Case
    from zhifa.cases.views.common import role_may

    cases = (Case.objects.restrict(user, "view")
             .filter(assignments__officer__user=user, closed_on__isnull=True, archived_on__isnull=True)
             .select_related("party").order_by(F("next_deadline").asc(nulls_last=True), "-id")[:LIMIT])
    for case in cases:
        steps = [t.name for t in case.procedure_definition.transitions_from(case.stage) if role_may(user, t)]
        label = case.next_deadline_label or case.stage_name
        if not may_act:
            detail = label
        elif steps:
            detail = f"{label}；下一步：{'、'.join(steps)}"
        else:
            detail = f"{label}（待负责人审批）"
        yield TodoItem(kind="case", title=_case_title(case), url=case.get_absolute_url(),
                       deadline=case.next_deadline, key=f"case:{case.pk}:{case.stage}", subject=f"case:{case.pk}", detail=detail,
                       agency_id=case.agency_id, unit_id=case.unit_id)


APPROVAL_LIMIT = 20  # each candidate case is checked against its step's requirements (a few queries each)


def approvals(user):
    """Cases waiting for this head's approval (审批): a head-only step is ready now (the
    ``APPROVAL_LIMIT`` most urgent candidates are checked)."""
    from zhifa.cases.views.common import awaiting_approval

    for case, transition in awaiting_approval(user, limit=APPROVAL_LIMIT):
        yield TodoItem(kind="approval", title=_case_title(case), url=case.get_absolute_url(),
                       deadline=case.next_deadline, key=f"approval:{case.pk}:{case.stage}:{transition.code}", subject=f"case:{case.pk}",
                       detail=f"待审批：{transition.name}", agency_id=case.agency_id, unit_id=case.unit_id)


# --- 法制审核 ---------------------------------------------------------------------------------


def legal_reviews(user):
    """For legal reviewers: open reviews assigned to them or not yet assigned (待审核)."""
    if not (user.is_superuser or user.role == roles.LEGAL_REVIEWER):
        return
    from zhifa.review import choices
    from zhifa.review.models import Review

    reviews = (Review.objects.restrict(user, "view").filter(status__in=choices.OPEN_STATUSES)
               .filter(Q(reviewer=user) | Q(reviewer__isnull=True))
               .select_related("case").order_by("deadline", "id")[:LIMIT])
    for review in reviews:
        yield TodoItem(kind="review", title=_case_title(review.case), url=reverse("review:case", args=[review.case_id]),
                       deadline=review.deadline, key=f"review:{review.pk}",
                       detail=f"第{review.round}轮法制审核，{'待分配' if review.reviewer_id is None else '待出具意见'}",
                       agency_id=review.agency_id, unit_id=review.case.unit_id)


def review_answers(user):
    """For the handling side: review opinions with problems awaiting their written answer (书面答复)."""
    if not user.has_capability("review", "change") or user.role == roles.LEGAL_REVIEWER:
        return
    from zhifa.review import choices
    from zhifa.review.models import Review

    reviews = (Review.objects.restrict(user, "view").filter(status=choices.PROBLEMS, answered_at__isnull=True)
               .select_related("case").order_by("completed_at", "id"))
    if user.role == roles.OFFICER:
        reviews = reviews.filter(case__assignments__officer__user=user)
    for review in reviews[:LIMIT]:
        yield TodoItem(kind="review_answer", title=_case_title(review.case),
                       url=reverse("review:case", args=[review.case_id]), key=f"review-answer:{review.pk}",
                       detail="法制审核意见存在问题，待书面答复后重新送审",
                       agency_id=review.agency_id, unit_id=review.case.unit_id)


# --- 公示 -------------------------------------------------------------------------------------


def publications(user):
    """Decisions waiting to be checked and published (待公示), for those who release them."""
    if not user.has_capability("publicity", "release"):
        return
    from zhifa.publicity import choices
    from zhifa.publicity.models import Publication

    rows = (Publication.objects.restrict(user, "view").filter(status=choices.PENDING)
            .only("pk", "decision_number", "title", "due_on", "agency_id").order_by("due_on", "id")[:LIMIT])
    for pub in rows:
        yield TodoItem(kind="publication", title=f"{pub.decision_number} {pub.title}",
                       url=reverse("publicity:detail", args=[pub.pk]), deadline=pub.due_on,
                       key=f"publication:{pub.pk}", detail="核对遮蔽内容后公示", agency_id=pub.agency_id)


# --- 监督 -------------------------------------------------------------------------------------


def supervision_alerts(user):
    """Alerts waiting for the agency's explanation or rectification (预警待说明/整改), and for a
    supervisor the explanations and rectifications awaiting their decision (待认定/复核)."""
    from zhifa.supervision.models import Alert
    from zhifa.supervision.models import alerts as a

    wanted = []
    if user.has_capability("alerts", "answer"):
        wanted += [a.ASSIGNED, a.RECTIFYING]
    if user.has_capability("alerts", "change"):
        wanted += [a.EXPLAINED, a.RECTIFIED]
    if not wanted:
        return
    rows = (Alert.objects.restrict(user, "view").filter(is_open=True, status__in=wanted)
            .only("pk", "summary", "status", "reply_due_on", "rectify_due_on", "agency_id")
            .order_by(F("reply_due_on").asc(nulls_last=True), "id")[:LIMIT])
    todo = {a.ASSIGNED: "待说明", a.RECTIFYING: "待整改", a.EXPLAINED: "已说明，待认定", a.RECTIFIED: "已报整改，待复核"}
    for alert in rows:
        deadline = alert.reply_due_on if alert.status == a.ASSIGNED else (
            alert.rectify_due_on if alert.status == a.RECTIFYING else None)
        yield TodoItem(kind="alert", title=alert.summary, url=alert.get_absolute_url(), deadline=deadline,
                       key=f"alert:{alert.pk}:{alert.status}", detail=f"执法监督预警{todo[alert.status]}",
                       agency_id=alert.agency_id)


def supervision_actions(user):
    """督办、监督文书 addressed to the agency awaiting its answer (待答复)."""
    if not user.has_capability("alerts", "answer"):
        return
    from zhifa.supervision.models import SupervisionAction
    from zhifa.supervision.models import actions as act

    rows = (SupervisionAction.objects.restrict(user, "view").filter(status=act.ISSUED)
            .only("pk", "kind", "number", "title", "reply_due_on", "agency_id").order_by("reply_due_on", "id")[:LIMIT])
    for action in rows:
        yield TodoItem(kind="supervision_action", title=f"{action.get_kind_display()} {action.number} {action.title}",
                       url=reverse("supervision:action_reply", args=[action.pk]), deadline=action.reply_due_on,
                       key=f"supaction:{action.pk}", detail="监督机关要求书面答复", agency_id=action.agency_id)


# --- 案卷评查 ---------------------------------------------------------------------------------


def evaluations(user):
    """Case files assigned to this evaluator and not yet scored (待评查)."""
    if not user.has_capability("evaluation", "score"):
        return
    from zhifa.supervision.models import CaseEvaluation

    rows = (CaseEvaluation.objects.restrict(user, "view")
            .filter(evaluator=user, status=CaseEvaluation.PENDING)
            .select_related("plan", "case").order_by("plan_id", "draw_rank")[:LIMIT])
    for ev in rows:
        yield TodoItem(kind="evaluation", title=f"{ev.plan.title}：{_case_title(ev.case)}", url=ev.get_absolute_url(),
                       key=f"evaluation:{ev.pk}", detail="案卷评查待评分", agency_id=ev.agency_id)


def rectifications(user):
    """Evaluation findings the evaluated agency must rectify (评查问题待整改)."""
    if not user.has_capability("evaluation", "rectify"):
        return
    from zhifa.supervision.models import Finding

    rows = (Finding.objects.restrict(user, "view").filter(rectification=Finding.OPEN)
            .select_related("evaluation__case", "item").order_by("evaluation_id", "id")[:LIMIT])
    for finding in rows:
        yield TodoItem(kind="rectification", title=f"{_case_title(finding.evaluation.case)}：{finding.item.title}",
                       url=reverse("supervision:evaluation_rectify", args=[finding.pk]),
                       key=f"finding:{finding.pk}", detail="案卷评查发现的问题待整改",
                       agency_id=finding.evaluation.agency_id)


# --- 投诉举报 与 行政检查 (registered the same way; their apps came after the desk) -------------


def complaints(user):
    """Complaints the person handles that wait for their next step (受理、处理决定、答复), by deadline."""
    if not user.has_capability("complaints", "view"):
        return
    from zhifa.supervision.complaints import procedure as proc
    from zhifa.supervision.models import Complaint

    rows = (Complaint.objects.restrict(user, "view")
            .filter(handlers=user, status__in=(proc.RECEIVED, proc.ACCEPTED, proc.DECIDED))
            .only("pk", "number", "subject", "status", "next_due", "agency_id").order_by("next_due", "id")[:LIMIT])
    for complaint in rows:
        yield TodoItem(kind="complaint", title=f"{complaint.number} {complaint.subject}",
                       url=complaint.get_absolute_url(), deadline=complaint.next_due,
                       key=f"complaint:{complaint.pk}:{complaint.status}", subject=f"complaint:{complaint.pk}",
                       detail=complaint.get_status_display(), agency_id=complaint.agency_id)
    # Not yet anyone's: routed complaints to accept (the handling agency's heads) and unrouted ones
    # to route (the region's supervisors), so the acknowledge limit reaches people too (one query).
    if user.role in proc.HEADS:
        waiting, detail = Q(status=proc.RECEIVED, agency__isnull=False, handlers__isnull=True), "待受理（确定承办人）"
    elif user.role in proc.SUPERVISORS and user.has_capability("complaints", "route"):
        waiting, detail = Q(status=proc.RECEIVED, agency__isnull=True), "待分派承办执法主体"
    else:
        return
    for complaint in (Complaint.objects.restrict(user, "view").filter(waiting)
                      .only("pk", "number", "subject", "status", "next_due", "agency_id")
                      .order_by("next_due", "id")[:LIMIT]):
        yield TodoItem(kind="complaint", title=f"{complaint.number} {complaint.subject}",
                       url=complaint.get_absolute_url(), deadline=complaint.next_due,
                       key=f"complaint:{complaint.pk}:{complaint.status}:intake", subject=f"complaint:{complaint.pk}",
                       detail=detail, agency_id=complaint.agency_id)


INSPECTION_OPEN_STAGES = ("requested", "approved", "notified", "on_site", "correcting", "concluded")


def inspections(user):
    """Inspections the person is on the team of (or, for a head, awaiting approval) that are not finished."""
    from zhifa.inspections.models import Inspection
    from zhifa.people.models import Officer

    officer_ids = list(Officer.objects.filter(user=user).values_list("pk", flat=True)[:5])
    query = Q(officers__in=officer_ids) if officer_ids else Q(pk__in=[])
    if user.role == roles.AGENCY_HEAD:
        query |= Q(stage="requested")
    rows = (Inspection.objects.restrict(user, "view").filter(query, stage__in=INSPECTION_OPEN_STAGES)
            .select_related("party").distinct().order_by("planned_on", "id")[:LIMIT])
    for inspection in rows:
        deadline = inspection.publication_due_on if inspection.stage == "concluded" else inspection.planned_on
        yield TodoItem(kind="inspection", title=f"{inspection.party.name}：{inspection.subject}",
                       url=inspection.get_absolute_url(), deadline=deadline,
                       key=f"inspection:{inspection.pk}:{inspection.stage}", subject=f"inspection:{inspection.pk}",
                       detail=inspection.stage_name, agency_id=inspection.agency_id)


register_provider("case", "案件办理", case_actions, area="cases", list_url="cases:workbench")
register_provider("approval", "待我审批", approvals, area="cases", list_url="cases:workbench",
                  limit=APPROVAL_LIMIT)
register_provider("review", "法制审核", legal_reviews, area="review", list_url="review:queue")
register_provider("review_answer", "审核意见答复", review_answers, area="review", list_url="review:queue")
register_provider("publication", "决定公示", publications, area="publicity", list_url="publicity:queue")
register_provider("alert", "监督预警", supervision_alerts, area="alerts", list_url="supervision:inbox")
register_provider("supervision_action", "督办与监督文书", supervision_actions, area="alerts",
                  list_url="supervision:inbox")
register_provider("evaluation", "案卷评查", evaluations, area="evaluation", list_url="supervision:evaluation_list")
register_provider("rectification", "评查整改", rectifications, area="evaluation",
                  list_url="supervision:evaluation_list")
register_provider("complaint", "投诉举报", complaints, area="complaints", list_url="supervision:complaint_list")
register_provider("inspection", "行政检查", inspections, area="inspections", list_url="inspections:act_list")
