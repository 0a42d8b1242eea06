"""Actions on a case: one form, one service call each."""

from decimal import Decimal

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import TemplateView

from zhifa.accounts import roles
from zhifa.catalog.services import suggest_special_lists
from zhifa.core import clock, numbers
from zhifa.core.views import add_validation_error
from zhifa.documents.kinds import KIND_TITLES

from .. import choices, forms, rules, services
from ..models import Case
from .common import CaseAccessMixin, change_refusal, store_posted_file, stored_file_of


class CaseActionView(CaseAccessMixin, TemplateView):
    """GET shows the form; POST calls ``perform`` (one service function) and returns to the
    case page, or shows the refusal in Chinese with nothing changed."""

    template_name = "cases/action_form.html"
    form_class = None
    title = ""
    intro = ""
    anchor = ""
    submit_label = "保存"

    def form_kwargs(self, case) -> dict:
        return {}

    def build_form(self, case, data=None, files=None):
        return self.form_class(data, files, **self.form_kwargs(case))

    def page_context(self, case, form) -> dict:
        return {}

    def success_url(self, case) -> str:
        return case.get_absolute_url() + (f"#{self.anchor}" if self.anchor else "")

    def render_page(self, case, form, status=200, missing=(), refusal=""):
        ctx = self.get_context_data(
            case=case, form=form, title=f"{self.title}：{case.number or case.cause}", heading=self.title,
            intro=self.intro, submit_label=self.submit_label, missing=list(missing), refusal=refusal,
        )
        ctx.update(self.page_context(case, form))
        return self.render_to_response(ctx, status=status)

    def refusal(self, case) -> str:
        return change_refusal(case, self.request.user)

    def get(self, request, *args, **kwargs):
        case = self.get_case()
        refusal = self.refusal(case)
        if refusal:
            return self.render_page(case, None, status=403, refusal=refusal)
        return self.render_page(case, self.build_form(case))

    def post(self, request, *args, **kwargs):
        case = self.get_case()
        refusal = self.refusal(case)
        if refusal:
            return self.render_page(case, None, status=403, refusal=refusal)
        form = self.build_form(case, request.POST, request.FILES)
        status, missing = 200, []
        if form.is_valid():
            try:
                message = self.perform(case, form)
            except services.TransitionRefused as exc:
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


class TransitionView(CaseActionView):
    """Make the next step of the procedure (``services.perform_transition``)."""

    template_name = "cases/transition_form.html"

    def transition(self, case):
        try:
            return case.procedure_definition.transition(self.kwargs["code"])
        except KeyError:
            raise Http404("该程序中没有这一步。") from None

    def build_form(self, case, data=None, files=None):
        form_class = forms.TRANSITION_FORMS.get(self.kwargs["code"])
        if form_class is None:
            return django_forms.Form(data)
        return form_class(data, case=case)

    def render_page(self, case, form, status=200, missing=(), refusal=""):
        transition = self.transition(case)
        self.title = transition.name
        self.submit_label = f"确认{transition.name}"
        return super().render_page(case, form, status=status, missing=missing, refusal=refusal)

    def page_context(self, case, form):
        transition = self.transition(case)
        option = next((o for o in services.available_transitions(case, self.request.user)
                       if o.transition.code == transition.code), None)
        labels = dict(roles.ROLE_CHOICES)
        return {
            "transition": transition,
            "option": option,
            "target": case.procedure_definition.stage(transition.target).name,
            "roles": "、".join(labels[r] for r, _ in roles.ROLE_CHOICES if r in transition.roles),
            "requirements": [rules.REQUIREMENTS[code].text for code in transition.requires],
            "document_titles": [KIND_TITLES.get(code, code) for code in transition.documents],
        }

    def perform(self, case, form):
        transition = self.transition(case)
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        case = services.perform_transition(case, transition.code, actor=self.request.user, data=data)
        message = f"已{transition.name}，案件进入“{case.stage_name}”环节。"
        if transition.code in ("decide", "decide_on_spot") and case.decision_number:
            message += f"决定书文号：{case.decision_number}。"
        return message


