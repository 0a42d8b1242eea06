"""Forms of case transfers, jurisdiction disputes and clue referrals (the rules are in services)."""

from django import forms

from zhifa.core.widgets import FastSelect
from zhifa.orgs.models import Agency

from .. import models as m


def agency_choices(exclude_id=None, within_path: str = ""):
    """Active enforcement agencies (not supervision bodies) a case may go to — any level or region,
    not only the user's subtree (a transfer goes across the tree)."""
    qs = Agency._base_manager.filter(is_active=True).exclude(kind="supervision").select_related("region")
    if within_path:
        qs = qs.filter(tree_path__startswith=within_path)
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs.order_by("tree_path", "name")


class AgencyField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.region.name}）"


class SendForm(forms.Form):
    to_agency = AgencyField(label="受移送机关", queryset=Agency.objects.none(), widget=FastSelect)
    reason = forms.CharField(label="移送理由", widget=forms.Textarea(attrs={"rows": 4}))
    legal_basis = forms.CharField(label="移送依据", max_length=300,
                                  initial="《中华人民共和国行政处罚法》第二十二条、第二十三条")
    materials = forms.CharField(label="随函移送的材料", max_length=500, required=False,
                                initial="案卷及证据材料")

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = agency_choices(case.agency_id if case else None)


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 3}))


class DisputeForm(forms.Form):
    other_agency = AgencyField(label="争议对方机关", queryset=Agency.objects.none(), widget=FastSelect)
    kind = forms.ChoiceField(label="争议类型", choices=m.DISPUTE_KIND_CHOICES, widget=forms.RadioSelect)
    statement = forms.CharField(label="争议事由及本机关意见", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other_agency"].queryset = agency_choices(case.agency_id if case else None)


class DecideDisputeForm(forms.Form):
    designated_agency = AgencyField(label="指定的管辖机关", queryset=Agency.objects.none(), widget=FastSelect)
    reasons = forms.CharField(label="指定管辖理由", widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["designated_agency"].queryset = agency_choices(within_path=dispute.office.region.path)
        self.initial.setdefault("designated_agency", dispute.case.agency_id)


class ClueForm(forms.Form):
    receiving_organ = forms.CharField(label="接收的纪检监察机关", max_length=100, help_text="例如：云岭县纪委监委")
    contact = forms.CharField(label="接收机关联系人及电话", max_length=200, required=False)
    official = forms.CharField(label="涉及的公职人员（姓名、单位、职务）", max_length=200)
    facts = forms.CharField(label="问题线索（事实）", max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))
    evidence_ids = forms.MultipleChoiceField(label="相关证据", required=False, widget=forms.CheckboxSelectMultiple)
    readers = forms.MultipleChoiceField(label="指定阅读人（本人始终可读）", required=False,
                                        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, case=None, readers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_ids"].choices = [(e.pk, f"{e.number}. {e.title}") for e in case.evidence.order_by("number")]
        self.fields["readers"].choices = [(u.pk, f"{u}（{u.get_role_display()}）") for u in readers]
