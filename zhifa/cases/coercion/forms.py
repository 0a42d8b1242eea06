"""Web forms of 行政强制: parse what the user types, nothing else — every rule is in
``coercion.services`` (the API calls the same functions)."""

from django import forms
from django.core.exceptions import ValidationError

from zhifa.core import clock

from ..forms import DateInput, DateTimeInput, RecordingChoiceMixin, local_now_minutes
from . import models as cm

INVENTORY_HELP = "每行一项：名称｜规格｜数量｜单位｜备注（规格、单位、备注可以留空），如“速冻水饺｜1千克/袋｜12｜袋｜冷库”。"


def parse_inventory(text: str) -> list[dict]:
    """The 清单 typed one item a line, columns separated by ｜ or |."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.replace("|", "｜").split("｜")]
        if len(cells) < 3 or not cells[0] or not cells[2]:
            raise ValidationError(f"清单第{number}行应为“名称｜规格｜数量｜单位｜备注”，名称和数量不能为空。")
        cells += [""] * (5 - len(cells))
        rows.append(dict(zip(("name", "spec", "quantity", "unit", "note"), cells[:5], strict=True)))
    return rows


class _OfficersMixin:
    def setup_officers(self, case):
        field = self.fields["officers"]
        field.queryset = _case_officers(case)
        field.label_from_instance = lambda o: o.name
        self.initial.setdefault("officers", list(field.queryset.values_list("pk", flat=True)[:2]))


def _case_officers(case):
    from zhifa.people.models import Officer

    return Officer.objects.filter(pk__in=case.assignments.values("officer")).order_by("name")


class StartMeasureForm(_OfficersMixin, RecordingChoiceMixin, forms.Form):
    """申请实施 or, when urgent, 当场实施 a measure."""

    kind = forms.ChoiceField(label="措施", choices=[c for c in cm.KIND_CHOICES if c[0] != cm.DEMOLITION])
    emergency = forms.BooleanField(label="情况紧急，当场实施（二十四小时内报机关负责人补办批准）", required=False)
    reasons = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))
    basis = forms.CharField(label="依据", max_length=300, help_text="法律、法规的条款，如《中华人民共和国食品安全法》第一百一十条第（四）项")
    place = forms.CharField(label="实施地点", max_length=200, required=False)
    inventory = forms.CharField(label="查封、扣押清单", widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                help_text=INVENTORY_HELP)
    started_at = forms.DateTimeField(label="实施时间（当场实施时填写）", widget=DateTimeInput(), required=False)
    officers = forms.ModelMultipleChoiceField(label="实施的执法人员（两名以上）", queryset=None, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    recording = forms.ModelChoiceField(label="全程音像记录", queryset=None, required=False, empty_label="请选择",
                                       help_text="当场实施查封、扣押必须全程音像记录，请先上传录像。")

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_recording(case)
        self.setup_officers(case)
        self.initial.setdefault("place", case.place)
        self.initial.setdefault("started_at", local_now_minutes())

    def clean_inventory(self):
        return parse_inventory(self.cleaned_data["inventory"])


class OpinionForm(forms.Form):
    opinion = forms.CharField(label="负责人意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RequiredOpinionForm(forms.Form):
    opinion = forms.CharField(label="不予批准的理由", widget=forms.Textarea(attrs={"rows": 3}))


class ExecuteForm(_OfficersMixin, RecordingChoiceMixin, forms.Form):
    started_at = forms.DateTimeField(label="实施时间", widget=DateTimeInput())
    place = forms.CharField(label="实施地点", max_length=200, required=False)
    inventory = forms.CharField(label="查封、扣押清单", widget=forms.Textarea(attrs={"rows": 4}), help_text=INVENTORY_HELP)
    officers = forms.ModelMultipleChoiceField(label="实施的执法人员（两名以上）", queryset=None, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    recording = forms.ModelChoiceField(label="全程音像记录", queryset=None, required=False, empty_label="请选择")

    def __init__(self, *args, case, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_recording(case)
        self.setup_officers(case)
        self.initial.setdefault("started_at", local_now_minutes())
        self.initial.setdefault("place", measure.place)
        self.initial.setdefault("inventory", "\n".join("｜".join(r.get(k, "") for k in ("name", "spec", "quantity", "unit", "note"))
                                                       for r in measure.inventory or []))

    def clean_inventory(self):
        return parse_inventory(self.cleaned_data["inventory"])


class ExtendForm(forms.Form):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=30, help_text="不超过三十日，以一次为限")
    reasons = forms.CharField(label="延长的理由（情况复杂的具体情形）", widget=forms.Textarea(attrs={"rows": 3}))


class StartTestingForm(forms.Form):
    testing_kind = forms.ChoiceField(label="种类", choices=cm.TESTING_KIND_CHOICES)
    institution = forms.CharField(label="检测、鉴定机构", max_length=200)
    started_on = forms.DateField(label="送检日期", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("started_on", clock.today())


class EndTestingForm(forms.Form):
    ended_on = forms.DateField(label="结果送达日期", widget=DateInput())
    result = forms.CharField(label="结果", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("ended_on", clock.today())


class ReleaseForm(forms.Form):
    reason = forms.ChoiceField(label="解除的情形", choices=[c for c in cm.RELEASE_REASON_CHOICES if c[0] != "not_approved"])
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DisposeForm(forms.Form):
    end_kind = forms.ChoiceField(label="处理", choices=[c for c in cm.END_CHOICES if c[0] != cm.RELEASE])
    note = forms.CharField(label="处理的事实和依据", widget=forms.Textarea(attrs={"rows": 3}))
    transferred_to = forms.CharField(label="接收移送的机关（移送时填写）", max_length=100, required=False)


MEASURE_FORMS = {
    "approve": OpinionForm, "confirm": OpinionForm, "refuse": RequiredOpinionForm, "disapprove": RequiredOpinionForm,
    "execute": ExecuteForm, "extend": ExtendForm, "start_testing": StartTestingForm, "end_testing": EndTestingForm,
    "release": ReleaseForm, "dispose": DisposeForm,
}


class StartEnforcementForm(forms.Form):
    served_on = forms.DateField(label="催告书送达日期", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("served_on", clock.today())


class EnforcementStatementForm(forms.Form):
    statement = forms.CharField(label="当事人陈述、申辩", widget=forms.Textarea(attrs={"rows": 3}))
    statement_on = forms.DateField(label="日期", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("statement_on", clock.today())


class EnforcementReviewForm(forms.Form):
    review = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 3}))
    accepted = forms.TypedChoiceField(label="是否采纳", choices=[("1", "采纳"), ("0", "不予采纳")],
                                      coerce=lambda v: v == "1")


class EnforcementDecideForm(forms.Form):
    means = forms.CharField(label="强制执行方式", max_length=200, help_text="如“划拨存款”“拍卖依法查封、扣押的场所、设施或者财物”")


class CourtApplicationForm(forms.Form):
    court = forms.CharField(label="申请执行的人民法院", max_length=100)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            self.initial.setdefault("court", case.agency.court)


ENFORCEMENT_FORMS = {
    "statement": EnforcementStatementForm, "review": EnforcementReviewForm, "decide": EnforcementDecideForm,
    "apply_court": CourtApplicationForm,
}
