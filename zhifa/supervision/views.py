"""Supervision pages: alerts and their lifecycle, problem models, supervision actions, the
agency's inbox, problem lists and campaigns. Every page calls one service."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.core.views import ObjectDetailView, ObjectListView, ServiceActionView
from zhifa.records.services import events_for, store_file

from . import actions as services
from . import forms
from .alerts import services as alert_services
from .filters import AlertFilterSet, SupervisionActionFilterSet
from .models import Alert, Campaign, ProblemItem, ProblemList, ProblemModel, SupervisionAction
from .models import actions as act
from .models import alerts as a
from .problems.settings import set_region_setting


class AlertListView(ObjectListView):
    model = Alert
    title = "执法监督预警"
    filterset_class = AlertFilterSet
    select_related = ("problem_model", "agency")
    columns = [("问题", "summary"), ("问题模型", "problem_model.name"), ("执法主体", "agency.name"),
               ("状态", "status"), ("警示", "card"), ("预警时间", lambda o: o.raised_at.date())]


class AlertDetailView(ObjectDetailView):
    model = Alert
    template_name = "supervision/alerts_detail.html"
    fields = [("问题模型", "problem_model"), ("法律依据", "problem_model.legal_basis"), ("责任执法主体", "agency.name"),
              ("相关案件", "case"), ("状态", "status"), ("严重程度", "severity"), ("警示", "card"),
              ("说明期限", "reply_due_on"), ("执法主体说明", "explanation"), ("认定意见", "decision_reason"),
              ("整改期限", "rectify_due_on"), ("整改情况", "rectification"), ("办结原因", "close_reason")]

    def get_extra_context(self, alert):
        user = self.request.user
        supervisor, answerer = user.has_capability("alerts", "change"), user.has_capability("alerts", "answer")
        steps = {
            "assign": supervisor and alert.status == a.RAISED,
            "confirm": supervisor and (alert.status == a.EXPLAINED or (alert.status == a.ASSIGNED and alert.overdue)),
            "dismiss": supervisor and alert.status in (a.RAISED, a.ASSIGNED, a.EXPLAINED),
            "recheck": supervisor and alert.status == a.RECTIFIED,
            "explain": answerer and alert.status == a.ASSIGNED,
            "rectify": answerer and alert.status == a.RECTIFYING,
        }
        labels = {"assign": "交办", "explain": "说明情况", "confirm": "认定问题", "dismiss": "不予认定",
                  "rectify": "报告整改", "recheck": "复核整改"}
        return {"facts": alert.facts, "events": events_for(alert.stream_key),
                "steps": [(reverse(f"supervision:alert_{k}", args=[alert.pk]), labels[k]) for k, ok in steps.items() if ok],
                "can_supervise": supervisor and alert.is_open,
                "actions_list": alert.actions.all()}


class _AlertStep(ServiceActionView):
    area = "alerts"
    form_class = None
    action = "change"

    def target(self):
        return get_object_or_404(Alert.objects.restrict(self.request.user), pk=self.kwargs["pk"])

    def build_form(self, obj, data=None):
        return self.form_class(data, self.request.FILES if data is not None else None)

    def page_title(self, obj):
        return f"{self.title}：{obj.summary}"

    def _files(self, form):
        upload = form.cleaned_data.get("file")
        return [store_file(upload, upload.name)] if upload else []


class AssignView(_AlertStep):
    title, form_class, submit_label = "交办预警", forms.AssignForm, "交办"

    def perform(self, obj, form):
        alert_services.assign(obj, self.request.user, **form.cleaned_data)
        return "已交办执法主体。", obj.get_absolute_url()


class ExplainView(_AlertStep):
    title, form_class, action, submit_label = "说明情况", forms.ExplainForm, "answer", "提交说明"

    def perform(self, obj, form):
        alert_services.explain(obj, self.request.user, explanation=form.cleaned_data["explanation"],
                               files=self._files(form))
        return "已提交说明。", obj.get_absolute_url()


class ConfirmView(_AlertStep):
    title, form_class, submit_label = "认定问题", forms.ConfirmForm, "认定并限期整改"

    def perform(self, obj, form):
        alert_services.confirm(obj, self.request.user, **form.cleaned_data)
        return "已认定问题，责令限期整改。", obj.get_absolute_url()


class DismissView(_AlertStep):
    title, form_class, submit_label = "不予认定", forms.DismissForm, "不予认定并办结"

    def perform(self, obj, form):
        alert_services.dismiss(obj, self.request.user, **form.cleaned_data)
        return "已不予认定。", obj.get_absolute_url()


class RectifyView(_AlertStep):
    title, form_class, action, submit_label = "报告整改", forms.RectifyForm, "answer", "报告整改"

    def perform(self, obj, form):
        alert_services.report_rectification(obj, self.request.user, rectification=form.cleaned_data["rectification"],
                                            files=self._files(form))
        return "已报告整改情况。", obj.get_absolute_url()


class RecheckView(_AlertStep):
    title, form_class, submit_label = "复核整改", forms.RecheckForm, "提交复核结论"

    def perform(self, obj, form):
        alert_services.recheck(obj, self.request.user, **form.cleaned_data)
        return "已复核。", obj.get_absolute_url()


class ProblemModelListView(ObjectListView):
    model = ProblemModel
    title = "问题模型"
    search_fields = ("code", "name")
    columns = [("模型名称", "name"), ("编码", "code"), ("类别", "category"), ("严重程度", "severity"),
               ("默认启用", "enabled"), ("法律依据", "legal_basis")]
    paginate_by = 100


class ProblemModelDetailView(ObjectDetailView):
    model = ProblemModel
    template_name = "supervision/alerts_model_detail.html"
    fields = [("编码", "code"), ("类别", "category"), ("法律依据", "legal_basis"), ("判定规则", "description"),
              ("监测对象", "target"), ("严重程度", "severity"), ("推送对象", "recipient"), ("默认阈值", "params"),
              ("默认启用", "enabled")]

    def get_extra_context(self, obj):
        from .models import RegionSetting

        return {"settings_rows": RegionSetting.objects.restrict(self.request.user).filter(problem_model=obj)
                .select_related("region"),
                "can_set": self.request.user.has_capability("alerts", "models"),
                "open_count": Alert.objects.restrict(self.request.user).filter(problem_model=obj, is_open=True).count()}


class RegionSettingView(ServiceActionView):
    area, action, title, submit_label = "alerts", "models", "设置本区域的问题模型", "保存"

    def target(self):
        return get_object_or_404(ProblemModel, pk=self.kwargs["pk"])

    def build_form(self, obj, data=None):
        return forms.RegionSettingForm(data, user=self.request.user)

    def perform(self, obj, form):
        row = set_region_setting(obj, self.request.user, **form.cleaned_data)
        return f"已保存：{row}", obj.get_absolute_url()


class ActionListView(ObjectListView):
    model = SupervisionAction
    title = "督办与监督文书"
    filterset_class = SupervisionActionFilterSet
    select_related = ("agency",)
    create_url_name = "supervision:action_new"
    columns = [("事由", "title"), ("种类", "kind"), ("文号", "number"), ("执法主体", "agency.name"),
               ("答复期限", "reply_due_on"), ("状态", "status")]


class ActionNewView(ServiceActionView):
    """签发督办、监督意见书、纠错通知书或督查函；``?case=`` 或 ``?alert=`` 指定督办对象，
    ``?alerts=1,2`` 列明问题。"""

    area, action, title, submit_label = "alerts", "change", "签发监督措施", "签发并生成文书"

    def _targets(self):
        user, params = self.request.user, self.request.GET
        target = None
        if params.get("case", "").isdigit():
            target = get_object_or_404(Case.objects.restrict(user), pk=params["case"])
        elif params.get("alert", "").isdigit():
            target = get_object_or_404(Alert.objects.restrict(user), pk=params["alert"])
        ids = [int(x) for x in params.get("alerts", "").split(",") if x.isdigit()]
        return target, list(Alert.objects.restrict(user).filter(pk__in=ids))

    def target(self):
        return None

    def back_url(self, obj):
        return reverse("supervision:action_list")

    def build_form(self, obj, data=None):
        target, alerts = self._targets()
        initial = {}
        if target is not None:
            initial = {"kind": act.SUPERVISE, "agency": target.agency_id, "title": f"督办：{target}"}
        elif alerts:
            initial = {"kind": act.LETTER, "agency": alerts[0].agency_id, "title": "执法问题督查",
                       "findings": "；".join(x.summary for x in alerts)}
        return forms.ActionForm(data, initial=initial, user=self.request.user)

    def perform(self, obj, form):
        target, alerts = self._targets()
        action = services.issue(self.request.user, target=target, alerts=alerts, **form.cleaned_data)
        return f"已签发{action}。", action.get_absolute_url()


class ActionDetailView(ObjectDetailView):
    model = SupervisionAction
    template_name = "supervision/alerts_action_detail.html"
    fields = [("种类", "kind"), ("文号", "number"), ("监督机关", "issuer_name"), ("被监督执法主体", "agency.name"),
              ("督办对象", "target"), ("事由", "title"), ("发现的问题", "findings"), ("监督意见和要求", "requirements"),
              ("答复期限", "reply_due_on"), ("状态", "status"), ("答复内容", "reply")]

    def get_extra_context(self, obj):
        user = self.request.user
        return {"events": events_for(obj.stream_key), "alerts_listed": obj.alerts.select_related("problem_model"),
                "can_reply": user.has_capability("alerts", "answer") and obj.status == act.ISSUED,
                "can_close": user.has_capability("alerts", "change") and obj.status != act.CLOSED}


class ActionReplyView(ServiceActionView):
    area, action, title, submit_label = "alerts", "answer", "书面答复", "提交答复"

    def target(self):
        return get_object_or_404(SupervisionAction.objects.restrict(self.request.user), pk=self.kwargs["pk"])

    def build_form(self, obj, data=None):
        return forms.ReplyForm(data, self.request.FILES if data is not None else None)

    def perform(self, obj, form):
        upload = form.cleaned_data.get("file")
        files = [store_file(upload, upload.name)] if upload else []
        services.reply(obj, self.request.user, text=form.cleaned_data["reply"], files=files)
        return "已提交答复。", obj.get_absolute_url()


class ActionCloseView(ServiceActionView):
    area, action, title, submit_label = "alerts", "change", "办结监督事项", "办结"

    def target(self):
        return get_object_or_404(SupervisionAction.objects.restrict(self.request.user, "change"), pk=self.kwargs["pk"])

    def build_form(self, obj, data=None):
        return forms.NoteForm(data)

    def perform(self, obj, form):
        services.close(obj, self.request.user, **form.cleaned_data)
        return "已办结。", obj.get_absolute_url()


class InboxView(ObjectListView):
    """The agency's workspace: alerts, supervision actions and listed problems addressed to it."""

    area = "alerts"
    model = Alert
    template_name = "supervision/alerts_inbox.html"
    columns = []

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not user.has_capability("alerts", "answer") and not user.has_capability("alerts", "change"):
            raise PermissionDenied("您的角色没有此项操作权限。")
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            title="执法监督待办",
            inbox_alerts=Alert.objects.restrict(user).filter(status__in=(a.ASSIGNED, a.RECTIFYING))
            .select_related("problem_model", "agency").order_by("reply_due_on", "rectify_due_on")[:200],
            inbox_actions=SupervisionAction.objects.restrict(user).filter(status=act.ISSUED).select_related("agency")[:200],
            inbox_items=ProblemItem.objects.restrict(user).exclude(status=ProblemItem.DONE)
            .select_related("problem_list", "agency")[:200],
        )
        return ctx


