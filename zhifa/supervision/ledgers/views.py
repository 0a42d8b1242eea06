"""Pages of the task ledgers (工作任务台账): plans, the ledger of a plan with its completion
statistics per unit, import and export, a task with its progress reports. Views parse input and
call ``services``."""

from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from zhifa.core import clock
from zhifa.core.pagination import CappedPaginator
from zhifa.core.scoping import get_in_scope
from zhifa.core.views import CapabilityRequiredMixin, ServiceActionView, add_validation_error

from ..models import LedgerTask, ProgressReport, WorkPlan
from . import excel, forms, services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PlanListView(CapabilityRequiredMixin, TemplateView):
    """Plans in reach; for an agency, the tasks it leads or co-operates on."""

    area = "ledgers"
    template_name = "supervision/ledger_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        plans = WorkPlan.objects.restrict(user, "view").select_related("region").order_by("-year", "-id")
        page = CappedPaginator(plans, 50).get_page(self.request.GET.get("page"))
        mine = []
        if user.has_capability("ledgers", "report") and user.scope_path:
            mine = (LedgerTask.objects.restrict(user, "view").filter(LedgerTask.agency_side_q(user.scope_path))
                    .exclude(status="done").select_related("plan", "lead_agency").order_by("deadline", "pk")[:200])
        return {**super().get_context_data(**kwargs), "title": "工作任务台账", "page": page, "mine": mine,
                "today": clock.today(), "can_create": user.has_capability("ledgers", "change")}


class PlanCreateView(ServiceActionView):
    area, action = "ledgers", "change"
    title = "新建工作方案"
    submit_label = "创建"
    intro = "建立方案后，可逐项添加任务或导入Excel格式的工作任务台账。"

    def target(self):
        return None

    def back_url(self, obj):
        return reverse("supervision:ledger_list")

    def build_form(self, obj, data=None):
        return forms.PlanForm(data, user=self.request.user)

    def perform(self, obj, form):
        plan = services.create_plan(self.request.user, **form.cleaned_data)
        return f"已创建工作方案：{plan}", plan.get_absolute_url()


class PlanMixin:
    def plan(self, action="view") -> WorkPlan:
        return get_in_scope(WorkPlan.objects.select_related("region"), self.request.user, action, pk=self.kwargs["pk"])


class PlanDetailView(PlanMixin, CapabilityRequiredMixin, TemplateView):
    area = "ledgers"
    template_name = "supervision/ledger_plan.html"

    def get_context_data(self, **kwargs):
        plan = self.plan()
        user = self.request.user
        tasks = (LedgerTask.objects.restrict(user, "view").filter(plan=plan).select_related("lead_agency")
                 .prefetch_related("co_agencies").order_by("number"))
        return {**super().get_context_data(**kwargs), "title": plan.title, "plan": plan, "tasks": tasks,
                "stats": services.unit_statistics(tasks), "today": clock.today(),
                "keeper": services.may_keep(plan, user), "import_form": kwargs.get("import_form") or forms.ImportForm(),
                "import_errors": kwargs.get("import_errors", [])}


class PlanImportView(PlanDetailView):
    """Import the plan's ledger from Excel (all rows or none)."""

    def get(self, request, *args, **kwargs):
        return redirect(self.plan().get_absolute_url())

    def post(self, request, pk):
        plan = self.plan()
        form = forms.ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(import_form=form))
        try:
            created, updated, errors = services.import_ledger(plan, request.user, form.cleaned_data["file"])
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.render_to_response(self.get_context_data(import_form=form), status=403)
        if errors:
            return self.render_to_response(self.get_context_data(import_form=form, import_errors=errors))
        messages.success(request, f"已导入：新增{created}项任务，更新{updated}项任务。")
        return redirect(plan.get_absolute_url())


class PlanExportView(PlanMixin, CapabilityRequiredMixin, View):
    area = "ledgers"

    def get(self, request, pk):
        plan = self.plan()
        tasks = (LedgerTask.objects.restrict(request.user, "view").filter(plan=plan).select_related("lead_agency")
                 .prefetch_related("co_agencies").order_by("number"))
        content = excel.ledger_xlsx(plan, tasks, services.unit_statistics(tasks))
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(plan.title + '工作任务台账.xlsx')}"
        return response


class TaskCreateView(PlanMixin, ServiceActionView):
    area, action = "ledgers", "change"
    title = "添加工作任务"
    submit_label = "添加"

    def target(self):
        return self.plan("change")

    def build_form(self, obj, data=None):
        return forms.TaskForm(data, user=self.request.user, plan=obj)

    def perform(self, obj, form):
        task = services.add_task(obj, self.request.user, **form.cleaned_data)
        return f"已添加任务：{task}", obj.get_absolute_url()


class TaskDetailView(CapabilityRequiredMixin, TemplateView):
    area = "ledgers"
    template_name = "supervision/ledger_task.html"

    def task(self) -> LedgerTask:
        return get_in_scope(LedgerTask.objects.select_related("plan__region", "lead_agency"), self.request.user,
                            "view", pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        task = self.task()
        user = self.request.user
        may_report = (user.has_capability("ledgers", "report") and task.status != "done"
                      and services.reporting_agency(task, user) is not None)
        return {**super().get_context_data(**kwargs), "title": str(task), "task": task, "today": clock.today(),
                "reports": ProgressReport.objects.restrict(user, "view").filter(task=task)
                .select_related("agency", "reported_by", "attachment"),
                "may_report": may_report, "form": kwargs.get("form") or forms.ReportForm()}

    def post(self, request, pk):
        task = self.task()
        form = forms.ReportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["attachment"]
            try:
                services.report_progress(task, request.user, text=form.cleaned_data["text"],
                                         completed=form.cleaned_data["completed"], fileobj=upload,
                                         file_name=upload.name if upload else "")
            except ValidationError as exc:
                add_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                return self.render_to_response(self.get_context_data(form=form), status=403)
            else:
                messages.success(request, "已报告进展。")
                return redirect(task.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form))


class AttachmentView(CapabilityRequiredMixin, View):
    area = "ledgers"

    def get(self, request, pk):
        from django.http import Http404

        from zhifa.records.services import open_stored

        report = get_in_scope(ProgressReport.objects.select_related("attachment"), request.user, "view", pk=pk)
        if report.attachment is None:
            raise Http404("该报告没有附件。")
        stored = report.attachment
        return FileResponse(open_stored(stored), as_attachment=True, filename=stored.original_name,
                            content_type=stored.content_type)
