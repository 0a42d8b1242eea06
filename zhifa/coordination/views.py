"""Pages of the transfer of suspected crimes: the list, one transfer with its periods and the form
of its next step, and the report that starts one from a case."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render

from zhifa.cases.models import Case
from zhifa.core.scoping import get_in_scope
from zhifa.core.views import ObjectListView, submit_form

from . import forms, services
from . import models as m
from .models import CriminalTransfer

#: the form of the step that comes next in each status
STEP_FORMS = {
    m.REPORTED: ("decide", forms.DecideForm, "负责人决定"),
    m.APPROVED: ("transfer", forms.TransferForm, "移送公安机关"),
    m.TRANSFERRED: ("police", forms.PoliceDecisionForm, "登记公安机关立案决定"),
    m.POLICE_DECLINED: ("object", forms.ObjectionForm, "提请复议或建议立案监督"),
    m.RECONSIDERATION: ("object", forms.ObjectionForm, "建议立案监督"),
    m.POLICE_OPENED: ("handover", forms.HandOverForm, "移交涉案物品和材料"),
}


def perform_step(transfer, step: str, data: dict, actor):
    """Run the service of ``step`` with cleaned data (shared by the pages and the API)."""
    if step == "decide":
        return services.decide(transfer, actor=actor, approve=data["approve"], reason=data.get("reason", ""))
    if step == "transfer":
        return services.transfer_to_police(transfer, actor=actor, police_organ=data["police_organ"],
                                           procuratorate=data["procuratorate"], materials=data["materials"])
    if step == "police":
        return services.record_police_decision(transfer, actor=actor, opened=data["opened"], notice_on=data["notice_on"],
                                               case_number=data.get("case_number", ""), reason=data.get("reason", ""))
    if step == "object":
        return services.object_to_refusal(transfer, actor=actor, to=data["to"], reason=data["reason"])
    if step == "handover":
        return services.hand_over(transfer, actor=actor, items=data["items"])
    raise ValidationError("未知的办理步骤。")


class TransferListView(ObjectListView):
    model = CriminalTransfer
    title = "涉嫌犯罪案件移送（两法衔接）"
    select_related = ("case", "case__agency")
    columns = [("案件", "case"), ("涉嫌罪名", "suspected_offence"), ("执法主体", "case.agency.name"),
               ("状态", "get_status_display"), ("报告日期", "reported_on"), ("决定期限", "decision_due")]


@login_required
def transfer_detail(request, pk):
    transfer = get_in_scope(CriminalTransfer.objects.select_related("case", "case__agency"), request.user, "view", pk=pk)
    step = STEP_FORMS.get(transfer.status)
    form = None
    may_change = Case.objects.restrict(request.user, "change").filter(pk=transfer.case_id).exists()
    if step and may_change:
        code, form_class, _label = step
        form = form_class(request.POST or None)
        done = submit_form(request, form, lambda d: perform_step(transfer, code, d, request.user) or transfer,
                           "已办理。")
        if done is not None:
            return done
    return render(request, "coordination/transfer_detail.html", {
        "title": str(transfer), "transfer": transfer, "form": form, "step_label": step[2] if step else "",
        "officers": transfer.reporting_officers.all(),
    })


@login_required
def report_case(request, case_pk):
    case = get_in_scope(Case.objects.select_related("item"), request.user, "change", pk=case_pk)
    form = forms.ReportForm(request.POST or None, case=case)
    done = submit_form(request, form, lambda d: services.report(case, actor=request.user, **d),
                       "已提出移送报告，请机关负责人在三日内决定。")
    if done is not None:
        return done
    return render(request, "coordination/report_form.html", {"title": "涉嫌犯罪移送报告", "case": case, "form": form})
