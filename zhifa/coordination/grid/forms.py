"""Forms of grid dispatch (the rules are in services.py; choices narrowed to the user's reach)."""

from django import forms
from django.contrib.auth import get_user_model

from zhifa.accounts import roles
from zhifa.core.scoping import region_part, user_scope_path
from zhifa.core.widgets import FastSelect
from zhifa.orgs.models import Agency, Region, Unit

from . import models as m
from .models import Grid

DATETIME = {"type": "datetime-local"}


def _area(user) -> str:
    """The region path of the actor's county (or wider region): grids, teams and people are chosen there."""
    return region_part(user_scope_path(user) or "") if user_scope_path(user) is not None else "\0"


def _people(user):
    """Enforcement staff (officers, auxiliaries, unit heads) of the agencies in the actor's county: grid workers
    and assignees are chosen among them (names only; the services check who may serve where)."""
    return (get_user_model().objects.filter(agency__region__path__startswith=_area(user), is_active=True,
                                            role__in=(roles.OFFICER, roles.AUXILIARY, roles.UNIT_HEAD))
            .order_by("display_name", "pk"))


def _teams(user):
    """Active squads and township teams of the actor's county (units are public: the portal lists them)."""
    return (Unit.objects.public().filter(kind__in=("township_team", "squad"),
                                         agency__region__path__startswith=_area(user))
            .select_related("agency").order_by("agency__region__code", "name"))


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotoField(forms.FileField):
    """Several photos in one input (``accept="image/*" capture`` opens the phone's camera)."""

    widget = MultiFileInput(attrs={"accept": "image/*", "capture": "environment"})

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class GridForm(forms.Form):
    township = forms.ModelChoiceField(label="所属乡镇（街道）", queryset=Region.objects.none(), widget=FastSelect)
    code = forms.CharField(label="网格编码", max_length=12, help_text="乡镇（街道）9位代码加3位序号，如 619921001001")
    name = forms.CharField(label="网格名称", max_length=60)
    agency = forms.ModelChoiceField(label="管理主体", queryset=Agency.objects.none(), widget=FastSelect)
    team = forms.ModelChoiceField(label="责任执法队伍", queryset=Unit.objects.none(), widget=FastSelect)
    bounds = forms.CharField(label="四至范围", widget=forms.Textarea(attrs={"rows": 3}))
    polygon = forms.CharField(label="边界（GeoJSON Polygon，可选）", required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    workers = forms.ModelMultipleChoiceField(label="网格员", required=False, queryset=Region.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Region.objects.restrict(user, "view").filter(level="township")
        self.fields["agency"].queryset = Agency.objects.restrict(user, "view").filter(kind="comprehensive")
        self.fields["team"].queryset = _teams(user)
        self.fields["workers"].queryset = _people(user)


class DispatchForm(forms.Form):
    grid = forms.ModelChoiceField(label="网格", queryset=Grid.objects.none(), widget=FastSelect)
    kind = forms.ChoiceField(label="任务类型", choices=m.KIND_CHOICES)
    priority = forms.ChoiceField(label="紧急程度", choices=m.PRIORITY_CHOICES, initial=m.NORMAL)
    title = forms.CharField(label="任务名称", max_length=100)
    description = forms.CharField(label="任务内容", widget=forms.Textarea(attrs={"rows": 4}))
    due_at = forms.DateTimeField(label="反馈期限", widget=forms.DateTimeInput(attrs=DATETIME))
    team = forms.ModelChoiceField(label="承办队伍（留空为网格责任队伍）", required=False, queryset=Unit.objects.none(),
                                  widget=FastSelect)
    assignees = forms.ModelMultipleChoiceField(label="指定人员（可选）", required=False, queryset=Region.objects.none(),
                                               widget=forms.CheckboxSelectMultiple)
    complaint = forms.IntegerField(label="核查的投诉举报（编号ID，投诉核查任务必填）", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Grid.objects.restrict(user, "view").filter(is_active=True)
        self.fields["team"].queryset = _teams(user)
        self.fields["assignees"].queryset = _people(user)


class ArriveForm(forms.Form):
    latitude = forms.DecimalField(label="纬度", max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(label="经度", max_digits=9, decimal_places=6)
    device_time = forms.DateTimeField(label="设备时间", required=False, widget=forms.HiddenInput)
    place = forms.CharField(label="地点说明", max_length=200, required=False)


class ReportForm(forms.Form):
    category = forms.ChoiceField(label="类别", choices=m.REPORT_CATEGORY_CHOICES)
    text = forms.CharField(label="情况描述", widget=forms.Textarea(attrs={"rows": 4}))
    problem_found = forms.BooleanField(label="发现问题", required=False)
    place = forms.CharField(label="地点", max_length=200)
    latitude = forms.DecimalField(label="纬度", max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(label="经度", max_digits=9, decimal_places=6, required=False)
    device_time = forms.DateTimeField(label="设备时间", required=False, widget=forms.HiddenInput)
    photos = PhotoField(label="照片（可多张）", required=False)


class GridReportForm(ReportForm):
    grid = forms.ModelChoiceField(label="网格", queryset=Grid.objects.none(), widget=FastSelect)
    field_order = ["grid"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grid"].queryset = Grid.objects.restrict(user, "view").filter(is_active=True)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class ReassignForm(ReasonForm):
    team = forms.ModelChoiceField(label="改派至队伍", queryset=Unit.objects.none(), widget=FastSelect)
    assignees = forms.ModelMultipleChoiceField(label="指定人员（可选）", required=False, queryset=Region.objects.none(),
                                               widget=forms.CheckboxSelectMultiple)
    due_at = forms.DateTimeField(label="新的反馈期限（可选）", required=False, widget=forms.DateTimeInput(attrs=DATETIME))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = _teams(user)
        self.fields["assignees"].queryset = _people(user)


class CloseForm(forms.Form):
    note = forms.CharField(label="办结意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label="后续处置", choices=[(m.FOLLOW_CASE, "转为案件线索"),
                                                     (m.FOLLOW_INSPECTION, "转为行政检查")])
    target = forms.IntegerField(label="已登记的案件或行政检查（ID）", min_value=1)


class BoardFilterForm(forms.Form):
    township = forms.ModelChoiceField(label="乡镇（街道）", required=False, queryset=Region.objects.none(),
                                      widget=FastSelect)
    team = forms.ModelChoiceField(label="队伍", required=False, queryset=Unit.objects.none(), widget=FastSelect)
    kind = forms.ChoiceField(label="任务类型", required=False, choices=[("", "全部"), *m.KIND_CHOICES])

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = Region.objects.restrict(user, "view").filter(level="township")
        self.fields["team"].queryset = _teams(user)
