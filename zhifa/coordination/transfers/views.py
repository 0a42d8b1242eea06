"""Pages of case transfers (案件移送), jurisdiction disputes (管辖争议) and clue referrals
(问题线索移送): lists, details with the form of the user's next step, and the forms that start
each from a case. Every rule is in ``services`` / ``clues``; the steps shown are the services'
own answer (``services.steps_for``, ``services.may_decide``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from zhifa.cases.models import Case
from zhifa.core.scoping import get_in_scope
from zhifa.core.views import ObjectListView, add_validation_error, submit_form
from zhifa.records.services import events_for

from ..models import CaseTransfer, ClueReferral, JurisdictionDispute
from . import clues, forms, services


class CaseTransferListView(ObjectListView):
    model = CaseTransfer
    title = "案件移送"
    select_related = ("case", "from_agency", "to_agency")
    columns = [("案件", "case"), ("移送机关", "from_agency.name"), ("受移送机关", "to_agency.name"),
               ("状态", "get_status_display"), ("移送时间", "sent_at"), ("答复期限", "answer_due")]


class DisputeListView(ObjectListView):
    model = JurisdictionDispute
    title = "管辖争议"
    select_related = ("case", "raised_by_agency", "other_agency", "office")
    columns = [("案件", "case"), ("提请机关", "raised_by_agency.name"), ("对方机关", "other_agency.name"),
               ("协调机关", "office.name"), ("状态", "get_status_display"), ("指定期限", "decision_due")]


class ClueListView(ObjectListView):
    """Only the referrals the user is a named reader or the creator of; no content in the list."""

    model = ClueReferral
    title = "问题线索移送（纪检监察）"
    select_related = ("case",)
    columns = [("接收的纪检监察机关", "receiving_organ"), ("案件", "case"), ("移送日期", "referred_on")]


def _case_for_change(request, case_pk):
    return get_in_scope(Case.objects.select_related("agency", "party", "item"), request.user, "change", pk=case_pk)


def _form_page(request, form, perform, template, context, success):
    return submit_form(request, form, perform, success) or render(request, template, {**context, "form": form})


@login_required
def send_case(request, case_pk):
    case = _case_for_change(request, case_pk)
    form = forms.SendForm(request.POST or None, case=case)
    return _form_page(request, form, lambda d: services.send(case, actor=request.user, **d),
                      "coordination/transfers/send_form.html", {"title": "移送案件", "case": case},
                      "已移送，已生成案件移送函。")


@login_required
def case_transfer_detail(request, pk):
    transfer = get_in_scope(CaseTransfer.objects.select_related("case", "case__party", "from_agency", "to_agency",
                                                                "letter", "sent_by", "received_by", "answered_by"),
                            request.user, "view", pk=pk)
    steps = services.steps_for(transfer, request.user)
    return_form = forms.ReturnForm(request.POST if request.POST.get("step") == "return" else None)
    if request.method == "POST":
        step = request.POST.get("step")
        if step not in steps:
            raise PermissionDenied("您不能办理这一步。")
        try:
            if step == "receive":
                services.receive(transfer, actor=request.user)
            elif step == "accept":
                services.accept(transfer, actor=request.user)
            elif return_form.is_valid():
                services.return_transfer(transfer, actor=request.user, reason=return_form.cleaned_data["reason"])
            else:
                raise ValidationError("请填写退回理由。")
        except ValidationError as exc:
            add_validation_error(return_form, exc)
        else:
            messages.success(request, "已办理。")
            return redirect(transfer.get_absolute_url())
    limit = services.visible_record_seq(transfer, request.user)
    events = events_for(transfer.case.stream_key)
    if limit is not None:
        events = events.filter(seq__lte=limit)
    return render(request, "coordination/transfers/transfer_detail.html", {
        "title": "案件移送", "transfer": transfer, "case": transfer.case, "steps": steps, "return_form": return_form,
        "events": events.only("seq", "kind", "summary", "actor_name", "time"), "limited": limit is not None,
        "case_in_reach": Case.objects.restrict(request.user, "view").filter(pk=transfer.case_id).exists(),
    })


@login_required
def raise_dispute(request, case_pk):
    case = _case_for_change(request, case_pk)
    form = forms.DisputeForm(request.POST or None, case=case)
    return _form_page(request, form, lambda d: services.raise_dispute(case, actor=request.user, **d),
                      "coordination/transfers/dispute_form.html", {"title": "提请指定管辖", "case": case},
                      "已提请协调机关指定管辖。")


@login_required
def dispute_detail(request, pk):
    dispute = get_in_scope(JurisdictionDispute.objects.select_related(
        "case", "case__party", "raised_by_agency", "other_agency", "office", "office__region", "designated_agency",
        "raised_by", "decided_by"), request.user, "view", pk=pk)
    form = None
    if dispute.status == "open" and services.may_decide(dispute, request.user):
        form = forms.DecideDisputeForm(request.POST or None, dispute=dispute)
        done = submit_form(request, form, lambda d: services.decide_dispute(dispute, actor=request.user, **d),
                        "已指定管辖。")
        if done is not None:
            return done
    elif request.method == "POST":
        raise PermissionDenied("您不能办理这一步。")
    return render(request, "coordination/transfers/dispute_detail.html",
                  {"title": "管辖争议", "dispute": dispute, "form": form})


@login_required
def refer_clue(request, case_pk):
    case = _case_for_change(request, case_pk)
    readers = list(clues.eligible_readers(case).exclude(pk=request.user.pk))
    form = forms.ClueForm(request.POST or None, case=case, readers=readers)

    def perform(data):
        return clues.refer(case, actor=request.user, **{**data, "readers": [int(x) for x in data["readers"]]})

    return _form_page(request, form, perform, "coordination/transfers/clue_form.html",
                      {"title": "移送问题线索", "case": case}, "已登记问题线索移送，仅指定阅读人可以查阅。")


@login_required
def clue_detail(request, pk):
    referral = get_in_scope(ClueReferral.objects.select_related("case", "created_by"), request.user, "view", pk=pk)
    referral = clues.read(referral, request.user, request)
    return render(request, "coordination/transfers/clue_detail.html",
                  {"title": "问题线索移送", "referral": referral, "readers": referral.readers.all()})
