"""Web pages of the item catalog, discretion benchmarks and the four lists.

Thin: rows are reached through ``restrict``; rules live in ``services`` and the models.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone

from zhifa.core.scoping import ensure_in_scope
from zhifa.core.views import ObjectDetailView, ObjectEditView, ObjectListView

from . import services
from .filters import BenchmarkFilterSet, ItemFilterSet, SpecialListFilterSet
from .forms import (
    BenchmarkForm,
    DelegationForm,
    FormSaveError,
    ItemCreateForm,
    ItemReviseForm,
    SpecialListEntryForm,
    TierFormSet,
)
from .models import Benchmark, BenchmarkTier, Delegation, Item, SpecialListEntry


class ServiceEditView(ObjectEditView):
    """An edit view whose form saves through a service and reports rule violations on the form.

    ``?item=<id>`` pre-selects the item when creating a row that belongs to one.
    """

    def get_form(self, obj):
        data = self.request.POST if self.request.method == "POST" else None
        files = self.request.FILES if self.request.method == "POST" else None
        kwargs = {"instance": obj, "user": self.request.user}
        if obj is None and self.request.GET.get("item", "").isdigit():
            kwargs["initial"] = {"item": int(self.request.GET["item"])}
        return self.form_class(data, files, **kwargs)

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj)
        if form.is_valid():
            try:
                saved = self.save_form(form)
            except FormSaveError:
                pass
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, f"已保存：{saved}")
                return redirect(saved.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, object=obj))


# -- items -------------------------------------------------------------------------

class ItemListView(ObjectListView):
    model = Item
    filterset_class = ItemFilterSet
    select_related = ("agency", "field")
    columns = [
        ("事项编码", "code"), ("事项名称", "name"), ("事项类型", "kind"), ("执法领域", "field.name"),
        ("实施主体", "agency.name"), ("状态", "status"),
    ]
    create_url_name = "catalog:item_create"
    import_key = "items"


class ItemDetailView(ObjectDetailView):
    model = Item
    template_name = "catalog/item_detail.html"
    fields = [
        ("事项编码", "code"), ("事项名称", "name"), ("事项类型", "kind"), ("执法领域", "field"),
        ("实施主体", "agency"), ("状态", "status"), ("状态变更日期", "status_since"),
    ]
    edit_url_name = "catalog:item_revise"

    def get_extra_context(self, obj):
        user = self.request.user
        today = timezone.localdate()
        benchmarks = list(
            Benchmark.objects.restrict(user).filter(item=obj).prefetch_related("tiers").order_by("-version")
        )
        current_benchmark = next((b for b in benchmarks if b.valid_from <= today and
                                  (b.valid_to is None or b.valid_to >= today)), None)
        versions = list(obj.versions.order_by("-number"))
        return {
            "versions": versions,
            "version_today": next((v for v in versions if v.valid_from <= today and
                                   (v.valid_to is None or v.valid_to >= today)), None),
            "current": next((v for v in versions if v.valid_to is None), None),
            "delegations": Delegation.objects.restrict(user).filter(item=obj).select_related("agency"),
            "benchmarks": benchmarks,
            "current_benchmark": current_benchmark,
            "special_entries": SpecialListEntry.objects.restrict(user).filter(item=obj).order_by("list_kind", "id"),
            "today": today,
        }


class ItemCreateView(ServiceEditView):
    model = Item
    form_class = ItemCreateForm

    def get_form(self, obj):
        data = self.request.POST if self.request.method == "POST" else None
        return self.form_class(data, user=self.request.user)


class ItemReviseView(ServiceEditView):
    model = Item
    form_class = ItemReviseForm
    template_name = "catalog/item_revise.html"

    def get_form(self, obj):
        data = self.request.POST if self.request.method == "POST" else None
        return self.form_class(data, instance=obj, user=self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = kwargs.get("object")
        ctx["title"] = f"修订执法事项：{obj}"
        ctx["current"] = obj.current_version if obj else None
        return ctx


# -- delegations --------------------------------------------------------------------

class DelegationEditView(ServiceEditView):
    model = Delegation
    form_class = DelegationForm


# -- benchmarks ---------------------------------------------------------------------

class BenchmarkListView(ObjectListView):
    model = Benchmark
    filterset_class = BenchmarkFilterSet
    select_related = ("item__agency",)
    columns = [
        ("执法事项", "item.name"), ("事项编码", "item.code"), ("基准版本", "version"), ("生效日期", "valid_from"),
        ("失效日期", "valid_to"), ("复审日期", "review_due"), ("发布文件", "document"), ("实施主体", "item.agency.name"),
    ]
    create_url_name = "catalog:benchmark_create"
    import_key = "benchmarks"


class BenchmarkDetailView(ObjectDetailView):
    model = Benchmark
    template_name = "catalog/benchmark_detail.html"
    fields = [
        ("执法事项", "item"), ("基准版本", "version"), ("生效日期", "valid_from"), ("失效日期", "valid_to"),
        ("复审日期", "review_due"), ("发布文件", "document"), ("法定罚款下限（元）", "statutory_min"),
        ("法定罚款上限（元）", "statutory_max"), ("说明", "note"),
    ]
    edit_url_name = "catalog:benchmark_edit"

    def get_extra_context(self, obj):
        bands = None
        if obj.statutory_max is not None:
            labels = dict(services.choices.OUTCOME_CHOICES)
            bands = [(labels[k], lo, hi) for k, (lo, hi) in
                     services.band_fine(obj.statutory_min, obj.statutory_max).items()]
        return {"tiers": BenchmarkTier.objects.filter(benchmark=obj).order_by("position", "id"), "bands": bands}


class BenchmarkEditView(ServiceEditView):
    """Create (a new version) or correct a benchmark, its tiers edited in an inline formset."""

    model = Benchmark
    form_class = BenchmarkForm
    template_name = "catalog/benchmark_edit.html"

    def get_formset(self, form, obj):
        data = self.request.POST if self.request.method == "POST" else None
        return TierFormSet(data, instance=form.instance if obj is None else obj, prefix="tiers")

    def get(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj)
        return self.render_to_response(
            self.get_context_data(form=form, formset=self.get_formset(form, obj), object=obj)
        )

    def post(self, request, *args, **kwargs):
        obj = self.get_object()
        form = self.get_form(obj)
        formset = self.get_formset(form, obj)
        form_ok = form.is_valid()
        if form_ok and formset.is_valid():
            try:
                saved = self.save_all(form, formset, obj)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for key, msgs in exc.message_dict.items():
                        form.add_error(key if key in form.fields else None, msgs)
                else:
                    form.add_error(None, exc.messages)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"已保存：{saved}")
                return redirect(saved.get_absolute_url())
        return self.render_to_response(self.get_context_data(form=form, formset=formset, object=obj))

    def save_all(self, form, formset, obj):
        user = self.request.user
        if obj is None:
            data = {k: form.cleaned_data[k] for k in
                    ("valid_from", "review_due", "document", "statutory_min", "statutory_max", "note")}
            tiers = formset.tier_instances()
            if not tiers:
                if not form.cleaned_data.get("auto_band"):
                    raise ValidationError("请填写裁量档次，或勾选“按法定罚款幅度自动分档”。")
                tiers = services.banded_tiers(
                    data["statutory_min"], data["statutory_max"], grave_kinds=form.cleaned_data.get("grave_kinds") or ()
                )
            return services.issue_benchmark(form.cleaned_data["item"], data, tiers, actor=user)
        with transaction.atomic():
            saved = form.save()
            formset.save()
            for position, tier in enumerate(
                sorted(saved.tiers.all(), key=lambda t: services.choices.LEVEL_ORDER[t.level]), start=1
            ):
                if tier.position != position:
                    tier.position = position
                    tier.save(update_fields=["position"])
            ensure_in_scope(saved, user)
        return saved

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if kwargs.get("object") is None:
            ctx["title"] = "发布裁量基准（新版本）"
        return ctx


# -- the four lists -----------------------------------------------------------------

class SpecialListView(ObjectListView):
    model = SpecialListEntry
    filterset_class = SpecialListFilterSet
    select_related = ("item__agency",)
    columns = [
        ("执法事项", "item.name"), ("清单类型", "list_kind"), ("适用条件", "conditions_display"),
        ("生效日期", "valid_from"), ("复审日期", "review_due"), ("实施主体", "item.agency.name"),
    ]
    title = "四张清单与免罚轻罚清单"
    create_url_name = "catalog:special_create"
    import_key = "special_lists"


class SpecialListDetailView(ObjectDetailView):
    model = SpecialListEntry
    fields = [
        ("清单类型", "list_kind"), ("执法事项", "item"), ("违法情形", "circumstances"),
        ("适用条件", "conditions_display"), ("法律依据", "legal_basis"), ("发布文件", "document"),
        ("生效日期", "valid_from"), ("失效日期", "valid_to"), ("复审日期", "review_due"),
        ("最近复审日期", "reviewed_on"),
    ]
    edit_url_name = "catalog:special_edit"


class SpecialListEditView(ServiceEditView):
    model = SpecialListEntry
    form_class = SpecialListEntryForm

