"""Remedies (行政复议、行政诉讼) recorded against a decision."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from .. import choices
from ..models import (
    Case,
    Remedy,
)
from .actions import check_remedy
from .common import _event, _publish, check_not_future


@transaction.atomic
def record_remedy(case: Case, *, actor, kind: str, body: str, filed_on, note: str = "") -> Remedy:
    """Register a reconsideration application or a lawsuit against the decision."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    check_remedy(case, actor)
    if kind not in dict(choices.REMEDY_KIND_CHOICES):
        raise ValidationError({"kind": "请选择行政复议或行政诉讼。"})
    if not (body or "").strip():
        raise ValidationError({"body": "请填写复议机关或人民法院。"})
    check_not_future(filed_on, "filed_on", "申请（起诉）日期")
    if filed_on < case.decided_on:
        raise ValidationError({"filed_on": "申请（起诉）日期不能早于决定日期。"})
    remedy = Remedy.objects.create(case=case, kind=kind, body=body.strip(), filed_on=filed_on, note=note,
                                   recorded_by=actor)
    _event(case, "remedy", f"登记{remedy.get_kind_display()}（{remedy.body}）", actor,
           payload={"remedy": remedy.pk, "kind": kind, "body": remedy.body, "filed_on": filed_on.isoformat()})
    return remedy


@transaction.atomic
def record_remedy_result(remedy: Remedy, *, actor, result: str, decided_on, result_number: str = "",
                         note: str = "") -> Remedy:
    """Record how a reconsideration or lawsuit ended; a result that revokes, changes or
    declares the decision unlawful is announced to subscribers (the publicity app then
    opens a withdrawal or annotation due within 3 working days)."""
    remedy = Remedy.objects.select_for_update().select_related("case").get(pk=remedy.pk)
    case = remedy.case
    check_remedy(case, actor)
    if remedy.result != choices.REMEDY_PENDING:
        raise ValidationError("该复议或诉讼已登记结果。")
    if result not in dict(choices.REMEDY_RESULT_CHOICES) or result == choices.REMEDY_PENDING:
        raise ValidationError({"result": "请选择结果。"})
    check_not_future(decided_on, "decided_on", "作出结果日期")
    if decided_on < remedy.filed_on:
        raise ValidationError({"decided_on": "作出结果日期不能早于申请（起诉）日期。"})
    remedy.result, remedy.decided_on = result, decided_on
    remedy.result_number, remedy.note = result_number.strip(), note or remedy.note
    remedy.save()
    _event(case, "remedy_result", f"{remedy.get_kind_display()}结果：{remedy.get_result_display()}", actor,
           payload={"remedy": remedy.pk, "result": result, "decided_on": decided_on.isoformat(),
                    "number": remedy.result_number})
    _publish("remedy_result", case, actor, remedy=remedy)
    return remedy


def next_evidence_number(case: Case) -> int:
    return (case.evidence.aggregate(n=Max("number"))["n"] or 0) + 1
