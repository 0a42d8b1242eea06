"""Web pages of the equipment register and non-site records: lists, details, the register's
form and one page per step; each step calls one function of ``services``."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhifa.core.scoping import get_in_scope
from zhifa.core.views import ObjectDetailView, ObjectEditView, ObjectListView, ServiceActionView
from zhifa.records.services import store_file

from ..models.devices import Device, DeviceRecord
from . import forms, services
from .filters import DeviceFilterSet, DeviceRecordFilterSet

HOLDER_SECRETS = ("holder__id_number", "holder__phone")  # encrypted at rest: a list never decrypts them


class DeviceListView(ObjectListView):
    model = Device
    title = "执法装备登记"

    def get_queryset(self):
        return super().get_queryset().defer(*HOLDER_SECRETS)
    filterset_class = DeviceFilterSet
    select_related = ("agency", "holder")
    create_url_name = "inspections:device_create"
    columns = [
        ("设备编号", "serial"),
        ("类别", "kind"),
        ("执法主体", "agency.name"),
        ("设置地点或领用人", lambda d: d.location if d.kind == "monitor" else (d.holder.name if d.holder else "未领用")),
        ("状态", "status"),
        ("审核与公布", lambda d: "、".join(services.device_states(d)) if d.kind == "monitor" else "—"),
    ]


class DeviceDetailView(ObjectDetailView):
    model = Device
    template_name = "inspections/devices/device_detail.html"
    edit_url_name = "inspections:device_edit"
    fields = [
        ("类别", "kind"), ("设备编号", "serial"), ("品牌型号", "model_name"), ("所属执法主体", "agency"),
        ("使用机构", "unit"), ("状态", "status"), ("启用日期", "in_service_on"), ("停用日期", "retired_on"),
        ("设置地点", "location"), ("所在行政区划", "region"), ("纬度", "latitude"), ("经度", "longitude"),
        ("监控事项", "captures"),
        ("法制审核", lambda d: " ".join(filter(None, [str(d.legal_review_on or ""), d.legal_reviewer,
                                                    d.get_legal_review_conclusion_display()])) or None),
        ("技术审核", lambda d: " ".join(filter(None, [str(d.technical_review_on or ""), d.technical_reviewer,
                                                    d.get_technical_review_conclusion_display()])) or None),
        ("设置地点已公布", lambda d: f"是（{d.published_on}）" if d.published else "否"),
        ("法制审核意见文件", lambda d: d.legal_review_file and f"{d.legal_review_file.original_name}"
         f"（{d.legal_review_file.algorithm.upper()} {d.legal_review_file.hash[:16]}…）"),
        ("技术审核报告文件", lambda d: d.technical_review_file and f"{d.technical_review_file.original_name}"
         f"（{d.technical_review_file.algorithm.upper()} {d.technical_review_file.hash[:16]}…）"),
        ("当前领用人", "holder"),
    ]

    def get_extra_context(self, obj):
        can_change = self.request.user.has_capability("devices", "change")
        return {
            "issues": obj.issues.select_related("officer").order_by("-issued_at")[:50],
            "records": obj.records.order_by("-captured_at", "-id")[:20],
            "states": services.device_states(obj),
            "can_issue": can_change and obj.is_personal and obj.status == "in_service" and obj.holder_id is None,
            "can_return": can_change and obj.holder_id is not None,
        }


class DeviceEditView(ObjectEditView):
    model = Device
    form_class = forms.DeviceForm

    def save_form(self, form):
        return form.save()

    def post(self, request, *args, **kwargs):
        from django.contrib import messages
        from django.core.exceptions import ValidationError
        from django.shortcuts import redirect

        from zhifa.core.views import add_validation_error

        obj = self.get_object()
        form = self.get_form(obj)
        if form.is_valid():
            try:
                saved = form.save()
            except ValidationError as exc:
                add_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已保存：{saved}")
                return redirect(saved.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, object=obj))


class _DeviceAction(ServiceActionView):
    area = "devices"
    action = "change"

    def target(self):
        return get_in_scope(Device.objects, self.request.user, "change", pk=self.kwargs["pk"])


class IssueView(_DeviceAction):
    title = "领用执法记录仪、执法终端"
    submit_label = "登记领用"

    def build_form(self, obj, data=None):
        return forms.IssueForm(data, user=self.request.user)

    def perform(self, obj, form):
        d = form.cleaned_data
        issue = services.issue_device(obj, d["officer"], actor=self.request.user, issued_at=d["issued_at"],
                                      note=d["note"])
        return f"已登记：{issue}", obj.get_absolute_url()


class ReturnView(_DeviceAction):
    title = "归还执法记录仪、执法终端"
    submit_label = "登记归还"

    def build_form(self, obj, data=None):
        return forms.ReturnForm(data)

    def perform(self, obj, form):
        d = form.cleaned_data
        services.return_device(obj, actor=self.request.user, returned_at=d["returned_at"], note=d["note"])
        return "已登记归还。", obj.get_absolute_url()


class RecordListView(ObjectListView):
    model = DeviceRecord
    title = "非现场执法记录"
    filterset_class = DeviceRecordFilterSet
    select_related = ("agency", "device")
    create_url_name = "inspections:device_record_create"
    columns = [
        ("记录编号", "number"),
        ("采集时间", lambda r: r.captured_at.strftime("%Y-%m-%d %H:%M")),
        ("设备", "device.serial"),
        ("号牌号码或信用代码", "party_identifier"),
        ("审核状态", "status"),
        ("告知", lambda r: "已告知" if r.notified_at else "未告知"),
        ("陈述申辩", lambda r: "有" if r.statement_at else "—"),
        ("立案", lambda r: "已立案" if r.case_id else "—"),
    ]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_change"] = self.request.user.has_capability("devices", "record")  # the 新增 button: entering records
        return ctx


class RecordDetailView(ObjectDetailView):
    model = DeviceRecord
    template_name = "inspections/devices/record_detail.html"
    fields = [
        ("记录编号", "number"), ("执法主体", "agency"), ("采集设备", "device"), ("采集时间", "captured_at"),
        ("地点", "place"), ("号牌号码或信用代码", "party_identifier"), ("当事人", "party_name"),
        ("涉嫌违法事项", "item"), ("记录内容", "content"), ("审核状态", "status"), ("审核意见", "review_reason"),
        ("审核时间", "reviewed_at"), ("告知方式", "notice_channel"), ("告知时间", "notified_at"),
        ("告知内容", "notice_text"), ("当事人陈述申辩", "statement"), ("复核意见", "statement_answer"),
        ("立案案件", "case"),
    ]

    def get_extra_context(self, obj):
        return {"files": obj.files.all(), "actions": services.record_actions(obj, self.request.user)}


class CaptureView(ServiceActionView):
    area = "devices"
    action = "record"
    title = "登记非现场执法记录"
    submit_label = "登记"
    template_name = "inspections/devices/capture.html"
    intro = "只有通过法制审核和技术审核、设置地点已向社会公布的在用电子技术监控设备的记录才能登记（行政处罚法第四十一条）。"

    def target(self):
        return None

    def back_url(self, obj):
        return reverse("inspections:device_record_list")

    def build_form(self, obj, data=None):
        return forms.CaptureForm(data, self.request.FILES if data is not None else None, user=self.request.user)

    def perform(self, obj, form):
        d = form.cleaned_data
        upload = d["files"]
        stored = store_file(upload, upload.name, getattr(upload, "content_type", None))
        record = services.record_capture(
            actor=self.request.user, device=d["device"], captured_at=d["captured_at"], place=d["place"],
            party_identifier=d["party_identifier"], party_name=d["party_name"], party=d["party"], item=d["item"],
            content=d["content"], files=[stored],
        )
        return f"已登记：{record}", record.get_absolute_url()


class _RecordAction(ServiceActionView):
    area = "devices"
    capability = "record"

    def dispatch(self, request, *args, **kwargs):
        self.action = self.capability
        return super().dispatch(request, *args, **kwargs)

    def target(self):
        return get_in_scope(DeviceRecord.objects, self.request.user, "view", pk=self.kwargs["pk"])


class ReviewView(_RecordAction):
    capability = "review"
    title = "审核非现场执法记录"
    submit_label = "提交审核"
    intro = "记录内容应当符合标准，真实、清晰、完整、准确（行政处罚法第四十一条第二款）；四项均符合方为审核通过。"

    def build_form(self, obj, data=None):
        return forms.ReviewForm(data)

    def perform(self, obj, form):
        record = services.review_record(obj, actor=self.request.user, **form.cleaned_data)
        return f"审核结果：{record.get_status_display()}", record.get_absolute_url()


class NotifyView(_RecordAction):
    title = "告知当事人"
    submit_label = "生成告知"
    intro = "告知内容含记录编号和查询码，当事人可在公示门户查阅记录并提出陈述、申辩（行政处罚法第四十一条第三款）。"

    def build_form(self, obj, data=None):
        return forms.NotifyForm(data)

    def perform(self, obj, form):
        services.notify_party(obj, actor=self.request.user, **form.cleaned_data)
        return "已生成告知。", obj.get_absolute_url()


class AnswerView(_RecordAction):
    capability = "review"
    title = "复核当事人陈述、申辩"
    submit_label = "提交复核"

    def build_form(self, obj, data=None):
        return forms.AnswerForm(data)

    def perform(self, obj, form):
        services.answer_statement(obj, actor=self.request.user, **form.cleaned_data)
        return "已复核。", obj.get_absolute_url()


class OpenCaseView(_RecordAction):
    title = "依非现场执法记录立案"
    submit_label = "登记案件"

    def build_form(self, obj, data=None):
        return forms.OpenCaseForm(data, user=self.request.user, record=obj)

    def perform(self, obj, form):
        d = form.cleaned_data
        chosen = {str(o.pk): o for o in d["officers"]}
        officers = [chosen[pk] for pk in dict.fromkeys(self.request.POST.getlist("officers")) if pk in chosen]
        case = services.open_case_from_record(obj, actor=self.request.user, item=d["item"], party=d["party"],
                                              officers=officers, cause=d["cause"])
        return f"已登记案件：{case.cause}", case.get_absolute_url()
