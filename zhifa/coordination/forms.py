"""Forms of the transfer steps (the rules are in services.py)."""

from django import forms

from zhifa.people.models import Officer


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ReportForm(forms.Form):
    officers = forms.ModelMultipleChoiceField(label="核实并报告的执法人员（两名以上）", queryset=Officer.objects.none(),
                                              widget=forms.CheckboxSelectMultiple)
    suspected_offence = forms.CharField(label="涉嫌罪名", max_length=100)
    amount = forms.DecimalField(label="涉案金额（元）", max_digits=14, decimal_places=2, required=False, min_value=0)
    report_text = forms.CharField(label="移送报告（核实情况）", widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = Officer.objects.filter(case_assignments__case=case).distinct()


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(label="决定", choices=[("1", "批准移送"), ("0", "不批准移送")],
                                     coerce=lambda v: v == "1", widget=forms.RadioSelect)
    reason = forms.CharField(label="不批准的理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TransferForm(forms.Form):
    police_organ = forms.CharField(label="接收的公安机关", max_length=100)
    procuratorate = forms.CharField(label="抄送的人民检察院", max_length=100)
    materials = forms.CharField(label="移送材料（每行一项）", widget=forms.Textarea(attrs={"rows": 5}),
                                initial="涉嫌犯罪案件移送书\n涉嫌犯罪案件调查报告\n涉案物品清单\n有关检验报告或者鉴定结论")

    def clean_materials(self):
        return _lines(self.cleaned_data["materials"])


class PoliceDecisionForm(forms.Form):
    opened = forms.TypedChoiceField(label="公安机关决定", choices=[("1", "立案"), ("0", "不予立案")],
                                    coerce=lambda v: v == "1", widget=forms.RadioSelect)
    notice_on = forms.DateField(label="收到书面通知日期", widget=forms.DateInput(attrs={"type": "date"}))
    case_number = forms.CharField(label="立案文书号", max_length=80, required=False)
    reason = forms.CharField(label="不予立案的理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ObjectionForm(forms.Form):
    to = forms.ChoiceField(label="方式", choices=[("reconsideration", "提请公安机关复议"),
                                                 ("supervision", "建议人民检察院立案监督")], widget=forms.RadioSelect)
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 3}))


class HandOverForm(forms.Form):
    items = forms.CharField(label="移交的涉案物品和材料（每行一项）", widget=forms.Textarea(attrs={"rows": 4}))

    def clean_items(self):
        return _lines(self.cleaned_data["items"])
