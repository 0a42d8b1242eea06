"""Pages of grid dispatch: grids, tasks (with the form of each step the user may take now), patrol
reports from a phone, and the dispatch board (指挥调度台) of the command centre."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from zhifa.core.scoping import get_in_scope
from zhifa.core.views import ObjectListView, run_on_form

from . import board as board_data
from . import forms, services
from . import models as m
from .models import DispatchTask, Grid, GridReport


def _need(user, area: str, action: str) -> None:
    if not user.has_capability(area, action):
        raise PermissionDenied("您的角色没有此项操作权限。")


# --------------------------------------------------------------------------------------------- grids

class GridListView(ObjectListView):
    model = Grid
    title = "网格"
    select_related = ("township", "team", "team__agency")
    create_url_name = "coordination:grid_create"
    columns = [("网格", "name"), ("编码", "code"), ("乡镇（街道）", "township.name"), ("责任队伍", "team.name")]


@login_required
def grid_edit(request, pk=None):
    _need(request.user, "grid", "change")
    grid = get_in_scope(Grid.objects.all(), request.user, "change", pk=pk) if pk else None
    initial = {}
    if grid is not None:
        initial = {f: getattr(grid, f) for f in ("township", "code", "name", "agency", "team", "bounds", "polygon",
                                                   "is_active")}
        initial["workers"] = list(grid.workers.all())
    form = forms.GridForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = []
        if run_on_form(form, lambda: saved.append(services.save_grid(grid, actor=request.user, **data))):
            messages.success(request, "网格已保存。")
            return redirect(saved[0].get_absolute_url())
    return render(request, "coordination/grid/form.html",
                  {"title": "调整网格" if grid else "设立网格", "form": form, "back": reverse("coordination:grid_list")})


@login_required
def grid_detail(request, pk):
    grid = get_in_scope(Grid.objects.select_related("township", "agency", "team"), request.user, "view", pk=pk)
    tasks = (DispatchTask.objects.restrict(request.user, "view").filter(grid=grid, status__in=m.OPEN_STATUSES)
             .select_related("team")[:50])
    reports = GridReport.objects.restrict(request.user, "view").filter(grid=grid).select_related("reporter")[:20]
    return render(request, "coordination/grid/grid_detail.html", {
        "title": str(grid), "grid": grid, "workers": grid.workers.all(), "tasks": tasks, "reports": reports,
        "can_change": request.user.has_capability("grid", "change"),
        "can_command": request.user.has_capability("dispatch", "command"),
        "can_report": services.may_report(grid, request.user)})


# --------------------------------------------------------------------------------------------- tasks

class TaskListView(ObjectListView):
    model = DispatchTask
    title = "调度任务"
    select_related = ("grid", "team")
    create_url_name = "coordination:task_create"
    columns = [("任务", "number"), ("名称", "title"), ("网格", "grid.name"), ("承办队伍", "team.name"),
               ("状态", "get_status_display"), ("紧急程度", "get_priority_display"), ("反馈期限", "due_at")]


@login_required
def task_create(request):
    _need(request.user, "dispatch", "command")
    form = forms.DispatchForm(request.POST or None, user=request.user, initial={"grid": request.GET.get("grid")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        complaint_id = data.pop("complaint")
        if complaint_id:
            from zhifa.supervision.models import Complaint

            data["complaint"] = Complaint.objects.restrict(request.user, "view").filter(pk=complaint_id).first()
            if data["complaint"] is None:
                form.add_error("complaint", "该投诉举报不存在或不在您的管辖范围内。")
        created = []
        if not form.errors and run_on_form(form, lambda: created.append(services.dispatch(actor=request.user, **data))):
            messages.success(request, f"已派发任务{created[0].number}。")
            return redirect(created[0].get_absolute_url())
    return render(request, "coordination/grid/form.html",
                  {"title": "派发调度任务", "form": form, "back": reverse("coordination:board")})


STEP_LABELS = {"accept": "签收", "arrive": "到场", "report": "反馈巡查情况", "send_back": "退回",
               "reassign": "改派", "close": "办结"}


def _step_form(step, user, data=None, files=None):
    if step == "accept":
        return None
    if step == "arrive":
        return forms.ArriveForm(data, prefix="arrive")
    if step == "report":
        return forms.ReportForm(data, files, prefix="report")
    if step == "send_back":
        return forms.ReasonForm(data, prefix="send_back")
    if step == "reassign":
        return forms.ReassignForm(data, user=user, prefix="reassign")
    return forms.CloseForm(data, prefix="close")


def _perform(task, step, user, data):
    if step == "accept":
        return services.accept(task, actor=user)
    if step == "arrive":
        return services.arrive(task, actor=user, **data)
    if step == "report":
        photos = services.store_photos(data.pop("photos"))
        return services.file_report(actor=user, grid=task.grid, task=task, photos=photos, **data)
    if step == "send_back":
        return services.send_back(task, actor=user, reason=data["reason"])
    if step == "reassign":
        return services.reassign(task, actor=user, **data)
    return services.close(task, actor=user, note=data["note"])


@login_required
def task_detail(request, pk):
    task = get_in_scope(DispatchTask.objects.select_related("grid", "team", "agency", "dispatched_by", "complaint"),
                        request.user, "view", pk=pk)
    steps = services.available_steps(task, request.user)
    posted = request.POST.get("step") if request.method == "POST" else None
    if posted is not None and posted not in steps:
        raise PermissionDenied("您现在不能办理这一步。")
    step_forms = []
    for step in steps:
        bound = step == posted
        form = _step_form(step, request.user, request.POST if bound else None, request.FILES if bound else None)
        if bound and (form is None or form.is_valid()):
            data = dict(form.cleaned_data) if form is not None else {}
            holder = form or forms.CloseForm()
            if run_on_form(holder, lambda s=step, d=data: _perform(task, s, request.user, d)):
                messages.success(request, f"已{STEP_LABELS[step]}。")
                return redirect(task.get_absolute_url())
            if form is None:
                messages.error(request, "；".join(holder.non_field_errors()))
        step_forms.append((step, STEP_LABELS[step], form))
    return render(request, "coordination/grid/task_detail.html", {
        "title": str(task), "task": task, "step_forms": step_forms, "assignees": task.assignees.all(),
        "reports": task.reports.all().prefetch_related("photos")})


# ------------------------------------------------------------------------------------------- reports

class ReportListView(ObjectListView):
    model = GridReport
    title = "巡查上报"
    select_related = ("grid", "reporter")
    create_url_name = "coordination:report_create"
    columns = [("上报", "reported_at"), ("网格", "grid.name"), ("类别", "get_category_display"),
               ("发现问题", "problem_found"), ("上报人", "reporter"), ("后续处置", "get_follow_up_display")]


@login_required
def report_create(request):
    _need(request.user, "dispatch", "change")
    form = forms.GridReportForm(request.POST or None, request.FILES or None, user=request.user,
                                initial={"grid": request.GET.get("grid")})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        done = []

        def call():
            photos = services.store_photos(data.pop("photos"))
            done.append(services.file_report(actor=request.user, photos=photos, **data))

        if run_on_form(form, call):
            messages.success(request, "已上报。")
            return redirect(done[0].get_absolute_url())
    return render(request, "coordination/grid/report_form.html", {"title": "巡查上报", "form": form})


@login_required
def report_detail(request, pk):
    report = get_in_scope(GridReport.objects.select_related("grid", "task", "reporter", "case", "inspection"),
                          request.user, "view", pk=pk)
    form = None
    if report.problem_found and not report.follow_up and request.user.has_capability("dispatch", "change"):
        form = forms.FollowUpForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if run_on_form(form, lambda: _follow_up(report, request.user, form.cleaned_data)):
                messages.success(request, "已关联后续处置。")
                return redirect(report.get_absolute_url())
    return render(request, "coordination/grid/report_detail.html", {
        "title": str(report), "report": report, "photos": report.photos.all(), "form": form})


def _follow_up(report, user, data):
    if data["kind"] == m.FOLLOW_CASE:
        from zhifa.cases.models import Case

        case = Case.objects.restrict(user, "change").filter(pk=data["target"]).first()
        if case is None:
            raise ValidationError({"target": "案件不存在或您无权办理。"})
        return services.start_case(report, actor=user, case=case)
    from zhifa.inspections.models import Inspection

    inspection = Inspection.objects.restrict(user, "change").filter(pk=data["target"]).first()
    if inspection is None:
        raise ValidationError({"target": "行政检查不存在或您无权办理。"})
    return services.start_inspection(report, actor=user, inspection=inspection)


# --------------------------------------------------------------------------------------------- board

@login_required
def board(request):
    """指挥调度台: per grid and team, open tasks by state, overdue, today's reports and teams' load."""
    _need(request.user, "dispatch", "view")
    form = forms.BoardFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    data = board_data.build(request.user, **{k: v for k, v in filters.items() if v})
    template = "coordination/grid/board_body.html" if request.GET.get("partial") else "coordination/grid/board.html"
    return render(request, template, {"title": "指挥调度台", "form": form, "board": data,
                                      "can_command": request.user.has_capability("dispatch", "command")})
