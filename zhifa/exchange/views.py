"""Exchange pages: the cases pushed from below (supervisors, read-only) and the set-up of sources
and uplinks (system administrator)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from zhifa.core import audit
from zhifa.core.models import OutboxMessage
from zhifa.core.views import ObjectDetailView, ObjectListView

from .filters import MirroredCaseFilterSet
from .forms import SourceForm, UplinkForm
from .models import MirroredCase, Source, Uplink


class MirroredCaseListView(ObjectListView):
    model = MirroredCase
    title = "下级平台汇交案件"
    filterset_class = MirroredCaseFilterSet
    select_related = ("source",)
    columns = [("案件编号", lambda o: o.case_number or "（未立案）"), ("来源平台", "source.label"),
               ("执法主体", "agency_name"), ("当事人", "party_name"), ("案由", "cause"),
               ("办案环节", "stage_name"), ("决定日期", "decided_on"), ("罚款金额（元）", "fine_amount"),
               ("更新时间", "updated_at")]


class MirroredCaseDetailView(ObjectDetailView):
    model = MirroredCase
    template_name = "exchange/case_detail.html"
    fields = [("来源平台", "source.label"), ("执法主体", "agency_name"), ("执法主体统一社会信用代码", "agency_credit_code"),
              ("行政区划代码", "region_code"), ("执法事项", "item_name"), ("事项编码", "item_code"),
              ("当事人", "party_name"), ("当事人统一社会信用代码", "party_credit_code"), ("案由", "cause"),
              ("程序", "procedure"), ("办案环节", "stage_name"), ("案件来源", "source_kind"),
              ("线索登记日期", "registered_on"), ("立案日期", "filed_on"), ("决定日期", "decided_on"),
              ("处理结果", "outcome"), ("决定书文号", "decision_number"), ("处罚种类", "penalty_kinds"),
              ("罚款金额（元）", "fine_amount"), ("没收金额（元）", "confiscation_amount"), ("结案日期", "closed_on"),
              ("已接收事件数", "last_sequence"), ("最近记录哈希", "last_event_hash")]

    def get_extra_context(self, case):
        return {"events": case.source.events.filter(stream=case.stream).order_by("-sequence")[:100]}


def _require(user, action: str) -> None:
    if not user.has_capability("exchange", action):
        raise PermissionDenied("只有系统管理员可以配置数据汇聚与交换。")


@login_required
def setup(request):
    """Sources that push here and uplinks this instance pushes to, with what waits for each uplink."""
    _require(request.user, "change")
    uplinks = list(Uplink.objects.select_related("region"))
    pending = {row["receiver"]: row["n"] for row in OutboxMessage.objects.filter(
        delivered_at__isnull=True, receiver__in=[u.receiver for u in uplinks]).values("receiver")
        .order_by().annotate(n=Count("id"))}
    for uplink in uplinks:
        uplink.pending = pending.get(uplink.receiver, 0)
    return render(request, "exchange/setup.html", {
        "title": "数据汇聚与交换", "uplinks": uplinks,
        "sources": Source.objects.restrict(request.user, "change").select_related("region"),
    })


def _edit(request, form_class, instance, title):
    before = audit.snapshot(instance) if instance else None
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            obj = form.save()
            audit.write_log(obj, "update" if instance else "create", before=before, after=audit.snapshot(obj))
        messages.success(request, f"已保存“{obj}”。")
        return redirect("exchange:setup")
    return render(request, "core/simple_form.html", {"title": title, "form": form, "cancel_url": reverse("exchange:setup")})


@login_required
def source_edit(request, pk=None):
    _require(request.user, "change")
    instance = get_object_or_404(Source.objects.restrict(request.user, "change"), pk=pk) if pk else None
    return _edit(request, SourceForm, instance, "修改下级平台" if instance else "新增下级平台")


@login_required
def uplink_edit(request, pk=None):
    _require(request.user, "change")
    instance = get_object_or_404(Uplink, pk=pk) if pk else None
    return _edit(request, UplinkForm, instance, "修改上报配置" if instance else "新增上报配置")
