"""Web pages for officers, certificates, training records and the compliance report.

Thin: scoping and saving come from ``zhifa.core.views``; every rule is in ``services``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from zhifa.core.pages import xlsx_response
from zhifa.core.views import CapabilityRequiredMixin, ObjectDetailView, ObjectEditView, ObjectListView
from zhifa.orgs.models import Agency

from . import services
from .filters import CertificateFilterSet, OfficerFilterSet, TrainingFilterSet
from .forms import CertificateActionForm, CertificateForm, CertificateIssueForm, OfficerForm, TrainingForm
from .models import OFFICER_LIST_FIELDS, Certificate, Officer, TrainingRecord


def _yes_no(value):
    return "是" if value else "否"


def _dispatch_text(officer):
    if not officer.dispatched_to_id:
        return None
    start = f"{officer.dispatched_from:%Y-%m-%d}" if officer.dispatched_from else "—"
    end = f"{officer.dispatched_until:%Y-%m-%d}" if officer.dispatched_until else "长期"
    return f"{officer.dispatched_to}（{start} 至 {end}）"


class OfficerListView(ObjectListView):
    model = Officer
    filterset_class = OfficerFilterSet
    select_related = ("home_agency", "unit", "dispatched_to__agency")
    columns = [
        ("姓名", "name"), ("身份证号码", "masked_id_number"), ("性别", "gender"), ("人员类别", "kind"),
        ("执法主体", "home_agency.name"), ("执法机构", "unit.name"),
        ("派驻", lambda o: str(o.dispatched_to) if o.dispatched_to_id else None), ("职务", "post"),
        ("在岗", lambda o: _yes_no(o.is_active)),
    ]
    create_url_name = "people:officer_create"
    import_key = "officers"

    def get_queryset(self):
        """A row's columns only: the encrypted phone is neither read nor decrypted (issue #14)."""
        return super().get_queryset().only(
            *OFFICER_LIST_FIELDS, "home_agency__name", "unit__name", "dispatched_to__name",
            "dispatched_to__agency__name", "dispatched_to__agency__short_name",
        )


class OfficerDetailView(ObjectDetailView):
    """An officer with certificates, their events, training and the identity-number reveal."""

    model = Officer
    template_name = "people/officer_detail.html"
    edit_url_name = "people:officer_edit"
    revealed = None
    fields = [
        ("姓名", "name"), ("公民身份号码", "masked_id_number"), ("性别", "gender"), ("出生日期", "birth_date"),
        ("人员类别", "kind"), ("所属执法主体", "home_agency"), ("所属执法机构", "unit"), ("派驻", _dispatch_text),
        ("职务", "post"), ("联系电话", "phone"), ("法律职业资格证书编号", "legal_qualification"),
        ("法学专业本科以上学历", lambda o: _yes_no(o.has_law_degree)),
        ("法制审核人员", lambda o: o.get_reviewer_kind_display() if o.is_legal_reviewer else "否"),
        ("执法监督人员", lambda o: _yes_no(o.is_supervisor)), ("在岗", lambda o: _yes_no(o.is_active)),
        ("系统用户", "user"),
    ]

    def get_object(self):
        try:
            return (
                Officer.objects.restrict(self.request.user, "view")
                .select_related("home_agency", "unit__agency", "dispatched_to__agency", "user")
                .get(pk=self.kwargs["pk"])
            )
        except Officer.DoesNotExist:
            raise Http404("记录不存在或不在您的管辖范围内。") from None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.revealed:
            ctx["field_rows"] = [
                (label, self.revealed if label == "公民身份号码" else value) for label, value in ctx["field_rows"]
            ]
        return ctx

    def get_extra_context(self, obj):
        user = self.request.user
        year = timezone.localdate().year
        certificates = (
            Certificate.objects.restrict(user).filter(officer=obj).prefetch_related("fields", "events")
        )
        return {
            "certificates": certificates,
            "trainings": TrainingRecord.objects.restrict(user).filter(officer=obj)[:100],
            "totals": services.training_totals(obj, year),
            "year": year,
            "can_reveal": user.has_capability("people", "reveal") and not self.revealed,
            "revealed": self.revealed,
        }


