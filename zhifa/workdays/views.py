"""Pages of the working-day calendar: the years, and one year's month grids with the form
administrators enter its holiday schedule with."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from zhifa.core.views import CapabilityRequiredMixin, ObjectListView

from . import recount, services
from .filters import CalendarYearFilterSet
from .forms import ScheduleForm
from .models import CalendarDay, CalendarYear

MIN_YEAR, MAX_YEAR = 1949, 2200

class YearListView(ObjectListView):
    """日历年度：which years deadlines can be computed in."""

    model = CalendarYear
    template_name = "workdays/year_list.html"
    filterset_class = CalendarYearFilterSet
    title = "工作日历"
    columns = [
        ("年度", "year"),
        ("状态", lambda y: "已完整录入" if y.complete else "未完成"),
        ("来源", "source"),
        ("依据", "published_note"),
        ("更新时间", lambda y: timezone.localtime(y.updated).strftime("%Y-%m-%d %H:%M")),
    ]

    def get(self, request, *args, **kwargs):
        year = request.GET.get("year", "")
        if year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR:
            return redirect("workdays:year_detail", year=int(year))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        today = timezone.localdate()
        complete = set(CalendarYear.objects.filter(complete=True, year__gte=today.year).values_list("year", flat=True))
        ctx["missing_years"] = [y for y in (today.year, today.year + 1) if y not in complete]
        ctx["suggested_year"] = today.year + 1
        return ctx

class YearDetailView(CapabilityRequiredMixin, TemplateView):
    """One year: twelve month grids and, for administrators, the schedule form."""

    template_name = "workdays/year_detail.html"
    area = "workdays"

    def dispatch(self, request, *args, **kwargs):
        if not MIN_YEAR <= kwargs["year"] <= MAX_YEAR:
            raise Http404("年度超出范围。")
        return super().dispatch(request, *args, **kwargs)

    def can_change(self):
        return self.request.user.has_capability("workdays", "change")

    def get_form(self, record):
        year = self.kwargs["year"]
        if self.request.method == "POST":
            return ScheduleForm(self.request.POST, year=year)
        initial = {"complete": True, "published_note": f"国务院办公厅关于{year}年部分节假日安排的通知"}
        if record is not None:
            initial.update(schedule=services.schedule_text_for(year), published_note=record.published_note,
                           complete=record.complete or record.source == "manual")
        return ScheduleForm(initial=initial, year=year)

    def get(self, request, *args, **kwargs):
        record = CalendarYear.objects.restrict(request.user).filter(year=kwargs["year"]).first()
        form = self.get_form(record) if self.can_change() else None
        return self.render_to_response(self.get_context_data(record=record, form=form))

    def post(self, request, *args, **kwargs):
        if not self.can_change():
            raise PermissionDenied("您的角色没有此项操作权限。")
        year = kwargs["year"]
        record = CalendarYear.objects.restrict(request.user, "change").filter(year=year).first()
        form = self.get_form(record)
        if form.is_valid():
            try:
                services.enter_schedule(
                    year, form.cleaned_data["schedule"], complete=form.cleaned_data["complete"],
                    published_note=form.cleaned_data["published_note"],
                )
            except ValidationError as exc:
                form.add_error("schedule", exc.messages)
            else:
                if form.cleaned_data["complete"]:
                    recounted = "、".join(recount.registered().values())
                    state = "已标记为完整，可用于期限计算" + (f"；此前暂算的{recounted}已按本年度日历重新计算" if recounted else "")
                else:
                    state = "尚未标记为完整"
                messages.success(request, f"{year}年工作日历已保存（{state}）。")
                return redirect("workdays:year_detail", year=year)
        return self.render_to_response(self.get_context_data(record=record, form=form))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        year = self.kwargs["year"]
        grids = services.month_grids(year)
        counts = {kind: 0 for kind, _ in CalendarDay.KIND_CHOICES}
        for month in grids:
            for week in month["weeks"]:
                for day in week:
                    if day is not None:
                        counts[day.kind] += 1
        ctx.update(
            title=f"{year}年工作日历",
            year=year,
            months=grids,
            counts=[(label, counts[kind], kind) for kind, label in CalendarDay.KIND_CHOICES],
            working_total=counts[CalendarDay.WORKDAY] + counts[CalendarDay.MAKEUP],
            weekday_names=services.WEEKDAY_NAMES,
            today=timezone.localdate(),
            can_change=self.can_change(),
            previous_year=year - 1,
            next_year=year + 1,
        )
        return ctx
