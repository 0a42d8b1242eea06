"""The only code that changes legal reviews, major flags and collective discussions.

Every function checks who may act, changes the rows in one transaction and appends an event to
the case's hash-chained record (``case:<id>``). The two gates registered with the cases app
(``check_legal_review`` and ``check_collective_discussion``) run inside
``cases.services.perform_transition``, the single path of every decision — web, API, command
or direct call — so a major case cannot be decided before its review passes.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from zhifa.accounts import roles
from zhifa.cases.documents import penalty_lines
from zhifa.catalog import choices as catalog_choices
from zhifa.core import clock, numbers
from zhifa.documents.formatting import chinese_numeral
from zhifa.people.models import Officer
from zhifa.people.services import reviewer_staffing
from zhifa.records.services import append_event, events_for
from zhifa.workdays.services import CalendarNotCovered, add_working_days

from . import choices
from .models import (
    CollectiveDiscussion,
    MajorDecisionCatalog,
    MajorFlag,
    Review,
    ReviewAnswer,
    ReviewFinding,
    ReviewSettings,
)

# Stages from which a case may be submitted for review: after the proposal, before the decision.
SUBMIT_STAGES = {"general": ("discretion", "notice"), "simple": ("on_site",)}
# Record events written by this app: they do not make the actor a handler of the case.
OWN_EVENT_PREFIXES = ("review", "major_flag", "collective_discussion")
HANDLING_ROLES = (roles.OFFICER, roles.UNIT_HEAD, roles.AGENCY_HEAD)
OPINION_TITLE = "法制审核意见书"
OPINION_CODE = "legal_review_opinion"
DISCUSSION_CODE = "collective_discussion_record"


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------


def _today():
    return clock.today()


def _event(case, kind, summary, actor, payload=None, files=()):
    return append_event(case.stream_key, kind, summary, actor=actor, payload=payload or {}, files=files)


def _money(value) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def _yuan(value) -> str:
    return numbers.format_amount(value)


def officer_of(user) -> Officer | None:
    """The roster entry linked to a user, if any."""
    if user is None or not getattr(user, "pk", None):
        return None
    return Officer.objects.filter(user=user).first()


def _check_handling_side(case, actor) -> None:
    """Submitting, answering and flagging belong to the handling side of the case."""
    from zhifa.cases.models import Case

    if case.is_read_only:
        raise PermissionDenied("案件已归档，案卷只读。")
    if not actor.has_capability("review", "change") or not Case.objects.restrict(actor, "change").filter(pk=case.pk).exists():
        raise PermissionDenied("您无权办理该案件。")
    if actor.is_superuser:
        return
    if actor.role not in HANDLING_ROLES:
        raise PermissionDenied("只有本案的办案人员或承办机构、机关负责人可以执行该操作。")
    if actor.role == roles.OFFICER:
        officer = officer_of(actor)
        if officer is None or not case.assignments.filter(officer=officer).exists():
            raise PermissionDenied("只有本案的办案人员可以执行该操作。")


def _check_review_in_reach(review, actor) -> None:
    if not Review.objects.restrict(actor, "change").filter(pk=review.pk).exists():
        raise PermissionDenied("该法制审核不在您的管辖范围内。")


def deadline_days(agency) -> int:
    """The agency's review deadline in working days (``ReviewSettings``, default 5)."""
    row = ReviewSettings.objects.filter(agency=agency).first()
    return row.deadline_working_days if row else choices.DEFAULT_DEADLINE_WORKING_DAYS


def review_deadline(agency, start: datetime.date) -> tuple[datetime.date, bool]:
    """(deadline, provisional): ``start`` plus the agency's working days; provisional when the
    calendar of that year is not entered (then Monday to Friday are counted)."""
    days = deadline_days(agency)
    try:
        return add_working_days(start, days), False
    except CalendarNotCovered:
        current, left = start, days
        while left:
            current += datetime.timedelta(days=1)
            if current.weekday() < 5:
                left -= 1
        return current, True


def recount_provisional_deadlines() -> int:
    """Recount open reviews whose deadline was counted before its year's holidays were entered;
    registered with ``zhifa.workdays.recount``. Returns how many changed."""
    changed = 0
    for review in Review.objects.filter(deadline_provisional=True, status__in=choices.OPEN_STATUSES).select_related("agency"):
        deadline, provisional = review_deadline(review.agency, timezone.localdate(review.submitted_at))
        if not provisional:
            Review.objects.filter(pk=review.pk).update(deadline=deadline, deadline_provisional=False)
            changed += 1
    return changed


# ---------------------------------------------------------------------------------------
# Major decisions (REV-1)
# ---------------------------------------------------------------------------------------


@dataclass
class Match:
    """Why a case is major, and whether that calls for a collective discussion."""

    text: str
    collective: bool = False


