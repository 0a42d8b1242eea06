"""Forms of the document-template pages."""

from django import forms
from django.core.exceptions import ValidationError

from zhifa.orgs.models import Agency

from .kinds import DOCUMENT_KINDS
from .services import MAX_TEMPLATE_BYTES, may_manage_agency, may_manage_defaults, validate_template_file


class TemplateUploadForm(forms.Form):
    """Upload of a replacement DOCX template; checked by rendering the sample context."""

    code = forms.ChoiceField(label="文书种类", choices=DOCUMENT_KINDS)
    agency = forms.ModelChoiceField(
        label="适用执法主体", queryset=Agency.objects.none(), required=False,
        empty_label="默认（所有执法主体通用）",
    )
    file = forms.FileField(label="模板文件（.docx）", help_text="用 Word 或 WPS 编辑后另存为 .docx；占位符见本页下方说明。")
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["agency"].queryset = Agency.objects.restrict(user, "view").filter(is_active=True).select_related("region")
        if not may_manage_defaults(user):
            self.fields["agency"].required = True
            self.fields["agency"].empty_label = None

    def clean_agency(self):
        agency = self.cleaned_data.get("agency")
        if agency is not None and not may_manage_agency(self.user, agency):
            raise ValidationError("您不能管理该执法主体的文书模板。")
        if agency is None and not may_manage_defaults(self.user):
            raise ValidationError("请选择执法主体：只有最高一级系统管理员可以更换默认模板。")
        return agency

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        code = cleaned.get("code")
        if upload is None or not code:
            return cleaned
        if upload.size > MAX_TEMPLATE_BYTES:
            self.add_error("file", "模板文件不能超过10MB。")
            return cleaned
        data = upload.read()
        try:
            validate_template_file(code, data, upload.name)
        except ValidationError as exc:
            self.add_error("file", exc)
        cleaned["data"], cleaned["name"] = data, upload.name
        return cleaned
