"""Forms of the statistics pages: generate a draft, roll up a region, filter the public list."""

from django import forms

from zhifa.core import clock
from zhifa.orgs.models import Agency, Region


def past_years(count: int = 6) -> list[tuple[int, str]]:
    this_year = clock.today().year
    return [(y, f"{y}年度") for y in range(this_year - 1, this_year - 1 - count, -1)]


class GenerateForm(forms.Form):
    """生成（或重新生成）某执法主体某年度的年报草稿。"""

    agency = forms.ModelChoiceField(label="执法主体", queryset=Agency.objects.none())
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=())

    def __init__(self, data=None, *, user):
        super().__init__(data)
        self.fields["agency"].queryset = Agency.objects.restrict(user, "view").filter(is_active=True).order_by(
            "region__code", "name")
        self.fields["year"].choices = past_years()


class RollupForm(forms.Form):
    """汇总某行政区划某年度已发布的执法主体年报（发布前为草稿）。"""

    region = forms.ModelChoiceField(label="行政区划", queryset=Region.objects.none())
    year = forms.TypedChoiceField(label="年度", coerce=int, choices=())

    def __init__(self, data=None, *, user, scope_path: str):
        super().__init__(data)
        self.fields["region"].queryset = Region.objects.restrict(user, "view").filter(
            path__startswith=scope_path).order_by("code")
        self.fields["year"].choices = past_years()
