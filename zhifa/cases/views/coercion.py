"""Web pages of 行政强制 on a case: one form, one service call each (``cases.coercion.services``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import TemplateView

from zhifa.core.views import add_validation_error
from zhifa.documents.kinds import KIND_TITLES

from ..coercion import forms as cf
from ..coercion import services as coercion
from ..coercion.procedure import ENFORCEMENT_PROCEDURE, MEASURE_PROCEDURE
from ..services import TransitionRefused
from .actions import CaseActionView
from .common import CaseAccessMixin


class StartMeasureView(CaseActionView):
    """申请实施或当场实施行政强制措施 → ``coercion.start_measure``."""

    form_class = cf.StartMeasureForm
    title = "实施行政强制措施"
    intro = ("查封、扣押（冻结）应当事先报经机关负责人批准；情况紧急需要当场实施的，应当在二十四小时内向机关负责人报告并补办批准手续"
             "（行政强制法第十八条、第十九条）。当场实施必须由两名以上执法人员实施并全程音像记录。")
    anchor = "coercion"

    def form_kwargs(self, case):
        return {"case": case}

    def perform(self, case, form):
        data = form.cleaned_data
        measure = coercion.start_measure(
            case, actor=self.request.user, kind=data["kind"], emergency=data["emergency"], reasons=data["reasons"],
            basis=data["basis"], place=data["place"], started_at=data["started_at"], inventory=data["inventory"],
            officers=list(data["officers"]), recording=data["recording"])
        if measure.emergency:
            return f"已当场实施{measure.short_name}并生成决定书和清单，请在二十四小时内报机关负责人补办批准。"
        return f"已提出实施{measure.short_name}的申请，待机关负责人批准。"


class _StepView(CaseActionView):
    """A step of a measure or an enforcement: the form of its code, the service's refusal."""

    procedure = None
    forms = {}
    anchor = "coercion"
    related_name = ""  # the case's relation holding the subject ("coercive_measures", "enforcements")
    url_kwarg = ""  # the URL's id of the subject ("measure_id", "enforcement_id")

    def subject(self, case):
        """The measure or enforcement of this case named by the URL (404 for another case's)."""
        return get_object_or_404(getattr(case, self.related_name).all(), pk=self.kwargs[self.url_kwarg])

    def transition(self):
        try:
            transition = self.procedure.transition(self.kwargs["code"])
        except KeyError:
            raise Http404("该程序中没有这一步。") from None
        if not transition.sources:
            raise Http404("该程序中没有这一步。")
        return transition

    def build_form(self, case, data=None, files=None):
        form_class = self.forms.get(self.kwargs["code"])
        if form_class is None:
            from django import forms

            return forms.Form(data)
        return form_class(data, **self.step_form_kwargs(case, form_class))

    def step_form_kwargs(self, case, form_class) -> dict:
        return {}

    def render_page(self, case, form, status=200, missing=(), refusal=""):
        transition = self.transition()
        self.title = transition.name
        self.submit_label = f"确认{transition.name}"
        documents = "、".join(KIND_TITLES[c] for c in transition.documents)
        self.intro = f"依据：{transition.basis}。" + (f"将生成：{documents}。" if documents else "")
        return super().render_page(case, form, status=status, missing=missing, refusal=refusal)

    def post(self, request, *args, **kwargs):
        case = self.get_case()
        refusal = self.refusal(case)
        if refusal:
            return self.render_page(case, None, status=403, refusal=refusal)
        subject = self.subject(case)
        form = self.build_form(case, request.POST)
        status, missing = 200, []
        if form.is_valid():
            try:
                message = self.perform_step(subject, dict(form.cleaned_data))
            except TransitionRefused as exc:
                form.add_error(None, f"不能{exc.transition.name}，以下条件尚未满足：")
                missing = exc.missing
            except ValidationError as exc:
                add_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            else:
                messages.success(request, message)
                return redirect(self.success_url(case))
        return self.render_page(case, form, status=status, missing=missing)