class ProblemListListView(ObjectListView):
    """突出问题清单: each list with its rectification completion rate (counted in the list query)."""

    model = ProblemList
    title = "突出问题清单"
    select_related = ("region",)
    create_url_name = "supervision:problem_list_new"
    columns = [("清单名称", "title"), ("区域", "region.name"), ("建立日期", "created_on"),
               ("问题数", "items_total"),
               ("整改完成率", lambda o: f"{services.completion_rate(o.items_done, o.items_total)}%（目标{o.target_rate}%）")]

    def get_queryset(self):
        return super().get_queryset().annotate(
            items_total=Count("items"), items_done=Count("items", filter=Q(items__status=ProblemItem.DONE))
        ).order_by("-created_on", "-id")


class ProblemListDetailView(ObjectDetailView):
    model = ProblemList
    template_name = "supervision/alerts_problem_list.html"
    fields = [("区域", "region.name"), ("专项监督", "campaign"), ("建立日期", "created_on"),
              ("整改完成率目标（%）", "target_rate")]

    def get_extra_context(self, obj):
        user = self.request.user
        return {"completion": services.completion(obj),
                "items": ProblemItem.objects.restrict(user).filter(problem_list=obj).select_related("agency"),
                "can_change": user.has_capability("alerts", "change")
                and ProblemList.objects.restrict(user, "change").filter(pk=obj.pk).exists(),
                "can_answer": user.has_capability("alerts", "answer")}