def _matches(case) -> list[Match]:
    from zhifa.cases.models import Hearing

    found = []
    kinds = set(case.penalty_kinds or [])
    natural = case.party.kind == "natural"
    heard = None
    flags = list(case.major_flags.all())
    for row in MajorDecisionCatalog.objects.filter(agency_id=case.agency_id, is_active=True):
        if row.criterion == choices.FINE_THRESHOLD:
            threshold = row.fine_person if natural else row.fine_organisation
            if threshold is not None and case.fine_amount is not None and case.fine_amount >= threshold \
                    and catalog_choices.FINE in kinds:
                who = "公民" if natural else "法人或其他组织"
                found.append(Match(f"罚款{_yuan(case.fine_amount)}元达到本机关目录清单标准（对{who}{_yuan(threshold)}元以上）",
                                   row.requires_collective_discussion))
        elif row.criterion == choices.PENALTY_KIND:
            if row.penalty_kind in kinds:
                found.append(Match(f"拟给予{row.penalty_kind}，属于本机关目录清单所列处罚种类", row.requires_collective_discussion))
        elif row.criterion == choices.AFTER_HEARING:
            if heard is None:
                heard = Hearing.objects.filter(case=case, held_on__isnull=False).exists()
            if heard:
                found.append(Match("经过听证程序，属于本机关目录清单所列情形", row.requires_collective_discussion))
        elif row.criterion == choices.COMPLEX:
            if any(f.kind in choices.COMPLEX_FLAGS for f in flags):
                found.append(Match("案情疑难复杂或涉及多个法律关系，属于本机关目录清单所列情形",
                                   row.requires_collective_discussion))
    for flag in flags:
        found.append(Match(f"经认定{flag.get_kind_display()}：{flag.reason}", flag.kind == choices.FLAG_SERIOUS))
    return found


def match_major(case) -> list[str]:
    """Reasons why ``case`` is a major enforcement decision (empty when it is not): the agency's
    active catalog rows it meets with its proposed penalty, and every flag set by hand."""
    return [m.text for m in _matches(case)]


def collective_discussion_reasons(case) -> list[str]:
    """Reasons why ``case`` must be discussed collectively (empty when it need not be)."""
    return [m.text for m in _matches(case) if m.collective]


