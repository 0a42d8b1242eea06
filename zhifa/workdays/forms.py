"""The form administrators enter a year's holiday schedule with."""

from django import forms
from django.core.exceptions import ValidationError

from .services import SCHEDULE_HELP, parse_schedule


class ScheduleForm(forms.Form):
    """A year's holidays and make-up working days as text (see ``services.parse_schedule``)."""

    schedule = forms.CharField(
        label="节假日与调休安排", required=False, help_text=SCHEDULE_HELP,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )
    published_note = forms.CharField(
        label="依据", required=False, max_length=200, help_text="例如：国务院办公厅关于2027年部分节假日安排的通知",
    )
    complete = forms.BooleanField(
        label="已完整录入（标记后，该年度的期限计算即可使用）", required=False, initial=True,
    )

    def __init__(self, *args, year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_schedule(self):
        text = self.cleaned_data["schedule"]
        try:
            parse_schedule(self.year, text)
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from None
        return text