class ProblemListNewView(ServiceActionView):
    """建立突出问题清单 (supervisor); ``?campaign=`` preselects the campaign it belongs to."""

    area, action, title, submit_label = "alerts", "change", "建立突出问题清单", "建立清单"

    def target(self):
        return None

    def back_url(self, obj):
        return reverse("supervision:problem_list_list")

    def build_form(self, obj, data=None):
        initial = {"campaign": self.request.GET.get("campaign")} if self.request.GET.get("campaign", "").isdigit() else {}
        if self.request.user.region_id:
            initial["region"] = self.request.user.region_id
        return forms.ProblemListForm(data, user=self.request.user, initial=initial)

    def perform(self, obj, form):
        problem_list = services.create_problem_list(self.request.user, **form.cleaned_data)
        return f"已建立：{problem_list}", problem_list.get_absolute_url()


class ProblemItemNewView(ServiceActionView):
    area, action, title, submit_label = "alerts", "change", "列入问题", "列入清单"

    def target(self):
        return get_object_or_404(ProblemList.objects.restrict(self.request.user, "change").select_related("region"),
                                 pk=self.kwargs["pk"])

    def page_title(self, obj):
        return f"列入问题：{obj}"

    def build_form(self, obj, data=None):
        return forms.ProblemItemForm(data, user=self.request.user, problem_list=obj)

    def perform(self, obj, form):
        services.add_problem(obj, self.request.user, **form.cleaned_data)
        return "已列入清单。", obj.get_absolute_url()


