"""Forms of the publicity pages (the same services back the API)."""

from django import forms

from zhifa.orgs.models import Agency
from zhifa.parties.models import Party
from zhifa.parties.widgets import party_select

from . import choices
from .models import PublicationAction

DATE = forms.DateInput(attrs={"type": "date"})


class RegisterDecisionForm(forms.Form):
    """A decision made outside the case engine (许可, 征收征用, 检查结果 …) to be published."""

    agency = forms.ModelChoiceField(label="作出决定机关", queryset=Agency.objects.none())
    kind = forms.ChoiceField(label="决定类别", choices=choices.KIND_CHOICES)
    decision_number = forms.CharField(label="决定书文号", max_length=80)
    title = forms.CharField(label="事项名称", max_length=200)
    decided_on = forms.DateField(label="决定日期", widget=DATE)
    party = forms.ModelChoiceField(label="行政相对人（已登记）", queryset=Party.objects.none(), required=False,
                                   widget=party_select())
    party_kind = forms.ChoiceField(label="相对人类别（未登记时填写）", choices=[("", "—")] + Party.KIND_CHOICES,
                                   required=False)
    party_name = forms.CharField(label="相对人名称（未登记时填写）", max_length=200, required=False)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    facts = forms.CharField(label="主要事实", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    legal_basis = forms.CharField(label="依据", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    result = forms.CharField(label="决定内容", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.restrict(user, "view")
        self.fields["party"].queryset = Party.objects.restrict(user, "view")


class RedactionsForm(forms.Form):
    redactions = forms.CharField(
        label="另行遮蔽的内容", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="商业秘密、法律禁止公开的信息、第三人个人信息等，每行一项；公示时以“***”代替。",
    )


class ReleaseForm(forms.Form):
    confirmed = forms.BooleanField(label="我已核对遮蔽后的公示内容，不含身份证号码、电话、住址等个人信息和商业秘密")


class DeclineForm(forms.Form):
    ground = forms.ChoiceField(label="不予公开理由", choices=choices.NOT_PUBLISHED_GROUND_CHOICES)
    reason = forms.CharField(label="具体说明", widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(forms.Form):
    cause = forms.ChoiceField(label="原因", choices=choices.CAUSE_CHOICES)
    action = forms.ChoiceField(label="处理方式", choices=choices.ACTION_CHOICES)
    occurred_on = forms.DateField(label="撤销、变更或确认违法的日期", widget=DATE)
    basis = forms.CharField(label="依据文书", max_length=120, required=False,
                            help_text=PublicationAction._meta.get_field("basis").help_text)
    note = forms.CharField(label="公开说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ApplyActionForm(forms.Form):
    confirmed = forms.BooleanField(label="确认办理")


class PublicSearchForm(forms.Form):
    """The portal's search of published decisions."""

    q = forms.CharField(label="关键词", required=False, max_length=100)
    agency = forms.TypedChoiceField(label="执法机关", coerce=int, required=False, empty_value=None)
    kind = forms.ChoiceField(label="类别", choices=[("", "全部类别")] + choices.KIND_CHOICES, required=False)
    since = forms.DateField(label="决定日期自", required=False, widget=DATE)
    until = forms.DateField(label="至", required=False, widget=DATE)
    min_amount = forms.DecimalField(label="罚款金额不低于（元）", required=False, min_value=0, decimal_places=2)
    max_amount = forms.DecimalField(label="不高于（元）", required=False, min_value=0, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Plain (id, name) pairs: a province has thousands of agencies, and building a model
        # instance for each option of every search page would cost more than the search.
        agencies = Agency.objects.public().order_by("tree_path").values_list("pk", "name")
        self.fields["agency"].choices = [("", "全部机关"), *agencies]

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "截止日期不能早于起始日期。")
        if data.get("min_amount") is not None and data.get("max_amount") is not None \
                and data["min_amount"] > data["max_amount"]:
            self.add_error("max_amount", "最高金额不能低于最低金额。")
        return data
