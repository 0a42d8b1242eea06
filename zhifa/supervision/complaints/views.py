"""Staff pages of complaints (投诉举报): list, intake, detail, each move, the complainant's identity
(handling chain only, logged) and the deadline rules. Every page calls one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from zhifa.core.views import CapabilityRequiredMixin, ObjectDetailView, ObjectListView, ServiceActionView
from zhifa.records.services import events_for

from ..filters import ComplaintFilterSet
from ..models.complaints import Complaint, DeadlineRule, HotlineSystem
from . import forms, services
from . import procedure as proc
from .deadlines import default_limits
from .identity import identity_label, may_see_identity, read_identity


class ComplaintListView(ObjectListView):
    model = Complaint
    title = "投诉举报"
    filterset_class = ComplaintFilterSet
    select_related = ("agency", "region")
    create_url_name = "supervision:complaint_new"
    columns = [("编号", "number"), ("事由", "subject"), ("来源", "source"), ("承办执法主体", lambda o: o.agency.name if o.agency_id else "待分派"),
               ("状态", "status"), ("当前期限", lambda o: f"{o.next_due}（已超期）" if o.overdue else o.next_due),
               ("收到日期", "received_on")]

    template_name = "supervision/complaint_list.html"

    def get_queryset(self):
        return super().get_queryset().order_by("-received_at", "-id")


class ComplaintExportView(ComplaintListView):
    """The filtered list as a workbook (no identity in it): every row, built in the request up to
    ``ZHIFA_EXPORT_INLINE_ROWS`` and by a worker beyond (``zhifa.core.exports``)."""

    def get(self, request, *args, **kwargs):
        from zhifa.core import exports
        from zhifa.core.pages import xlsx_response

        result = exports.export_list_or_queue("complaints", request)
        if isinstance(result, bytes):
            return xlsx_response(result, "投诉举报.xlsx")
        messages.info(request, f"符合条件的投诉举报超过 {exports.inline_limit():,} 件，已转入后台生成；"
                               "完成后会以站内消息通知您，届时在“我的导出”中下载。")
        return redirect("core:data_exports")


class ComplaintDetailView(ObjectDetailView):
    model = Complaint
    template_name = "supervision/complaint_detail.html"
    fields = [("类别", "kind"), ("来源渠道", "source"), ("热线工单号", "work_order_number"), ("事发地", "region.name"),
              ("事发地点", "place"), ("承办执法主体", "agency.name"), ("被投诉举报对象", "reported_name"),
              ("被投诉执法主体", "reported_agency.name"), ("内容", "content"), ("状态", "status"),
              ("收到时间", "received_at"), ("受理期限", "acknowledge_due"), ("处理决定期限", "decide_due"),
              ("答复期限", "reply_due"), ("处理决定", "decision"), ("处理意见", "decision_reason"),
              ("立案查处的案件", "case"), ("案件办理结果", "case_outcome"), ("答复内容", "reply"),
              ("满意度", "satisfaction"), ("评价渠道", "satisfaction_channel"), ("转办次数", "transfer_count")]

    def get_extra_context(self, complaint):
        user = self.request.user
        moves = services.available_actions(complaint, user)
        can_rate = (complaint.status in (proc.REPLIED, proc.CLOSED) and not complaint.satisfaction
                    and Complaint.objects.restrict(user, "change").filter(pk=complaint.pk).exists())
        return {
            "identity": identity_label(user, complaint),
            "identity_url": reverse("supervision:complaint_identity", args=[complaint.pk])
            if may_see_identity(user, complaint) and not complaint.anonymous else "",
            "moves": [(reverse("supervision:complaint_move", args=[complaint.pk, m.code]), m.name) for m in moves],
            "rate_url": reverse("supervision:complaint_satisfaction", args=[complaint.pk]) if can_rate else "",
            "events": events_for(complaint.stream_key),
            "overdue": complaint.overdue and complaint.status in proc.OPEN_STATUSES,
            "flow": proc.flow(),
        }


class ComplaintIdentityView(CapabilityRequiredMixin, TemplateView):
    """The complainant's identity for the handling chain; each opening is logged."""

    area, action = "complaints", "view"
    template_name = "supervision/complaint_identity.html"

    def get_context_data(self, **kwargs):
        complaint = get_object_or_404(Complaint.objects.restrict(self.request.user, "view"), pk=self.kwargs["pk"])
        identity = read_identity(self.request.user, complaint, self.request)
        return {**super().get_context_data(**kwargs), "object": complaint, "identity": identity,
                "title": f"投诉举报人信息：{complaint.number}"}

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response


