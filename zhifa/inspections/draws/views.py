"""Staff pages of 双随机 (INS-1, INS-2): the list, the inspector register, conflict declarations, annual
plans and draws. Every page reaches rows through ``restrict``; every change calls ``services``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from zhifa.core.pagination import CappedPaginator
from zhifa.core.scoping import get_in_scope
from zhifa.core.views import (
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    ServiceActionView,
    add_validation_error,
)
from zhifa.inspections.models import (
    ConflictDeclaration,
    Draw,
    DrawPairing,
    InspectionListEntry,
    InspectionPlan,
    InspectorEntry,
)

from . import forms, services


class ServiceEditView(ObjectEditView):
    """An edit page whose save is one service call; its ValidationError goes back onto the form."""

    service = None

    def save_form(self, form):
        return type(self).service(form.instance, self.request.user)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj)
        if form.is_valid():
            try:
                saved = self.save_form(form)
            except ValidationError as exc:
                add_validation_error(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已保存：{saved}")
                return redirect(saved.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, object=obj))


# -- 随机抽查事项清单 ---------------------------------------------------------------------------------

class EntryListView(ObjectListView):
    model = InspectionListEntry
    title = "随机抽查事项清单"
    columns = [("检查事项", "item"), ("检查主体", "agency.name"), ("检查对象", "target_kind"),
               ("抽查比例", "ratio_display"), ("频次", "frequency"), ("方式", "method"), ("状态", "status")]
    select_related = ("agency", "item")
    create_url_name = "inspections:draws_entry_create"


class EntryDetailView(ObjectDetailView):
    model = InspectionListEntry
    template_name = "inspections/draws/entry_detail.html"
    edit_url_name = "inspections:draws_entry_edit"
    fields = [("检查主体", "agency"), ("检查事项", "item"), ("检查依据", "legal_basis"), ("检查对象类型", "target_kind"),
              ("检查对象范围", "population_rule"), ("抽查比例", "ratio_display"), ("抽查频次", "frequency"),
              ("检查方式", "method"), ("检查类别", "inspection_kind"), ("公布状态", "status"), ("公布日期", "published_on")]

    def get_extra_context(self, obj):
        return {"reasons": services.inspectable_reasons(obj)}


class EntryEditView(ServiceEditView):
    model = InspectionListEntry
    form_class = forms.EntryForm
    service = services.save_entry


class EntryActionView(ServiceActionView):
    """Publish or withdraw an entry."""

    area = "draws"
    verb = ""

    def target(self):
        return get_in_scope(InspectionListEntry.objects, self.request.user, "change", pk=self.kwargs["pk"])

    def build_form(self, obj, data=None):
        return forms.ConfirmForm(data)

    def page_title(self, obj):
        return f"{'公布' if self.verb == 'publish' else '撤回'}抽查事项：{obj}"

    def perform(self, obj, form):
        if self.verb == "publish":
            services.publish_entry(obj, self.request.user)
            return "已公布到门户的随机抽查事项清单。", obj.get_absolute_url()
        services.withdraw_entry(obj, self.request.user)
        return "已撤回：该事项不能再被抽取或检查。", obj.get_absolute_url()


# -- 执法检查人员名录 / 回避关系 -------------------------------------------------------------------------

class InspectorListView(ObjectListView):
    model = InspectorEntry
    title = "执法检查人员名录"
    columns = [("执法人员", "officer.name"), ("所属检查主体", "agency.name"), ("户籍或居住乡镇", "home_region"),
               ("在册", lambda o: "是" if o.is_active else "否"), ("备注", "note")]
    select_related = ("agency", "officer", "home_region")
    create_url_name = "inspections:draws_inspector_create"


class InspectorEditView(ServiceEditView):
    model = InspectorEntry
    form_class = forms.InspectorForm
    service = services.register_inspector


class ConflictListView(ObjectListView):
    model = ConflictDeclaration
    title = "回避关系申报"
    columns = [("执法人员", "officer.name"), ("检查对象", "party.name"), ("关系", "relation"),
               ("申报日期", "declared_on"), ("有效期至", "valid_until")]
    select_related = ("officer", "party")
    create_url_name = "inspections:draws_conflict_create"


class ConflictEditView(ServiceEditView):
    model = ConflictDeclaration
    form_class = forms.ConflictForm
    service = services.declare_conflict


# -- 年度抽查计划 -------------------------------------------------------------------------------------

class PlanListView(ObjectListView):
    model = InspectionPlan
    title = "年度抽查计划"
    columns = [("计划", str), ("牵头单位", "agency.name"), ("检查类别", "kind"), ("状态", "status")]
    select_related = ("agency",)
    create_url_name = "inspections:draws_plan_create"


class PlanDetailView(ObjectDetailView):
    model = InspectionPlan
    template_name = "inspections/draws/plan_detail.html"
    edit_url_name = "inspections:draws_plan_edit"
    fields = [("年度", "year"), ("牵头单位", "agency"), ("检查类别", "kind"), ("抽查比例", "ratios_display"),
              ("回避期（天）", "repeat_days"), ("说明", "note"), ("公布状态", "status"), ("公布日期", "published_on")]

    def get_extra_context(self, obj):
        return {
            "participants": obj.participants.all(),
            "items": obj.plan_items.select_related("entry__item", "entry__agency"),
            "draws": Draw.objects.restrict(self.request.user).filter(plan=obj).order_by("-draw_date", "-id")[:50],
            "edit_url_name": self.edit_url_name if obj.status == "draft" else "",
        }


class PlanEditView(ServiceEditView):
    model = InspectionPlan
    form_class = forms.PlanForm

    def save_form(self, form):
        return services.save_plan(form.instance, self.request.user, participants=form.cleaned_data["participants"])


class PlanActionView(ServiceActionView):
    """Add an item to a plan, publish it, or prepare a draw under it."""

    area = "draws"
    verb = ""

    def target(self):
        return get_in_scope(InspectionPlan.objects, self.request.user, "change", pk=self.kwargs["pk"])

    def build_form(self, obj, data=None):
        if self.verb == "item":
            return forms.PlanItemForm(data, plan=obj)
        if self.verb == "draw":
            return forms.DrawForm(data, plan=obj)
        return forms.ConfirmForm(data)

    def page_title(self, obj):
        return {"item": "增加抽查事项", "draw": "组织抽取", "publish": "公布计划"}[self.verb] + f"：{obj}"

    def perform(self, obj, form):
        user, data = self.request.user, form.cleaned_data
        if self.verb == "item":
            services.add_plan_item(obj, data["entry"], user, quarter=data["quarter"], note=data["note"])
            return "已增加抽查事项。", obj.get_absolute_url()
        if self.verb == "draw":
            draw = services.create_draw(obj, user, number=data["number"], title=data["title"], entries=data["entries"],
                                        draw_date=data["draw_date"], region=data["region"],
                                        inspectors_per_target=data["inspectors_per_target"])
            return "已创建抽取，请核对后冻结并公布输入数据。", draw.get_absolute_url()
        services.publish_plan(obj, user)
        return "计划已公布到门户。", obj.get_absolute_url()


# -- 双随机抽取 ---------------------------------------------------------------------------------------

class DrawListView(ObjectListView):
    model = Draw
    title = "双随机抽取"
    columns = [("抽取", str), ("组织单位", "agency.name"), ("抽取日期", "draw_date"), ("状态", "status"),
               ("检查对象", "target_count"), ("抽中", "selected_count")]
    select_related = ("agency",)


class DrawDetailView(ObjectDetailView):
    model = Draw
    template_name = "inspections/draws/draw_detail.html"
    fields = [("年度抽查计划", "plan"), ("组织单位", "agency"), ("检查对象所在区域", "region"), ("抽取日期", "draw_date"),
              ("抽查比例", "ratios_display"), ("每个对象检查人员数", "inspectors_per_target"), ("状态", "status"),
              ("输入数据摘要（SHA-256）", "inputs_sha256"), ("密钥承诺值（SHA-256）", "commitment"),
              ("检查对象 / 检查人员", lambda d: f"{d.target_count} / {d.inspector_count}" if d.frozen_at else None),
              ("随机种子", "seed"), ("结果摘要（SHA-256）", "result_sha256"), ("抽中对象", "selected_count"),
              ("检查人员不足的组", "incomplete_teams")]

    def get_extra_context(self, obj):
        pairings = (DrawPairing.objects.restrict(self.request.user).filter(draw=obj)
                    .select_related("party", "agency", "inspector_1", "inspector_2").prefetch_related("items")
                    .order_by("draw_id", "id"))
        can_change = Draw.objects.restrict(self.request.user, "change").filter(pk=obj.pk).exists()
        return {
            "entries": obj.entries.select_related("agency", "item"),
            "witnesses": obj.witnesses.order_by("position"),
            "page": CappedPaginator(pairings, 50).get_page(self.request.GET.get("page")),
            "can_act": can_change,
            "public_url": reverse("draws_public:draw_detail", args=[obj.pk]) if obj.is_public else "",
        }


class DrawActionView(ServiceActionView):
    """Freeze, enter a witness value or the lottery result, or complete a draw."""

    area = "draws"
    verb = ""
    intros = {
        "tasks": ("为每个抽中对象生成一次行政检查（联合抽取合并为一次联合检查，一张检查表），检查人员和事项取自抽取结果；"
                  "检查人员未配齐或不符合检查条件的对象列出原因，需另行安排。重复生成只补生成缺少的。"),
        "freeze": "冻结后，检查对象名单、检查人员名单、回避排除项及其摘要和操作员密钥的承诺值立即在门户公布，不能再修改。",
        "witness": "见证人当场给出的随机值，在冻结公布之后录入；按录入顺序进入随机种子。",
        "lottery": "开奖日期须在冻结公布之后的公开开奖结果（如福利彩票），进入随机种子。",
        "complete": "开奖：揭示操作员密钥，计算随机种子并按公开算法抽取，结果立即公布。",
    }

    def target(self):
        return get_in_scope(Draw.objects, self.request.user, "change", pk=self.kwargs["pk"])

    def build_form(self, obj, data=None):
        return {"witness": forms.WitnessForm, "lottery": forms.LotteryForm,
                "tasks": forms.TasksForm}.get(self.verb, forms.ConfirmForm)(data)

    def page_title(self, obj):
        return {"freeze": "冻结并公布输入数据", "witness": "录入见证人随机值", "lottery": "录入公开开奖结果",
                "complete": "开奖", "tasks": "生成检查任务"}[self.verb] + f"：{obj}"

    @property
    def intro(self):
        return self.intros[self.verb]

    def perform(self, obj, form):
        user, data = self.request.user, form.cleaned_data
        if self.verb == "freeze":
            services.freeze(obj, user)
            return "输入数据已冻结并公布。", obj.get_absolute_url()
        if self.verb == "witness":
            services.add_witness(obj, user, name=data["name"], value=data["value"])
            return "已录入见证人随机值。", obj.get_absolute_url()
        if self.verb == "lottery":
            services.set_lottery(obj, user, **data)
            return "已录入公开开奖结果。", obj.get_absolute_url()
        if self.verb == "tasks":
            from ..draw_tasks import create_inspections_from_draw

            result = create_inspections_from_draw(obj, user, planned_on=data["planned_on"])
            text = f"已生成检查任务 {len(result.created)} 个"
            if result.existing:
                text += f"，此前已生成 {result.existing} 个"
            if result.skipped:
                text += "；未生成：" + "；".join(f"{target}（{reason}）" for target, reason in result.skipped[:10])
            return text + "。", obj.get_absolute_url()
        services.complete(obj, user)
        return "已开奖，结果已公布。", obj.get_absolute_url()
