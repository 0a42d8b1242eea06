"""Forms of the catalog pages. Saving goes through ``services`` (the one place of the rules)."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet, fields_for_model, inlineformset_factory

from zhifa.core.forms import ScopedModelForm
from zhifa.orgs.models import EnforcementField

from . import choices, services
from .models import Benchmark, BenchmarkTier, Delegation, Item, ItemVersion, SpecialListEntry

VERSION_FORM_FIELDS = list(ItemVersion.CONTENT_FIELDS)


def _limit_items_to_changeable(form, user):
    if user is not None and "item" in form.fields:
        form.fields["item"].queryset = Item.objects.restrict(user, "change").select_related("agency")


def _date_widgets(form):
    for field in form.fields.values():
        if isinstance(field.widget, forms.DateInput):
            field.widget.input_type = "date"


class ItemCreateForm(ScopedModelForm):
    """新增执法事项: the item and its first version."""

    valid_from = forms.DateField(label="生效日期", widget=forms.DateInput)

    class Meta:
        model = Item
        fields = ["agency", "code", "kind", "field", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(ItemVersion, fields=VERSION_FORM_FIELDS))
        _date_widgets(self)

    def _post_clean(self):
        # The item is validated by ``services.create_item`` together with its version.
        pass

    def save(self, commit=True):
        data = self.cleaned_data
        try:
            return services.create_item(
                agency=data["agency"], code=data["code"], kind=data["kind"], field=data["field"],
                status=data["status"], valid_from=data["valid_from"],
                version={k: data.get(k) if data.get(k) is not None else _empty(k) for k in VERSION_FORM_FIELDS},
                actor=self.user,
            )
        except ValidationError as exc:
            _raise_on_form(self, exc)


def _empty(key):
    return None if key in ("article", "paragraph", "item_no") else ""


class FormSaveError(Exception):
    """Raised by a form's ``save`` after it has attached a rule violation to its fields."""


def _raise_on_form(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for key, messages in exc.message_dict.items():
            form.add_error(key if key in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)
    raise FormSaveError()


class ItemReviseForm(forms.Form):
    """修订执法事项: every save creates a new version (the current one is closed)."""

    kind = forms.ChoiceField(label="事项类型", choices=choices.ITEM_KIND_CHOICES)
    field = forms.ModelChoiceField(label="执法领域", queryset=EnforcementField.objects.all())
    status = forms.ChoiceField(label="状态", choices=choices.ITEM_STATUS_CHOICES)
    status_since = forms.DateField(label="状态变更日期", required=False, widget=forms.DateInput,
                                   help_text="暂停或取消自该日起生效。")
    valid_from = forms.DateField(label="新版本生效日期", widget=forms.DateInput)
    change_reason = forms.CharField(label="修订原因", max_length=200,
                                    help_text="例如：《中华人民共和国食品安全法》2021年4月29日修正。")

    def __init__(self, data=None, files=None, *, instance, user, **kwargs):
        self.item = instance
        self.user = user
        current = instance.current_version
        initial = {"kind": instance.kind, "field": instance.field_id, "status": instance.status,
                   "status_since": instance.status_since}
        if current is not None:
            initial.update({k: getattr(current, k) for k in VERSION_FORM_FIELDS})
        super().__init__(data, files, initial=initial, **kwargs)
        version_fields = fields_for_model(ItemVersion, fields=VERSION_FORM_FIELDS)
        reordered = dict(version_fields)
        reordered.update(self.fields)
        self.fields = reordered
        _date_widgets(self)

    def save(self):
        data = self.cleaned_data
        changes = {}
        for key in VERSION_FORM_FIELDS + ["kind", "status", "status_since"]:
            value = data.get(key)
            if value is None and key not in ("article", "paragraph", "item_no", "status_since"):
                value = ""
            changes[key] = value
        changes["field"] = data["field"]
        try:
            services.revise_item(self.item, changes, self.user, data["valid_from"], data["change_reason"])
        except ValidationError as exc:
            _raise_on_form(self, exc)
        return self.item


class DelegationForm(ScopedModelForm):
    """赋权 to a township office."""

    class Meta:
        model = Delegation
        fields = ["item", "agency", "start_date", "end_date", "document_number", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_items_to_changeable(self, self.user)
        self.fields["agency"].queryset = self.fields["agency"].queryset.filter(region__level="township")


class BenchmarkForm(ScopedModelForm):
    """裁量基准 header; a new benchmark becomes the next version of its item's benchmark."""

    auto_band = forms.BooleanField(
        label="按法定罚款幅度自动分档", required=False,
        help_text="未填写档次时，按从轻30%、一般30%–70%、从重70%以上的比例自动生成档次。",
    )
    grave_kinds = forms.MultipleChoiceField(
        label="情节严重时另加的处罚种类", required=False, choices=choices.PENALTY_KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple, help_text="仅自动分档时使用，例如 吊销许可证件。",
    )

    class Meta:
        model = Benchmark
        fields = ["item", "valid_from", "review_due", "document", "statutory_min", "statutory_max", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_items_to_changeable(self, self.user)
        if self.instance.pk:
            self.fields["item"].disabled = True
            del self.fields["auto_band"]
            del self.fields["grave_kinds"]


class TierForm(forms.ModelForm):
    """One tier row of the benchmark formset."""

    penalty_kinds = forms.MultipleChoiceField(
        label="处罚种类", required=False, choices=choices.PENALTY_KIND_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = BenchmarkTier
        fields = ["level", "description", "outcome", "penalty_kinds", "fine_min", "fine_max"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class BaseTierFormSet(BaseInlineFormSet):
    """Checks the tiers together against the (possibly edited) benchmark header."""

    def tier_instances(self):
        return [
            f.instance for f in self.forms
            if f.has_changed() or f.instance.pk
            if not (self.can_delete and self._should_delete_form(f))
        ]

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        tiers = self.tier_instances()
        if not tiers and self.instance.pk is None:
            return  # a new benchmark may be banded automatically
        try:
            services.validate_tiers(self.instance, tiers)
        except ValidationError as exc:
            raise ValidationError([m for msgs in exc.message_dict.values() for m in msgs]) from None


TierFormSet = inlineformset_factory(
    Benchmark, BenchmarkTier, form=TierForm, formset=BaseTierFormSet, extra=3, can_delete=True
)


class SpecialListEntryForm(ScopedModelForm):
    """清单条目 (四张清单、免罚轻罚清单)."""

    conditions = forms.MultipleChoiceField(
        label="适用条件", choices=choices.CONDITION_CHOICES, widget=forms.CheckboxSelectMultiple,
        help_text="案件事实全部满足所选条件时，系统提示适用本条目。",
    )

    class Meta:
        model = SpecialListEntry
        fields = [
            "list_kind", "item", "circumstances", "conditions", "legal_basis", "document",
            "valid_from", "valid_to", "review_due", "reviewed_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_items_to_changeable(self, self.user)