class ComplaintNewView(ServiceActionView):
    """Staff entry of a call, letter or visit."""

    area, action = "complaints", "change"
    title, submit_label = "登记投诉举报（来电、来信、来访）", "登记"

    def target(self):
        return None

    def back_url(self, obj):
        return reverse("supervision:complaint_list")

    def build_form(self, obj, data=None):
        return forms.IntakeForm(data, user=self.request.user)

    def perform(self, obj, form):
        data = form.cleaned_data
        complaint, _ = services.receive(
            actor=self.request.user, source=data["source"], kind=data["kind"], region=data["region"],
            agency=data["agency"], reported_name=data["reported_name"], subject=data["subject"], content=data["content"],
            place=data["place"], anonymous=data["anonymous"], complainant=form.complainant())
        return f"已登记投诉举报{complaint.number}。", complaint.get_absolute_url()


MOVE_FORMS = {"route": forms.AgencyForm, "accept": forms.AcceptForm, "transfer": forms.TransferForm,
              "return": forms.ReasonForm, "decide": forms.DecideForm, "reply": forms.ReplyForm,
              "close": forms.CloseForm}
MOVE_MESSAGES = {"route": "已分派。", "accept": "已受理。", "transfer": "已转办。", "return": "已退回，待重新分派。",
                 "decide": "已作出处理决定。", "reply": "已答复。", "close": "已办结。"}


class ComplaintMoveView(ServiceActionView):
    """One move of the procedure (procedure.MOVES) on a complaint."""

    area, action = "complaints", "change"

    def target(self):
        if self.kwargs["code"] not in MOVE_FORMS:
            raise Http404
        return get_object_or_404(Complaint.objects.restrict(self.request.user, "view"), pk=self.kwargs["pk"])

    def page_title(self, obj):
        return f"{proc.move(self.kwargs['code']).name}：{obj.number} {obj.subject}"

    @property
    def submit_label(self):
        return proc.move(self.kwargs["code"]).name

    def build_form(self, obj, data=None):
        form_class = MOVE_FORMS[self.kwargs["code"]]
        kwargs = {"complaint": obj}
        if form_class in (forms.AcceptForm, forms.DecideForm):
            kwargs["user"] = self.request.user
        return form_class(data, **kwargs)

    def perform(self, obj, form):
        code = self.kwargs["code"]
        complaint = services.perform(obj, code, actor=self.request.user, **form.cleaned_data)
        visible = Complaint.objects.restrict(self.request.user, "view").filter(pk=complaint.pk).exists()
        return MOVE_MESSAGES[code], complaint.get_absolute_url() if visible else reverse("supervision:complaint_list")


class ComplaintSatisfactionView(ServiceActionView):
    """A satisfaction rating obtained by a staff call-back (回访)."""

    area, action = "complaints", "change"
    title, submit_label = "登记回访满意度", "登记"

    def target(self):
        return get_object_or_404(Complaint.objects.restrict(self.request.user, "change"), pk=self.kwargs["pk"])

    def build_form(self, obj, data=None):
        return forms.SatisfactionForm(data)

    def perform(self, obj, form):
        services.record_satisfaction(obj, form.cleaned_data["satisfaction"], channel=obj.source,
                                     actor=self.request.user)
        return "已登记满意度。", obj.get_absolute_url()