class AssignOfficerView(CaseActionView):
    """指定办案人员 → ``services.assign_officer``."""

    form_class = forms.AssignOfficerForm
    title = "指定办案人员"
    intro = "立案和调查须有两名以上持有效执法证、可办理该事项的执法人员。"
    anchor = "officers"

    def form_kwargs(self, case):
        return {"case": case, "user": self.request.user}

    def perform(self, case, form):
        officer = form.cleaned_data["officer"]
        services.assign_officer(case, officer, actor=self.request.user, role=form.cleaned_data["role"])
        return f"已指定办案人员：{officer.name}。"


class DiscretionView(CaseActionView):
    """拟定处罚: compare with the benchmark (preview without saving), then save."""

    template_name = "cases/discretion_form.html"
    form_class = forms.DiscretionForm
    title = "拟定处罚意见（裁量）"
    anchor = "discretion"

    def build_form(self, case, data=None, files=None):
        return forms.DiscretionForm(data, initial=forms.DiscretionForm.initial_for(case))

    def page_context(self, case, form):
        benchmark = case.benchmark or case.item.benchmark_on(case.occurred_on) or case.item.benchmark_on(clock.today())
        ctx = {
            "benchmark": benchmark,
            "tiers": benchmark.ordered_tiers() if benchmark is not None else [],
            "saved": self.request.GET.get("saved") == "1",
            "preview": getattr(self, "preview", None),
            "suggestions": suggest_special_lists(case.item, set(case.fact_tags), case.occurred_on)
            if case.fact_tags else [],
            "grounds": rules.no_penalty_grounds(case),
        }
        return ctx

    def post(self, request, *args, **kwargs):
        if "preview" not in request.POST:
            return super().post(request, *args, **kwargs)
        case = self.get_case()
        refusal = change_refusal(case, request.user)
        if refusal:
            return self.render_page(case, None, status=403, refusal=refusal)
        form = self.build_form(case, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            kinds = [] if data["outcome"] == choices.OUTCOME_NO_PENALTY else data["penalty_kinds"]
            self.preview = services.assess_discretion(case, data["level"], kinds, data["fine_amount"],
                                                      data["fact_tags"], data["no_fault_exception"])
        return self.render_page(case, form)

    def success_url(self, case):
        return reverse("cases:discretion", args=[case.pk]) + "?saved=1"

    def perform(self, case, form):
        data = form.cleaned_data
        result = services.set_discretion(
            case, actor=self.request.user, level=data["level"], penalty_kinds=data["penalty_kinds"],
            fine_amount=data["fine_amount"], confiscation_amount=data["confiscation_amount"],
            fact_tags=data["fact_tags"], deviation_reason=data["deviation_reason"], reasoning=data["reasoning"],
            outcome=data["outcome"], education_record=data["education_record"],
            confiscated_property=data["confiscated_property"], penalty_period=data["penalty_period"],
            no_fault_exception=data["no_fault_exception"],
        )
        if result.within_benchmark is False:
            return "已保存处罚意见。拟作出的处罚不符合裁量基准，已提示执法监督" + (
                "，并已记录书面理由。" if data["deviation_reason"].strip() else "，请填写书面理由。")
        return "已保存处罚意见。"


class InspectionView(CaseActionView):
    """现场检查笔录 → ``services.record_inspection``."""

    form_class = forms.InspectionForm
    title = "现场检查笔录"
    intro = "保存后生成现场检查笔录并写入全过程记录。"
    anchor = "records"

    def form_kwargs(self, case):
        return {"case": case}

    def perform(self, case, form):
        data = form.cleaned_data
        services.record_inspection(case, actor=self.request.user, time=data["time"], place=data["place"],
                                   content=data["content"], findings=data["findings"], recording=data["recording"])
        return "已制作现场检查笔录。"


class InterviewView(CaseActionView):
    """询问笔录 with repeated question/answer pairs."""

    template_name = "cases/interview_form.html"
    form_class = forms.InterviewForm
    title = "询问笔录"
    intro = "在办案场所（询问室）进行的询问必须全程录音录像：请先上传录像，再在此选择。"
    anchor = "records"
    blank_pairs = 3

    def form_kwargs(self, case):
        return {"case": case}

    def questions(self) -> list[dict]:
        post = self.request.POST
        pairs = zip(post.getlist("q"), post.getlist("a"), strict=False)
        return [{"q": q.strip(), "a": a.strip()} for q, a in pairs if q.strip()]

    def page_context(self, case, form):
        pairs = self.questions() if self.request.method == "POST" else []
        return {"qa_pairs": pairs + [{"q": "", "a": ""}] * self.blank_pairs}

    def perform(self, case, form):
        data = form.cleaned_data
        services.record_interview(
            case, actor=self.request.user, interviewee=data["interviewee"], time=data["time"], place=data["place"],
            questions=self.questions(), in_interview_room=data["in_interview_room"], recording=data["recording"],
        )
        return "已制作询问笔录。"


class StatementView(CaseActionView):
    """陈述申辩 → ``services.record_statement``."""

    form_class = forms.StatementForm
    title = "记录陈述申辩意见"
    intro = "每条意见都须复核答复，决定书逐条说明采纳与否（说理式文书）。"
    anchor = "statements"

    def perform(self, case, form):
        data = form.cleaned_data
        services.record_statement(case, actor=self.request.user, point=data["point"],
                                  received_on=data["received_on"])
        return "已记录陈述申辩意见并生成陈述申辩笔录。"


class AnswerStatementView(CaseActionView):
    """复核答复一条陈述申辩意见 → ``services.answer_statement``."""

    form_class = forms.AnswerStatementForm
    title = "复核陈述申辩意见"
    intro = "陈述申辩不得加重处罚（处罚法第四十五条）。"
    anchor = "statements"

    def statement(self, case):
        return get_object_or_404(case.statements, pk=self.kwargs["statement_id"])

    def build_form(self, case, data=None, files=None):
        statement = self.statement(case)
        initial = {"answer": statement.answer}
        if statement.accepted is not None:
            initial["accepted"] = "1" if statement.accepted else "0"
        return forms.AnswerStatementForm(data, initial=initial)

    def page_context(self, case, form):
        return {"statement": self.statement(case)}

    def perform(self, case, form):
        data = form.cleaned_data
        services.answer_statement(self.statement(case), actor=self.request.user, answer=data["answer"],
                                  accepted=data["accepted"] == "1")
        return "已复核答复。"


class WaiveRightsView(CaseActionView):
    """当事人书面放弃 → ``services.waive_rights``."""

    form_class = forms.WaiveRightsForm
    title = "当事人放弃陈述申辩和听证"
    anchor = "statements"

    def perform(self, case, form):
        services.waive_rights(case, actor=self.request.user, note=form.cleaned_data["note"])
        return "已记录当事人书面放弃陈述、申辩和听证权利。"


class HearingRequestView(CaseActionView):
    """听证申请 → ``services.request_hearing``."""

    form_class = forms.HearingRequestForm
    title = "登记听证申请"
    intro = "当事人应在告知书送达后五个工作日内提出听证申请。"
    anchor = "hearing"

    def perform(self, case, form):
        services.request_hearing(case, actor=self.request.user, requested_on=form.cleaned_data["requested_on"])
        return "已登记听证申请。"


class HearingScheduleView(CaseActionView):
    """通知听证 → ``services.schedule_hearing``."""

    form_class = forms.HearingScheduleForm
    title = "通知听证"
    intro = "应在举行听证的七个工作日前通知当事人；主持人由非本案调查人员担任。"
    anchor = "hearing"

    def form_kwargs(self, case):
        return {"case": case, "user": self.request.user}

    def perform(self, case, form):
        data = form.cleaned_data
        services.schedule_hearing(case, actor=self.request.user, notified_on=data["notified_on"],
                                  scheduled_for=data["scheduled_for"], place=data["place"],
                                  presiding=data["presiding"])
        return "已通知听证。"


class HearingRecordView(CaseActionView):
    """听证笔录 → ``services.record_hearing``."""

    form_class = forms.HearingRecordForm
    title = "听证笔录"
    anchor = "hearing"

    def perform(self, case, form):
        data = form.cleaned_data
        services.record_hearing(case, actor=self.request.user, held_on=data["held_on"], record=data["record"],
                                party_absent=data["party_absent"])
        return "已记录听证情况。"


class ExtensionView(CaseActionView):
    """延长办案期限（机关负责人） → ``services.approve_extension``."""

    form_class = forms.ExtensionForm
    title = "延长办案期限"
    intro = "经机关负责人批准，可以延长作出处罚决定的期限（处罚法第六十条）。"
    anchor = "deadline"

    def perform(self, case, form):
        data = form.cleaned_data
        services.approve_extension(case, actor=self.request.user, days=data["days"], reason=data["reason"])
        return f"已批准延长办案期限{data['days']}日。"


class PaymentView(CaseActionView):
    """登记缴款（罚缴分离） → ``services.record_payment``."""

    form_class = forms.PaymentForm
    title = "登记缴款"
    intro = "罚缴分离：当事人到银行缴纳，这里只登记银行缴款凭证。"
    anchor = "payments"

    def form_kwargs(self, case):
        today = clock.today()
        outstanding = max(rules.amount_due(case, today) - rules.amount_paid(case), Decimal("0"))
        return {"amount_outstanding": outstanding}

    def page_context(self, case, form):
        today = clock.today()
        return {"amount_due": rules.amount_due(case, today), "amount_paid": rules.amount_paid(case)}

    def perform(self, case, form):
        data = form.cleaned_data
        payment = services.record_payment(case, actor=self.request.user, paid_on=data["paid_on"],
                                          amount=data["amount"], bank=data["bank"],
                                          bank_reference=data["bank_reference"].strip(),
                                          purpose=data["purpose"])
        return f"已登记缴款{numbers.format_yuan(payment.amount)}（{services.payment_summary(payment)}）。"


class ViolationPeriodView(CaseActionView):
    """违法行为持续情况（追责时效） → ``services.record_violation_period``."""

    form_class = forms.ViolationPeriodForm
    title = "违法行为持续情况"
    intro = ("违法行为在二年内未被发现的，不再给予行政处罚；涉及公民生命健康安全、金融安全且有危害后果的，延长至五年。"
             "期限从违法行为发生之日起计算；有连续或者继续状态的，从行为终了之日起计算（处罚法第三十六条）。")
    anchor = "limitation"

    def refusal(self, case):
        return change_refusal(case, self.request.user) or ("已作出决定的案件不能修改。" if case.decided_on else "")

    def build_form(self, case, data=None, files=None):
        return forms.ViolationPeriodForm(data, initial=forms.ViolationPeriodForm.initial_for(case))

    def perform(self, case, form):
        case = services.record_violation_period(case, actor=self.request.user, **form.cleaned_data)
        expired = rules.limitation_expired(case)
        return f"已记录。{expired}" if expired else "已记录违法行为持续情况。"


class PaymentPlanView(CaseActionView):
    """批准延期或分期缴纳罚款 → ``services.approve_payment_plan``."""

    form_class = forms.PaymentPlanForm
    title = "延期或分期缴纳罚款"
    intro = "当事人确有经济困难，需要延期或者分期缴纳罚款的，经当事人申请和机关负责人批准，可以暂缓或者分期缴纳（处罚法第六十六条第二款）。"
    anchor = "payments"
    submit_label = "批准"

    def refusal(self, case):
        refusal = change_refusal(case, self.request.user)
        if refusal:
            return refusal
        user = self.request.user
        if not (user.is_superuser or user.role == roles.AGENCY_HEAD):
            return "延期或分期缴纳罚款须经机关负责人批准。"
        return ""

    def perform(self, case, form):
        data = form.cleaned_data
        plan = services.approve_payment_plan(case, actor=self.request.user, kind=data["kind"],
                                             applied_on=data["applied_on"], reason=data["reason"],
                                             instalments=data["schedule"])
        return f"已批准{plan.get_kind_display()}，共{plan.instalments.count()}期。"


class RemedyView(CaseActionView):
    """登记行政复议或行政诉讼 → ``services.record_remedy`` (also on archived cases: a new fact)."""

    form_class = forms.RemedyForm
    title = "登记复议或诉讼"
    intro = "当事人申请行政复议或提起行政诉讼的，登记后跟踪结果；决定被撤销、变更或确认违法的，公示信息须在3个工作日内撤回或注明。"
    anchor = "remedies"

    def refusal(self, case):
        if not Case.objects.restrict(self.request.user, "change").filter(pk=case.pk).exists():
            return "您无权办理该案件。"
        return "" if case.decided_on else "案件尚未作出决定。"

    def form_kwargs(self, case):
        return {"agency": case.agency}

    def perform(self, case, form):
        remedy = services.record_remedy(case, actor=self.request.user, **form.cleaned_data)
        return f"已登记{remedy.get_kind_display()}。"


class RemedyResultView(RemedyView):
    """登记复议或诉讼结果 → ``services.record_remedy_result``."""

    form_class = forms.RemedyResultForm
    title = "登记复议或诉讼结果"

    def form_kwargs(self, case):
        return {}

    def perform(self, case, form):
        remedy = case.remedies.filter(pk=self.kwargs["remedy_id"]).first()
        if remedy is None:
            raise ValidationError("该复议或诉讼记录不存在。")
        remedy = services.record_remedy_result(remedy, actor=self.request.user, **form.cleaned_data)
        return f"已登记结果：{remedy.get_result_display()}。"


class EvidenceAddView(CaseActionView):
    """Evidence from a phone: resumable upload by ``records/upload.js``, or a plain file
    upload without JavaScript; then ``services.add_evidence``."""

    template_name = "cases/evidence_form.html"
    form_class = forms.EvidenceForm
    title = "上传证据"
    intro = "拍照、录音、录像或选择执法记录仪导出的文件；上传中断后可继续。超过24小时上传的将被标记。"
    anchor = "evidence"
    submit_label = "登记证据"

    def form_kwargs(self, case):
        return {"case": case, "user": self.request.user}

    def perform(self, case, form):
        data = form.cleaned_data
        user = self.request.user
        if data.get("stored_file"):
            stored = stored_file_of(user, data["stored_file"])
        else:
            stored = store_posted_file(data["file"])
        evidence = services.add_evidence(
            case, stored, actor=user, kind=data["kind"], title=data["title"], captured_at=data["captured_at"],
            description=data["description"], device=data["device"], place_text=data["place_text"],
            latitude=data["latitude"], longitude=data["longitude"], registered_device=data.get("registered_device"),
        )
        late = "（超过24小时上传，已标记）" if evidence.late_upload else ""
        return f"已登记证据{evidence.number}：{evidence.title}{late}。"


class OtherExecutionView(CaseActionView):
    """登记罚没款以外处罚种类的执行情况 → ``services.record_other_execution``."""

    form_class = forms.OtherExecutionForm
    title = "登记其他处罚种类的执行情况"
    intro = "没收非法财物、暂扣或吊销许可证件、责令停产停业等由其执行行为完成，登记后写入结案报告。"
    anchor = "payments"

    def perform(self, case, form):
        data = form.cleaned_data
        services.record_other_execution(case, actor=self.request.user, executed_on=data["executed_on"],
                                        text=data["text"])
        return "已登记执行情况。"
