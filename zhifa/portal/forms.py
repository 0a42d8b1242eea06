"""Forms of the portal's staff pages (service guides, changes of law and of duties)."""

from django import forms

from zhifa.core.forms import ScopedModelForm
from zhifa.core.scoping import paths_q, user_scope_path
from zhifa.orgs.models import Agency

from .models import DutyChange, LawChange, ServiceGuide


class ServiceGuideForm(ScopedModelForm):
    """A service guide; the agency list is limited to agencies the user may change guides of."""

    class Meta:
        model = ServiceGuide
        fields = [
            "agency", "title", "item", "applicable_to", "basis", "conditions", "materials", "process", "time_limit",
            "fee", "location", "office_hours", "phone", "is_published",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3})
                   for name in ("applicable_to", "basis", "conditions", "materials", "process")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            # Only active agencies within the user's reach (the service re-checks the scope).
            self.fields["agency"].queryset = _changeable_agencies(user)


def _changeable_agencies(user):
    """Active agencies on or below the user's node (whether the role may change is checked by the view)."""
    path = user_scope_path(user)
    qs = Agency.objects.filter(is_active=True)
    if path is None:
        return qs.none()
    return qs if path == "" else qs.filter(paths_q(("tree_path",), path))


class LawChangeForm(forms.ModelForm):
    class Meta:
        model = LawChange
        fields = ["law_name", "effective_on", "document", "description"]
        widgets = {"effective_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "description": forms.Textarea(attrs={"rows": 3})}


class DutyChangeForm(ScopedModelForm):
    class Meta:
        model = DutyChange
        fields = ["agency", "effective_on", "document", "description"]
        widgets = {"effective_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if user is not None:
            self.fields["agency"].queryset = _changeable_agencies(user)