class OfficerRevealView(OfficerDetailView):
    """POST only: show the full identity number once, and log that it was seen."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        officer = self.get_object()
        self.revealed = services.reveal_id_number(officer, request.user)
        return self.render_to_response(self.get_context_data(**kwargs))


class OfficerEditView(ObjectEditView):
    model = Officer
    form_class = OfficerForm


class CertificateListView(ObjectListView):
    model = Certificate
    filterset_class = CertificateFilterSet
    select_related = ("officer__home_agency",)
    prefetch_related = ("fields",)
    columns = [
        ("证号", "number"), ("持证人", "officer.name"), ("执法主体", "officer.home_agency.name"),
        ("执法领域", "field_names"), ("发证日期", "issued_on"), ("有效期至", "expires_on"),
        ("状态", "effective_status"),
    ]
    create_url_name = "people:certificate_create"
    import_key = "certificates"


class CertificateDetailView(ObjectDetailView):
    """A certificate with its status history and the status changes open to the user."""

    model = Certificate
    template_name = "people/certificate_detail.html"
    edit_url_name = "people:certificate_edit"
    fields = [
        ("证号", "number"), ("持证人", "officer"), ("执法主体", "officer.home_agency"), ("执法领域", "field_names"),
        ("发证机关", "issuing_authority"), ("发证日期", "issued_on"), ("有效期至", "expires_on"),
        ("登记状态", "status"), ("使用状态", "effective_status"), ("最近年度审验日期", "last_review_on"),
        ("最近年度审验结果", lambda c: {True: "合格", False: "不合格"}.get(c.last_review_passed)),
    ]

    def get_object(self):
        try:
            return (
                Certificate.objects.restrict(self.request.user, "view")
                .select_related("officer__home_agency").get(pk=self.kwargs["pk"])
            )
        except Certificate.DoesNotExist:
            raise Http404("记录不存在或不在您的管辖范围内。") from None

    def get_extra_context(self, obj):
        can_change = Certificate.objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists()
        return {
            "events": obj.events.select_related("actor"),
            "actions": services.available_actions(obj) if can_change else [],
        }


class CertificateIssueView(ObjectEditView):
    """发证: the form calls ``services.issue_certificate``."""

    model = Certificate
    form_class = CertificateIssueForm

    def get_form(self, obj):
        form = super().get_form(obj)
        officer = self.request.GET.get("officer")
        if self.request.method == "GET" and officer and officer.isdigit():
            form.initial["officer"] = int(officer)
        return form

    def post(self, request, *args, **kwargs):
        form = self.get_form(None)
        if form.is_valid():
            cert = form.save()
            if cert is not None:
                messages.success(request, f"已发证：{cert.number}")
                return redirect(cert.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, object=None))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["title"] = "发放行政执法证"
        return ctx


class CertificateEditView(ObjectEditView):
    model = Certificate
    form_class = CertificateForm


class CertificateActionView(CapabilityRequiredMixin, TemplateView):
    """A status change of a certificate (审验、暂扣、收回、注销、恢复), with reason and date."""

    template_name = "people/certificate_action.html"
    area = "people"
    action = "change"

    def get_certificate(self):
        if self.kwargs["action"] not in services.STATUS_ACTIONS:
            raise Http404("未知的执法证操作。")
        try:
            return (
                Certificate.objects.restrict(self.request.user, "change")
                .select_related("officer").get(pk=self.kwargs["pk"])
            )
        except Certificate.DoesNotExist:
            raise Http404("记录不存在或不在您的管辖范围内。") from None

    def render_form(self, cert, form):
        label = services.STATUS_ACTIONS[self.kwargs["action"]][0]
        return self.render_to_response(
            {"title": f"{label}：{cert}", "form": form, "object": cert, "label": label}
        )

    def get(self, request, *args, **kwargs):
        cert = self.get_certificate()
        return self.render_form(cert, CertificateActionForm(action=self.kwargs["action"]))

    def post(self, request, *args, **kwargs):
        cert = self.get_certificate()
        action = self.kwargs["action"]
        form = CertificateActionForm(request.POST, action=action)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.apply_status_action(
                    cert, action, request.user, data.get("reason", ""), data.get("on"), data.get("passed")
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for key, errors in exc.message_dict.items():
                        form.add_error(key if key in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, f"已{services.STATUS_ACTIONS[action][0]}：{cert.number}")
                return redirect(cert.get_absolute_url())
        return self.render_form(cert, form)


class TrainingListView(ObjectListView):
    model = TrainingRecord
    filterset_class = TrainingFilterSet
    select_related = ("officer__home_agency",)
    columns = [
        ("培训名称", "title"), ("人员", "officer.name"), ("执法主体", "officer.home_agency.name"),
        ("培训日期", "date"), ("培训类别", "kind"), ("学时", "hours"), ("天数", "days"), ("培训机构", "provider"),
    ]
    create_url_name = "people:training_create"
    import_key = "training"


class TrainingDetailView(ObjectDetailView):
    model = TrainingRecord
    edit_url_name = "people:training_edit"
    fields = [
        ("人员", "officer"), ("培训名称", "title"), ("培训日期", "date"), ("培训类别", "kind"), ("学时", "hours"),
        ("天数", "days"), ("培训机构", "provider"),
    ]


class TrainingEditView(ObjectEditView):
    model = TrainingRecord
    form_class = TrainingForm

    def get_form(self, obj):
        form = super().get_form(obj)
        officer = self.request.GET.get("officer")
        if obj is None and self.request.method == "GET" and officer and officer.isdigit():
            form.initial["officer"] = int(officer)
        return form


def report_parameters(request):
    """Year and agency set of a compliance report from the query string (agency within scope)."""
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    if not 2000 <= year <= today.year:
        year = today.year
    agencies = Agency.objects.restrict(request.user, "view")
    selected = None
    agency_id = request.GET.get("agency")
    if agency_id:
        selected = agencies.filter(pk=agency_id).first() if str(agency_id).isdigit() else None
        if selected is None:
            raise Http404("执法主体不存在或不在您的管辖范围内。")
        agencies = agencies.filter(tree_path__startswith=selected.tree_path)
    return year, agencies, selected


class ComplianceReportView(CapabilityRequiredMixin, TemplateView):
    """合规报告: training compliance and staffing checks, per year and agency."""

    template_name = "people/compliance_report.html"
    area = "reports"
    action = "view"
    shortfall_limit = 500

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year, agencies, selected = report_parameters(self.request)
        report = services.training_compliance(agencies, year)
        today = timezone.localdate()
        ctx.update(
            title=f"{year}年度执法人员培训与配备合规报告",
            report=report,
            shortfalls=report.shortfalls[: self.shortfall_limit],
            shortfall_limit=self.shortfall_limit,
            rules=services.rules_text(),
            year=year,
            years=list(range(today.year, today.year - 6, -1)),
            agencies=Agency.objects.restrict(self.request.user, "view").select_related("region"),
            selected=selected,
            querystring=self.request.GET.urlencode(),
        )
        return ctx


class ComplianceReportXlsxView(CapabilityRequiredMixin, TemplateView):
    """The compliance report as an xlsx download."""

    area = "reports"
    action = "view"

    def get(self, request, *args, **kwargs):
        year, agencies, selected = report_parameters(request)
        report = services.training_compliance(agencies, year)
        name = f"{selected.name if selected else '管辖范围'}_{year}年度培训与配备合规报告_{timezone.localdate():%Y%m%d}.xlsx"
        return xlsx_response(services.compliance_workbook(report), name)