class DeadlineRuleView(CapabilityRequiredMixin, TemplateView):
    """The limits of the supervisor's region per source, and the form to change them."""

    area, action = "complaints", "view"
    template_name = "supervision/complaint_deadlines.html"

    def get_context_data(self, form=None, **kwargs):
        user = self.request.user
        rules = DeadlineRule.objects.restrict(user, "view").select_related("region")
        from ..models.complaints import SOURCE_CHOICES

        defaults = [(label, default_limits(code)) for code, label in SOURCE_CHOICES]
        can_change = user.has_capability("complaints", "route")
        if can_change and form is None:
            form = forms.DeadlineRuleForm(user=user)
        return {**super().get_context_data(**kwargs), "title": "投诉举报办理时限", "rules": rules,
                "defaults": defaults, "form": form if can_change else None}

    def post(self, request, *args, **kwargs):
        if not request.user.has_capability("complaints", "route"):
            raise PermissionDenied("只有执法监督人员可以设定投诉举报办理时限。")
        form = forms.DeadlineRuleForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.set_deadline_rule(request.user, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, "；".join(exc.messages))
            else:
                messages.success(request, "已保存办理时限。")
                return redirect("supervision:complaint_deadlines")
        return self.render_to_response(self.get_context_data(form=form))


# ------------------------------------------------------------------------- hotline systems

class HotlineSystemListView(CapabilityRequiredMixin, TemplateView):
    """The hotline systems (热线系统) of the administrator's region: list, and the way to add,
    change and rotate the secret of each (system administrator)."""

    area, action = "hotlines", "view"
    template_name = "supervision/hotline_systems.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        systems = HotlineSystem.objects.restrict(user, "view").select_related("region").order_by("code")
        return {**super().get_context_data(**kwargs), "title": "热线系统", "systems": systems,
                "may_change": user.has_capability("hotlines", "change")}


class HotlineSystemEditView(CapabilityRequiredMixin, TemplateView):
    """Register or change a hotline system (``core/simple_form.html``); the secret is write-only."""

    area, action = "hotlines", "change"
    template_name = "core/simple_form.html"

    def _instance(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(HotlineSystem.objects.restrict(self.request.user, "change"), pk=pk) if pk else None

    def get_context_data(self, form=None, **kwargs):
        instance = self._instance()
        form = form or forms.HotlineSystemForm(instance=instance, user=self.request.user)
        return {**super().get_context_data(**kwargs), "form": form,
                "title": "修改热线系统" if instance else "登记热线系统",
                "cancel_url": reverse("supervision:hotline_systems")}

    def post(self, request, *args, **kwargs):
        instance = self._instance()
        form = forms.HotlineSystemForm(request.POST, instance=instance, user=request.user)
        if form.is_valid():
            data = {k: form.cleaned_data[k] for k in ("code", "name", "source", "region", "receiver", "active")}
            secret = form.cleaned_data["secret"] if not instance or request.POST.get("secret") else ""
            try:
                system = services.save_hotline_system(request.user, instance=instance, secret=secret, **data)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, "；".join(exc.messages))
            else:
                messages.success(request, f"已保存热线系统“{system.name}”。")
                return redirect("supervision:hotline_systems")
        return self.render_to_response(self.get_context_data(form=form))


class HotlineSecretRotateView(HotlineSystemListView):
    """POST: a new signing secret for the system, shown once in this response (never stored in
    plain text, not in the session either); the old one stops working."""

    area, action = "hotlines", "change"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        system = get_object_or_404(HotlineSystem.objects.restrict(request.user, "change"), pk=kwargs["pk"])
        secret = services.rotate_hotline_secret(system, actor=request.user)
        messages.success(request, f"已为热线系统“{system.name}”更换签名密钥，原密钥即时失效。")
        context = self.get_context_data(**kwargs)
        context["new_secret"] = {"code": system.code, "secret": secret}
        response = self.render_to_response(context)
        response["Cache-Control"] = "no-store"
        return response