@transaction.atomic
def flag_major(case, actor, reason: str, kind: str = choices.FLAG_OTHER) -> MajorFlag:
    """Flag a case as a major decision by hand (人工认定), with the reason, into the case's record."""
    from zhifa.cases.models import Case

    if case.is_read_only:
        raise PermissionDenied("案件已归档，案卷只读。")
    if not actor.has_capability("review", "change") or not Case.objects.restrict(actor, "change").filter(pk=case.pk).exists():
        raise PermissionDenied("您无权认定该案件。")
    if kind not in dict(choices.FLAG_KIND_CHOICES):
        raise ValidationError({"kind": "认定情形无效。"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写认定为重大执法决定的理由。"})
    if case.decided_on is not None:
        raise ValidationError("案件已作出决定，不能再认定为重大执法决定。")
    flag = MajorFlag.objects.create(case=case, kind=kind, reason=reason.strip(), actor=actor, created_at=clock.now())
    _event(case, "major_flag", f"认定为重大执法决定：{flag.get_kind_display()}", actor,
           payload={"flag": flag.pk, "kind": kind, "reason": flag.reason})
    return flag


STANDARD_CATALOG = [
    # (criterion, description, person, organisation, penalty kind, collective, basis)
    (choices.FINE_THRESHOLD, "较大数额罚款", Decimal("10000"), Decimal("100000"), "", False,
     "《中华人民共和国行政处罚法》第五十八条第一款第（一）项、第（二）项"),
    (choices.FINE_THRESHOLD, "巨额罚款", Decimal("50000"), Decimal("500000"), "", True,
     "《中华人民共和国行政处罚法》第五十七条第二款"),
    (choices.PENALTY_KIND, "吊销许可证件", None, None, catalog_choices.REVOKE_LICENCE, True,
     "《中华人民共和国行政处罚法》第五十八条第一款第（二）项"),
    (choices.PENALTY_KIND, "责令停产停业", None, None, catalog_choices.SUSPEND_BUSINESS, True,
     "《中华人民共和国行政处罚法》第五十八条第一款第（二）项"),
    (choices.PENALTY_KIND, "责令关闭", None, None, catalog_choices.CLOSE, True,
     "《中华人民共和国行政处罚法》第五十八条第一款第（二）项"),
    (choices.PENALTY_KIND, "限制从业", None, None, catalog_choices.BAN_OCCUPATION, True,
     "《中华人民共和国行政处罚法》第五十八条第一款第（二）项"),
    (choices.AFTER_HEARING, "经过听证程序作出的行政处罚决定", None, None, "", False,
     "《中华人民共和国行政处罚法》第五十八条第一款第（二）项"),
    (choices.COMPLEX, "案件情况疑难复杂、涉及多个法律关系的", None, None, "", False,
     "《中华人民共和国行政处罚法》第五十八条第一款第（三）项"),
    (choices.OTHER, "涉及重大公共利益，可能造成重大社会影响或引发社会风险的", None, None, "", False,
     "《中华人民共和国行政处罚法》第五十八条第一款第（一）项；国办发〔2018〕118号"),
]


@transaction.atomic
def install_standard_catalog(agency, actor) -> list[MajorDecisionCatalog]:
    """Give an agency with no catalog yet the standard rows (thresholds editable afterwards)."""
    if not actor.has_capability("review", "catalog"):
        raise PermissionDenied("您的角色不能维护重大执法决定目录清单。")
    from zhifa.orgs.models import Agency

    if not Agency.objects.restrict(actor, "view").filter(pk=agency.pk).exists():
        raise PermissionDenied("该执法主体不在您的管辖范围内。")
    if MajorDecisionCatalog.objects.filter(agency=agency).exists():
        raise ValidationError("该执法主体已有目录清单，请逐条修改。")
    rows = []
    for order, (criterion, description, person, organisation, kind, collective, basis) in enumerate(STANDARD_CATALOG, 1):
        rows.append(MajorDecisionCatalog.objects.create(
            agency=agency, criterion=criterion, description=description, fine_person=person,
            fine_organisation=organisation, penalty_kind=kind, requires_collective_discussion=collective,
            legal_basis=basis, order=order,
        ))
    return rows


# ---------------------------------------------------------------------------------------
# Independence and qualification (REV-3)
# ---------------------------------------------------------------------------------------


def reviewer_refusals(case, user, *, review=None) -> list[str]:
    """Why ``user`` may not review ``case`` (empty when they may): not a legal reviewer; handled,
    investigated, approved or presided over the case; a first review without 法律职业资格."""
    problems = []
    officer = officer_of(user)
    if not user.is_active:
        return ["该用户已停用。"]
    if user.role != roles.LEGAL_REVIEWER and not (officer and officer.is_legal_reviewer):
        problems.append(f"{user}不是法制审核人员。")
    if not _of_agency(user, officer, case.agency):
        problems.append(f"{user}不是{case.agency.name}的法制审核人员。")
    if officer is not None and case.assignments.filter(officer=officer).exists():
        problems.append(f"{user}是本案的办案人员，不能审核本案。")
    if officer is not None:
        from zhifa.cases.models import Hearing

        if Hearing.objects.filter(case=case, presiding=officer).exists():
            problems.append(f"{user}主持了本案的听证，不能审核本案。")
    # The reviewer's own acts do not count, nor the PDF of their own opinion or discussion record
    # that the conversion job records in their name after the commit.
    handled = [e for e in events_for(case.stream_key).filter(actor=user).only("kind", "summary", "payload")
               if not e.kind.startswith(OWN_EVENT_PREFIXES)
               and not (e.kind == "document" and (e.payload or {}).get("code") in (OPINION_CODE, DISCUSSION_CODE))]
    if handled:
        problems.append(f"{user}曾参与本案的办理或审批（{handled[0].summary}），不能审核本案。")
    earlier = Review.objects.filter(reviewer=user, completed_at__isnull=False)
    if review is not None:
        earlier = earlier.exclude(pk=review.pk)
    if not earlier.exists() and not (officer and officer.legal_qualification.strip()):
        problems.append(f"{user}初次从事法制审核，须取得国家统一法律职业资格（处罚法第五十八条第二款）。")
    return problems


def _of_agency(user, officer, agency) -> bool:
    """The reviewer belongs to the case's agency (the same rule ``eligible_reviewers`` lists by)."""
    return user.agency_id == agency.pk or (officer is not None and officer.home_agency_id == agency.pk)


def _reviewer_kind(user) -> str:
    officer = officer_of(user)
    return (officer.reviewer_kind if officer and officer.reviewer_kind else "in_house")


def eligible_reviewers(case):
    """Users who may review ``case`` now: legal reviewers of the case's agency passing every check."""
    from django.db.models import Q

    from zhifa.accounts.models import User

    candidates = User.objects.filter(is_active=True).filter(
        Q(role=roles.LEGAL_REVIEWER) | Q(officer__is_legal_reviewer=True)
    ).filter(Q(agency=case.agency) | Q(officer__home_agency=case.agency)).distinct().order_by("display_name")
    return [u for u in candidates if not reviewer_refusals(case, u)]


# ---------------------------------------------------------------------------------------
# The review workflow (REV-2)
# ---------------------------------------------------------------------------------------


def proposed_decision(case) -> dict:
    """The parts of the proposed decision that a passed review covers; a change after the pass
    needs a new review."""
    return {
        "outcome": case.outcome or "penalty",
        "penalty_kinds": sorted(case.penalty_kinds or []),
        "fine_amount": _money(case.fine_amount),
        "confiscation_amount": _money(case.confiscation_amount),
        "confiscated_property": case.confiscated_property,
        "penalty_period": case.penalty_period,
        "discretion_level": case.discretion_level,
        "penalties": penalty_lines(case),
    }


def proposed_lines(proposed: dict) -> list[str]:
    """The proposed decision as the opinion and the review page state it: the outcome, every
    penalty item with its amount (罚款人民币柒万元整（¥70,000.00）…) and the discretion level —
    never a code. Packages submitted before penalties were itemised fall back to the kinds and
    amounts they stored."""
    lines = []
    if proposed.get("outcome") == "no_penalty":
        lines.append("不予行政处罚")
    elif proposed.get("penalties"):
        lines.extend(f"{chinese_numeral(i)}、{text}" for i, text in enumerate(proposed["penalties"], start=1))
    else:
        kinds = "、".join(proposed.get("penalty_kinds") or []) or "—"
        money = [f"{label}{_yuan(proposed[key])}元" for key, label in (("fine_amount", "罚款"),
                 ("confiscation_amount", "没收违法所得")) if proposed.get(key)]
        lines.append(kinds + ("：" + "，".join(money) if money else ""))
    level = dict(catalog_choices.LEVEL_CHOICES).get(proposed.get("discretion_level") or "", "")
    if level:
        lines.append(f"违法情节：{level}")
    return lines


def build_package(case) -> dict:
    """The submitted package (送审材料): documents and evidence with their hashes, the proposed
    decision with its discretion reasoning, statements and hearing."""
    version = case.item_version
    package = {
        "case": {"number": case.number, "cause": case.cause, "party": case.party.name, "agency": case.agency.name,
                 "item": case.item.name, "facts": case.facts, "occurred_on": case.occurred_on.isoformat(),
                 "place": case.place, "stage": case.stage_name,
                 "officers": [a.officer.name for a in case.assignments.select_related("officer")]},
        "legal_basis": {"violated": getattr(version, "violated_provision", ""),
                        "penalty": getattr(version, "penalty_basis", "")},
        "proposed": proposed_decision(case),
        "discretion": {"within_benchmark": case.within_benchmark, "benchmark_findings": case.benchmark_findings or [],
                       "deviation_reason": case.deviation_reason, "reasoning": case.discretion_reasoning,
                       "benchmark": str(case.benchmark) if case.benchmark_id else ""},
        "documents": [
            {"code": d.code, "title": d.title, "number": d.number, "docx_hash": d.docx.hash, "pdf_hash": d.pdf.hash if d.pdf_id else "",
             "algorithm": d.docx.algorithm}
            for d in case.documents.select_related("docx", "pdf").order_by("generated_at", "pk")
        ],
        "evidence": [
            {"number": e.number, "kind": e.get_kind_display(), "title": e.title, "hash": e.file.hash,
             "algorithm": e.file.algorithm, "captured_at": e.captured_at.isoformat(), "late_upload": e.late_upload}
            for e in case.evidence.select_related("file").order_by("number")
        ],
        "statements": [{"point": s.point, "answer": s.answer, "accepted": s.accepted} for s in case.statements.all()],
    }
    from zhifa.cases.models import Hearing

    hearing = Hearing.objects.filter(case=case).first()
    if hearing is not None:
        package["hearing"] = {"requested_on": hearing.requested_on.isoformat(),
                              "held_on": hearing.held_on.isoformat() if hearing.held_on else None,
                              "party_absent": hearing.party_absent}
    return package


def latest_review(case) -> Review | None:
    """The case's latest round that was not withdrawn."""
    return case.reviews.exclude(status=choices.WITHDRAWN).order_by("-round").first()


def _new_round(case, actor, round_number: int, reviewer=None) -> Review:
    today = _today()
    deadline, provisional = review_deadline(case.agency, today)
    reasons = match_major(case)
    review = Review.objects.create(
        case=case, agency=case.agency, round=round_number, submitted_by=actor, submitted_at=clock.now(),
        package=build_package(case), major_reasons=reasons, deadline=deadline, deadline_provisional=provisional,
    )
    if reviewer is not None:
        review.reviewer, review.reviewer_kind, review.assigned_at = reviewer, _reviewer_kind(reviewer), clock.now()
        review.status = choices.IN_REVIEW
        review.save()
    return review


def _lock_case(case):
    from zhifa.cases.models import Case

    return Case.objects.select_for_update().select_related("agency", "party", "item").get(pk=case.pk)


@transaction.atomic
def submit_for_review(case, actor) -> Review:
    """Submit the case's package for legal review (提交法制审核): round 1, or a fresh chain after
    a withdrawal or after the proposed decision changed since a pass."""
    case = _lock_case(case)
    _check_handling_side(case, actor)
    if case.stage not in SUBMIT_STAGES.get(case.procedure, ()):
        raise ValidationError(f"案件处于“{case.stage_name}”环节，不能提交法制审核（应在拟定处罚后、作出决定前提交）。")
    if case.procedure == "general" and not case.discretion_level:
        raise ValidationError("尚未拟定处罚意见，不能提交法制审核。")
    latest = latest_review(case)
    if latest is not None:
        if latest.is_open:
            raise ValidationError(f"本案第{latest.round}轮法制审核尚未完成。")
        if latest.status == choices.PROBLEMS:
            raise ValidationError("本案审核意见为存在问题：请逐项书面答复后重新提交。")
        if latest.status == choices.AGREE and latest.package.get("proposed") == proposed_decision(case):
            raise ValidationError("本案已通过法制审核，拟处罚内容未变更，无需重新提交。")
    last_round = case.reviews.order_by("-round").values_list("round", flat=True).first() or 0
    review = _new_round(case, actor, last_round + 1)
    _event(case, "review_submitted", f"提交法制审核（第{review.round}轮，期限{review.deadline:%Y年%m月%d日}）", actor,
           payload={"review": review.pk, "round": review.round, "deadline": review.deadline.isoformat(),
                    "major_reasons": review.major_reasons, "proposed": review.package["proposed"],
                    "documents": len(review.package["documents"]), "evidence": len(review.package["evidence"])})
    return review


@transaction.atomic
def assign_reviewer(review, reviewer, actor) -> Review:
    """Give the review to ``reviewer`` (a reviewer may take it themselves; heads and reviewers
    may assign), refusing one who is not independent or not qualified."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    _check_review_in_reach(review, actor)
    if not review.is_open:
        raise ValidationError("该轮审核已结束，不能再分配审核人员。")
    if actor != reviewer and not actor.is_superuser and actor.role not in (roles.LEGAL_REVIEWER, roles.AGENCY_HEAD):
        raise PermissionDenied("只有法制审核人员或机关负责人可以分配审核人员。")
    problems = reviewer_refusals(review.case, reviewer, review=review)
    if problems:
        raise PermissionDenied("；".join(problems))
    review.reviewer, review.reviewer_kind, review.assigned_at = reviewer, _reviewer_kind(reviewer), clock.now()
    review.status = choices.IN_REVIEW
    review.save()
    _event(review.case, "review_assigned", f"第{review.round}轮法制审核由{reviewer}审核（{review.get_reviewer_kind_display()}）",
           actor, payload={"review": review.pk, "reviewer": reviewer.pk, "reviewer_kind": review.reviewer_kind})
    return review


def _clean_findings(findings: dict) -> list[tuple[str, str, str]]:
    errors, rows = {}, []
    labels = dict(choices.POINT_CHOICES)
    valid = dict(choices.FINDING_CHOICES)
    unknown = set(findings) - set(choices.POINTS)
    if unknown:
        errors["findings"] = [f"未知的审核事项：{'、'.join(sorted(unknown))}。"]
    for point in choices.POINTS:
        item = findings.get(point)
        if isinstance(item, list | tuple):
            item = {"finding": item[0], "reason": item[1] if len(item) > 1 else ""}
        item = item or {}
        finding, reason = item.get("finding", ""), (item.get("reason") or "").strip()
        if finding not in valid:
            errors[point] = [f"“{labels[point]}”须选择审核结论（符合、存在问题或不适用）。"]
        elif not reason:
            errors[point] = [f"“{labels[point]}”须写明理由。"]
        else:
            rows.append((point, finding, reason))
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def record_opinion(review, actor, findings: dict, result: str) -> Review:
    """The reviewer's opinion: a finding and written reason for each of the ten points and the
    overall result (同意 / 存在问题); generates the 法制审核意见书 (DOCX and PDF) into the record.

    ``findings`` maps each point code to ``{"finding": ..., "reason": ...}``.
    """
    review = Review.objects.select_for_update().get(pk=review.pk)
    _check_review_in_reach(review, actor)
    if not review.is_open:
        raise ValidationError("该轮审核已结束。")
    if review.reviewer_id is not None and review.reviewer_id != actor.pk:
        raise PermissionDenied(f"该轮审核已分配给{review.reviewer}。")
    problems = reviewer_refusals(review.case, actor, review=review)
    if problems:
        raise PermissionDenied("；".join(problems))
    if result not in dict(choices.RESULT_CHOICES):
        raise ValidationError({"result": "请选择审核结论：同意或存在问题。"})
    rows = _clean_findings(findings)
    has_problem = any(finding == choices.PROBLEM for _, finding, _ in rows)
    if result == choices.AGREE and has_problem:
        raise ValidationError({"result": "有审核事项存在问题的，审核结论不能为同意。"})
    if result == choices.PROBLEMS and not has_problem:
        raise ValidationError({"result": "审核结论为存在问题的，须至少有一项审核事项存在问题。"})
    ReviewFinding.objects.bulk_create([ReviewFinding(review=review, point=p, finding=f, reason=r) for p, f, r in rows])
    if review.reviewer_id is None:
        review.reviewer, review.reviewer_kind, review.assigned_at = actor, _reviewer_kind(actor), clock.now()
    review.status = review.result = result
    review.completed_at = clock.now()
    review.opinion_number = _opinion_number(review)
    review.save()
    document = _opinion_document(review, actor)
    # The PDF is converted by the job "documents.convert" after the transaction commits (its own
    # event carries it); ``opinion_pdf_of`` finds it then.
    docx, pdf = document.docx, document.pdf
    review.opinion_docx, review.opinion_pdf = docx, pdf
    review.save(update_fields=["opinion_docx", "opinion_pdf"])
    _event(review.case, "review_opinion", f"法制审核意见（第{review.round}轮）：{review.get_result_display()}", actor,
           payload={"review": review.pk, "round": review.round, "result": result, "number": review.opinion_number,
                    "reviewer_kind": review.reviewer_kind,
                    "findings": [{"point": p, "finding": f, "reason": r} for p, f, r in rows]},
           files=[f for f in (docx, pdf) if f is not None])
    return review


def record_converted_opinion_pdf(sender, instance, **kwargs):
    """``post_save`` of a case document: once the conversion job has stored an opinion's PDF,
    the review it was generated for points at it (``Review.opinion_pdf``)."""
    if instance.code == OPINION_CODE and instance.pdf_id:
        Review.objects.filter(case_id=instance.case_id, opinion_docx_id=instance.docx_id,
                              opinion_pdf__isnull=True).update(opinion_pdf_id=instance.pdf_id)


def opinion_pdf_of(review):
    """The stored PDF of a review's opinion: recorded on the review, or converted since by the
    background job on the case document the opinion was generated as (``None`` while pending)."""
    if review.opinion_pdf_id:
        return review.opinion_pdf
    if not review.opinion_docx_id:
        return None
    document = (review.case.documents.filter(docx_id=review.opinion_docx_id, pdf__isnull=False)
                .select_related("pdf").first())
    return document.pdf if document else None


@transaction.atomic
def answer_findings(review, actor, answers: dict) -> Review:
    """The handling unit answers in writing each point found to have a problem."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    _check_review_in_reach(review, actor)
    _check_handling_side(review.case, actor)
    if review.status != choices.PROBLEMS:
        raise ValidationError("只有审核意见为存在问题的，才需要书面答复。")
    if review.answered_at is not None:
        raise ValidationError("本轮审核意见已答复，请重新提交审核。")
    labels = dict(choices.POINT_CHOICES)
    problem_points = [f.point for f in review.findings.filter(finding=choices.PROBLEM)]
    errors = {p: [f"请书面答复“{labels[p]}”的审核意见。"] for p in problem_points if not (answers.get(p) or "").strip()}
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    ReviewAnswer.objects.bulk_create([
        ReviewAnswer(review=review, point=p, answer=answers[p].strip(), answered_by=actor, answered_at=now)
        for p in problem_points
    ])
    review.answered_at = now
    review.save(update_fields=["answered_at"])
    _event(review.case, "review_answered", f"书面答复第{review.round}轮法制审核意见（{len(problem_points)}项）", actor,
           payload={"review": review.pk, "answers": {p: answers[p].strip() for p in problem_points}})
    return review


@transaction.atomic
def resubmit(review, actor) -> Review:
    """After answering, resubmit: the next round, with a fresh package, the same reviewer when
    still eligible, and a new deadline. The earlier round is kept as it was."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    _check_review_in_reach(review, actor)
    case = _lock_case(review.case)
    _check_handling_side(case, actor)
    if review.status != choices.PROBLEMS:
        raise ValidationError("只有审核意见为存在问题的才需要重新提交。")
    if review.answered_at is None:
        raise ValidationError("请先逐项书面答复审核意见，再重新提交。")
    if case.reviews.filter(round__gt=review.round).exists():
        raise ValidationError("本轮审核已重新提交。")
    if case.stage not in SUBMIT_STAGES.get(case.procedure, ()):
        raise ValidationError(f"案件处于“{case.stage_name}”环节，不能提交法制审核。")
    reviewer = review.reviewer if review.reviewer and not reviewer_refusals(case, review.reviewer) else None
    new = _new_round(case, actor, review.round + 1, reviewer=reviewer)
    _event(case, "review_resubmitted", f"答复后重新提交法制审核（第{new.round}轮，期限{new.deadline:%Y年%m月%d日}）", actor,
           payload={"review": new.pk, "previous": review.pk, "round": new.round, "deadline": new.deadline.isoformat(),
                    "reviewer": getattr(reviewer, "pk", None), "proposed": new.package["proposed"]})
    return new


@transaction.atomic
def withdraw(review, actor, reason: str) -> Review:
    """The handling side withdraws an open review (e.g. the proposal is being reworked)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    _check_review_in_reach(review, actor)
    _check_handling_side(review.case, actor)
    if not review.is_open:
        raise ValidationError("只有待审核或审核中的才能撤回。")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写撤回理由。"})
    review.status, review.withdrawn_reason = choices.WITHDRAWN, reason.strip()
    review.save(update_fields=["status", "withdrawn_reason"])
    _event(review.case, "review_withdrawn", f"撤回第{review.round}轮法制审核", actor,
           payload={"review": review.pk, "reason": review.withdrawn_reason})
    return review


def _opinion_number(review) -> str:
    from zhifa.cases.models import CaseSequence

    year = _today().year
    sequence, _ = CaseSequence.objects.select_for_update().get_or_create(agency=review.agency, year=year,
                                                                         kind="legal_review")
    sequence.last += 1
    sequence.save(update_fields=["last"])
    prefix = (review.agency.short_name or review.agency.name)[:8]
    return f"{prefix}法审〔{year}〕{sequence.last}号"


def _unit_name(case) -> str:
    return case.unit.name if case.unit_id else case.agency.name


def opinion_context(review) -> dict:
    """The sections of the 法制审核意见书 only this app knows (``review``; the document is dated
    the day the review was completed). The case, party and agency come from the case's context."""
    labels = dict(choices.POINT_CHOICES)
    findings = sorted(review.findings.all(), key=lambda f: f.order)
    answers = [
        {"round": f"对第{earlier.round}轮审核意见", "point": labels[a.point], "answer": a.answer}
        for earlier in review.case.reviews.filter(round__lt=review.round).prefetch_related("answers").order_by("round")
        for a in sorted(earlier.answers.all(), key=lambda a: choices.POINT_ORDER[a.point])
    ]
    completed = timezone.localtime(review.completed_at).date() if review.completed_at else _today()
    conclusion = ("同意承办机构拟作出的处理决定。" if review.result == choices.AGREE
                  else "上述审核事项存在问题，请承办机构逐项书面答复、补正后重新送审。")
    return {
        "document": {"date": completed},
        "review": {
            "number": review.opinion_number, "round": f"第{review.round}轮",
            "submitted_on": timezone.localtime(review.submitted_at).date(), "completed_on": completed,
            "unit": _unit_name(review.case), "major_reasons": "；".join(review.major_reasons),
            "proposed": [{"text": line} for line in proposed_lines(review.package.get("proposed", {}))],
            "findings": [{"no": str(i), "point": f.get_point_display(), "finding": f.get_finding_display(),
                          "reason": f.reason} for i, f in enumerate(findings, start=1)],
            "answers": answers, "result": review.get_result_display(), "conclusion": conclusion,
            "reviewer": str(review.reviewer) if review.reviewer_id else "",
            "reviewer_kind": dict(choices.REVIEWER_KIND_CHOICES).get(review.reviewer_kind, ""),
        },
    }


def _generate(case, code, actor, extra: dict, number: str = ""):
    """Generate a document of this app through the documents pipeline (the agency's template,
    DOCX and PDF stored content-addressed, a ``CaseDocument`` of the case file)."""
    from zhifa.cases.documents import generate_documents

    return generate_documents(case, [code], actor=actor, log=False, extra={code: extra},
                              numbers={code: number} if number else None)[0]


def _opinion_document(review, actor):
    """The 法制审核意见书 of a completed round, generated from its template into the case file."""
    document = _generate(review.case, OPINION_CODE, actor, opinion_context(review), review.opinion_number)
    document.title = f"{OPINION_TITLE}（第{review.round}轮）"
    document.save(update_fields=["title"])
    return document


# ---------------------------------------------------------------------------------------
# Collective discussion (集体讨论)
# ---------------------------------------------------------------------------------------


@transaction.atomic
def record_collective_discussion(case, actor, held_on, participants, chair, opinions, conclusion,
                                 chair_authorisation: str = "") -> CollectiveDiscussion:
    """Record the leadership's collective discussion of the case (date, participants with the
    agency head or the person authorised as chair, opinions, conclusion) into the record."""
    case = _lock_case(case)
    _check_handling_side(case, actor)
    if case.decided_on is not None:
        raise ValidationError("案件已作出决定，集体讨论应在决定前进行。")
    errors = {}
    if held_on is None or held_on > _today():
        errors["held_on"] = ["讨论日期不能为空，也不能晚于今天。"]
    for name, value, label in (("participants", participants, "参加人员"), ("opinions", opinions, "讨论意见"),
                               ("conclusion", conclusion, "讨论决定")):
        if not (value or "").strip():
            errors[name] = [f"请填写{label}。"]
    if chair is None:
        errors["chair"] = ["请选择主持人。"]
    elif chair.role != roles.AGENCY_HEAD or chair.agency_id != case.agency_id:
        if not chair_authorisation.strip():
            errors["chair_authorisation"] = ["主持人不是本机关负责人的，须写明授权情况。"]
    if errors:
        raise ValidationError(errors)
    latest = latest_review(case)
    if match_major(case) and (latest is None or latest.status != choices.AGREE):
        raise ValidationError("重大执法决定应先经法制审核通过，再提交负责人集体讨论。")
    discussion = CollectiveDiscussion.objects.create(
        case=case, agency=case.agency, held_on=held_on, chair=chair, chair_authorisation=chair_authorisation.strip(),
        participants=participants.strip(), opinions=opinions.strip(), conclusion=conclusion.strip(),
        recorded_by=actor, recorded_at=clock.now(),
    )
    discussion.record = _generate(case, DISCUSSION_CODE, actor, discussion_context(discussion))
    discussion.save(update_fields=["record"])
    _event(case, "collective_discussion", f"负责人集体讨论（{held_on:%Y年%m月%d日}，主持人：{chair}）", actor,
           payload={"discussion": discussion.pk, "held_on": held_on.isoformat(), "chair": str(chair),
                    "chair_authorisation": discussion.chair_authorisation, "participants": discussion.participants,
                    "opinions": discussion.opinions, "conclusion": discussion.conclusion,
                    "record": discussion.record.pk},
           files=[f for f in (discussion.record.docx, discussion.record.pdf) if f is not None])
    return discussion


def discussion_context(discussion) -> dict:
    """The ``discussion`` section of the 集体讨论记录 (dated the day of the discussion)."""
    case = discussion.case
    latest = latest_review(case)
    review = ""
    if latest is not None and latest.result:
        review = f"经法制审核（{latest.opinion_number}），审核结论为{latest.get_result_display()}"
    elif not match_major(case):
        review = "本案不属于须经法制审核的重大执法决定"
    reasons = collective_discussion_reasons(case)
    return {
        "document": {"date": discussion.held_on},
        "discussion": {
            "held_on": discussion.held_on, "chair": str(discussion.chair),
            "chair_authorisation": discussion.chair_authorisation or "主持人为本机关负责人",
            "participants": discussion.participants, "recorder": str(discussion.recorded_by),
            "reasons": "；".join(reasons) or "情节复杂，经机关负责人决定提交集体讨论",
            "review": review, "opinions": discussion.opinions, "conclusion": discussion.conclusion,
        },
    }


# ---------------------------------------------------------------------------------------
# The gates (registered in AppConfig.ready)
# ---------------------------------------------------------------------------------------


def check_legal_review(case) -> str | None:
    """None when the case may be decided as far as legal review goes; otherwise why not."""
    reasons = match_major(case)
    if not reasons:
        return None
    head = f"本案属于重大执法决定（{'；'.join(reasons)}），尚未通过法制审核"
    latest = latest_review(case)
    if latest is None:
        return head + "：请先提交法制审核。"
    if latest.is_open:
        return head + f"：第{latest.round}轮审核中，审核期限{latest.deadline:%Y年%m月%d日}。"
    if latest.status == choices.PROBLEMS:
        return head + f"：第{latest.round}轮审核意见为存在问题，须书面答复后重新提交。"
    if latest.package.get("proposed") != proposed_decision(case):
        return head + "：审核通过后拟处罚内容已变更，须重新提交法制审核。"
    return None


def check_collective_discussion(case) -> str | None:
    """None unless the case must be discussed collectively and has not been."""
    reasons = collective_discussion_reasons(case)
    if not reasons or case.collective_discussions.exists():
        return None
    return f"本案须经负责人集体讨论决定（{'；'.join(reasons)}），尚无集体讨论记录。"


def case_status(case) -> dict:
    """What the review app knows of a case: major reasons, gate results, rounds, discussions."""
    latest = latest_review(case)
    return {
        "major": match_major(case),
        "collective_required": collective_discussion_reasons(case),
        "legal_review_gate": check_legal_review(case),
        "collective_discussion_gate": check_collective_discussion(case),
        "latest_review": latest.pk if latest else None,
        "latest_status": latest.status if latest else "",
    }


# ---------------------------------------------------------------------------------------
# Report (REV-3): who reviews, and reviewer staffing
# ---------------------------------------------------------------------------------------


@dataclass
class ShareReport:
    """Shares of completed reviews by reviewer kind against the S1 targets."""

    total: int
    counts: dict
    rows: list = field(default_factory=list)
    targets: list = field(default_factory=list)
    staffing: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "total": self.total, "counts": self.counts, "shares": self.rows, "targets": self.targets,
            "staffing": [
                {"agency": r.agency_id, "agency_name": r.agency, "officers": r.officers, "reviewers": r.reviewers,
                 "required": r.required, "qualified": r.qualified, "advisers": r.advisers,
                 "public_lawyers": r.public_lawyers, "compliant": r.compliant, "problems": r.problems}
                for r in self.staffing
            ],
            "basis": REPORT_BASIS,
        }


REPORT_BASIS = (
    "统计口径：每件经法制审核的执法决定计一次，按其最后一轮已完成审核的审核人员类别归类。"
    f"目标值来自《陕西省全面推行行政执法三项制度示范创建方案》指标（88）“专职审核人员自行审核的执法决定占应当审核的"
    f"执法决定总数{choices.IN_HOUSE_TARGET_PERCENT}%以上”和指标（90）“法律顾问、公职律师协助审核的执法决定不低于应当审核的"
    f"执法决定总数{choices.EXTERNAL_TARGET_PERCENT}%”；人员配备按指标（86）（87）由人员管理模块计算。"
)


def parse_period_date(text) -> datetime.date | None:
    """A report bound from a query string: None when empty or not a valid date."""
    from django.utils.dateparse import parse_date

    try:
        return parse_date(text or "")
    except ValueError:
        return None


def _percent(part: int, total: int) -> Decimal:
    return (Decimal(part * 100) / Decimal(total)).quantize(Decimal("0.1")) if total else Decimal("0.0")


def share_report(user, since: datetime.date | None = None, until: datetime.date | None = None) -> ShareReport:
    """Reviews completed within the user's reach (optionally between two dates) by who reviewed
    them, against the S1 targets; with reviewer staffing per agency against the 5% rule."""
    from zhifa.orgs.models import Agency

    qs = Review.objects.restrict(user, "view").filter(completed_at__isnull=False)
    if since:
        qs = qs.filter(completed_at__date__gte=since)
    if until:
        qs = qs.filter(completed_at__date__lte=until)
    # each case once, by its last completed round in the period: a round no later round of the
    # same case (also completed in the period) follows — counted by the database, grouped by kind,
    # not every review of the scope read into Python (tens of thousands a year for a city)
    later = qs.filter(case_id=OuterRef("case_id"), round__gt=OuterRef("round"))
    counts = {code: 0 for code, _ in choices.REVIEWER_KIND_CHOICES}
    for kind, n in qs.filter(~Exists(later)).values_list("reviewer_kind").annotate(n=Count("id")).order_by():
        counts[kind or "in_house"] = counts.get(kind or "in_house", 0) + n
    total = sum(counts.values())
    rows = [{"kind": code, "label": label, "count": counts[code], "percent": str(_percent(counts[code], total))}
            for code, label in choices.REVIEWER_KIND_CHOICES]
    external = counts["legal_adviser"] + counts["public_lawyer"]
    in_house_pct, external_pct = _percent(counts["in_house"], total), _percent(external, total)
    targets = [
        {"label": "本机关专职审核人员自行审核", "percent": str(in_house_pct), "target": f"≥{choices.IN_HOUSE_TARGET_PERCENT}%",
         "met": total > 0 and in_house_pct >= choices.IN_HOUSE_TARGET_PERCENT, "source": "S1 指标（88）"},
        {"label": "法律顾问、公职律师协助审核", "percent": str(external_pct), "target": f"≥{choices.EXTERNAL_TARGET_PERCENT}%",
         "met": total > 0 and external_pct >= choices.EXTERNAL_TARGET_PERCENT, "source": "S1 指标（90）"},
    ]
    staffing = reviewer_staffing(Agency.objects.restrict(user, "view")) if user.has_capability("people", "view") else []
    return ShareReport(total=total, counts=counts, rows=rows, targets=targets, staffing=staffing)