class ProblemItemReportView(ServiceActionView):
    """The responsible agency reports its rectification (报告整改进展)."""

    area, action, title, submit_label = "alerts", "answer", "报告整改进展", "提交"

    def target(self):
        return get_object_or_404(ProblemItem.objects.restrict(self.request.user).select_related("problem_list"),
                                 pk=self.kwargs["pk"])

    def page_title(self, obj):
        self.intro = f"整改措施：{obj.measure}；整改期限：{obj.due_on:%Y年%-m月%-d日}。"
        return f"报告整改进展：{obj.description[:40]}"

    def back_url(self, obj):
        return reverse("supervision:inbox")


    def build_form(self, obj, data=None):
        return forms.ProgressForm(data, initial={"progress": obj.progress})

    def perform(self, obj, form):
        services.report_problem(obj, self.request.user, **form.cleaned_data)
        return "已报告整改进展，待监督机关核验。", reverse("supervision:inbox")


class ProblemItemVerifyView(ServiceActionView):
    """The supervisor verifies a reported rectification (核验)."""

    area, action, title, submit_label = "alerts", "change", "核验整改", "提交核验结论"

    def target(self):
        return get_object_or_404(ProblemItem.objects.restrict(self.request.user, "change").select_related("problem_list"),
                                 pk=self.kwargs["pk"])

    def page_title(self, obj):
        self.intro = f"报告的整改进展：{obj.progress or '（未填写）'}"
        return f"核验整改：{obj.description[:40]}"

    def back_url(self, obj):
        return obj.problem_list.get_absolute_url()


    def build_form(self, obj, data=None):
        return forms.VerifyForm(data)

    def perform(self, obj, form):
        item = services.verify_problem(obj, self.request.user, **form.cleaned_data)
        return ("核验通过，计入完成率。" if item.status == ProblemItem.DONE else "已退回继续整改。"), \
            obj.problem_list.get_absolute_url()


class CampaignListView(ObjectListView):
    model = Campaign
    title = "专项监督"
    select_related = ("region",)
    create_url_name = "supervision:campaign_new"
    columns = [("名称", "title"), ("区域", "region.name"), ("开始", "starts_on"), ("结束", "ends_on")]


class CampaignDetailView(ObjectDetailView):
    model = Campaign
    template_name = "supervision/alerts_campaign.html"
    fields = [("区域", "region.name"), ("工作内容", "description"), ("开始日期", "starts_on"), ("结束日期", "ends_on")]

    def get_extra_context(self, obj):
        user = self.request.user
        return {"members": services.campaign_members(obj),
                "can_change": user.has_capability("alerts", "change")
                and Campaign.objects.restrict(user, "change").filter(pk=obj.pk).exists()}


class CampaignNewView(ServiceActionView):
    area, action, title, submit_label = "alerts", "change", "开展专项监督", "建立专项监督"

    def target(self):
        return None

    def back_url(self, obj):
        return reverse("supervision:campaign_list")

    def build_form(self, obj, data=None):
        initial = {"region": self.request.user.region_id} if self.request.user.region_id else {}
        return forms.CampaignForm(data, user=self.request.user, initial=initial)

    def perform(self, obj, form):
        campaign = services.create_campaign(self.request.user, **form.cleaned_data)
        return f"已建立专项监督：{campaign}", campaign.get_absolute_url()


class CampaignLinkView(ServiceActionView):
    """归集事项: group an alert, a supervision action, a problem list or an evaluation plan."""

    area, action, title, submit_label = "alerts", "change", "归集事项", "归集"

    def target(self):
        return get_object_or_404(Campaign.objects.restrict(self.request.user, "change"), pk=self.kwargs["pk"])

    def page_title(self, obj):
        return f"归集事项：{obj}"

    def build_form(self, obj, data=None):
        return forms.CampaignLinkForm(data)

    def perform(self, obj, form):
        from .models import EvaluationPlan

        model = {"alert": Alert, "action": SupervisionAction, "problem_list": ProblemList,
                 "evaluation_plan": EvaluationPlan}[form.cleaned_data["kind"]]
        target = model.objects.restrict(self.request.user).filter(pk=form.cleaned_data["number"]).first()
        if target is None:
            raise ValidationError({"number": "没有这个编号的事项，或不在您的监督范围内。"})
        services.link(obj, self.request.user, target)
        return f"已归集：{target}", obj.get_absolute_url()