class MeasureStepView(_StepView):
    """A step of a coercive measure → ``coercion.perform_measure``."""

    procedure = MEASURE_PROCEDURE
    forms = cf.MEASURE_FORMS
    related_name, url_kwarg = "coercive_measures", "measure_id"

    def step_form_kwargs(self, case, form_class):
        if form_class is cf.ExecuteForm:
            return {"case": case, "measure": self.subject(case)}
        return {}

    def perform_step(self, measure, data):
        if "officers" in data:
            data["officers"] = list(data["officers"])
        measure = coercion.perform_measure(measure, self.kwargs["code"], actor=self.request.user, data=data)
        return f"已{self.transition().name}（{measure.short_name}：{measure.stage_name}）。"


class StartEnforcementView(CaseActionView):
    """送达催告书 → ``coercion.start_enforcement``."""

    form_class = cf.StartEnforcementForm
    title = "催告（行政强制执行）"
    intro = ("当事人在决定的期限内不履行义务的，先书面催告，给予十个工作日履行，告知陈述、申辩的权利"
             "（行政强制法第三十五条、第五十四条）。")
    anchor = "coercion"

    def perform(self, case, form):
        enforcement = coercion.start_enforcement(case, actor=self.request.user, served_on=form.cleaned_data["served_on"])
        return f"已生成催告书，履行期限至{enforcement.compliance_due_on:%Y年%m月%d日}。"


class EnforcementStepView(_StepView):
    """A step of an enforcement → ``coercion.perform_enforcement``."""

    procedure = ENFORCEMENT_PROCEDURE
    forms = cf.ENFORCEMENT_FORMS
    related_name, url_kwarg = "enforcements", "enforcement_id"

    def step_form_kwargs(self, case, form_class):
        return {"case": case} if form_class is cf.CourtApplicationForm else {}

    def perform_step(self, enforcement, data):
        coercion.perform_enforcement(enforcement, self.kwargs["code"], actor=self.request.user, data=data)
        return f"已{self.transition().name}。"


def measure_panel(case, user) -> dict:
    """The case page's 行政强制 section: each measure and enforcement with its flag and the
    buttons the service's own checks allow (``measure_actions`` / ``enforcement_actions``)."""
    from zhifa.core import clock

    from ..coercion import rules

    today, now = clock.today(), clock.now()
    measures = []
    for measure in case.coercive_measures.prefetch_related("officers", "testings").select_related("recording").order_by("pk"):
        flag = rules.state(measure, today, now)
        measures.append({"measure": measure, "flag": flag, "flag_text": rules.FLAG_TEXTS.get(flag, ""),
                         "options": coercion.measure_actions(measure, user)})
    enforcements = [{"enforcement": e, "options": coercion.enforcement_actions(e, user)}
                    for e in case.enforcements.order_by("pk")]
    return {"coercion_measures": measures, "coercion_enforcements": enforcements}


def redirect_to_case(case):
    return redirect(case.get_absolute_url() + "#coercion")


class MeasureListView(CaseAccessMixin, TemplateView):
    """行政强制措施一览: the measures in the user's reach that are running or waiting, the
    overdue and expiring ones first (``?flag=overdue`` / ``?flag=expiring``)."""

    template_name = "cases/measure_list.html"
    LIMIT = 200

    def get_context_data(self, **kwargs):
        from zhifa.core import clock

        from ..coercion import rules
        from ..coercion.models import CoerciveMeasure

        ctx = super().get_context_data(**kwargs)
        today, now = clock.today(), clock.now()
        measures = CoerciveMeasure.objects.restrict(self.request.user).select_related("case")
        flag = self.request.GET.get("flag", "")
        if flag == "overdue":
            measures = measures.filter(rules.overdue_q(today, now))
        elif flag == "expiring":
            measures = measures.filter(rules.expiring_q(today))
        else:
            measures = measures.filter(stage__in=("requested", "approved", "reported", "in_force", "testing"))
        rows = [{"measure": m, "flag": rules.state(m, today, now)}
                for m in measures.order_by(F("expires_on").asc(nulls_last=True), "pk")[: self.LIMIT]]
        for row in rows:
            row["flag_text"] = rules.FLAG_TEXTS.get(row["flag"], "")
        ctx.update(title="行政强制措施", rows=rows, flag=flag, warning_days=rules.warning_days())
        return ctx
